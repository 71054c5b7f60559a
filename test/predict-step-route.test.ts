/**
 * POST /api/predict/step over real HTTP, its CWM predictor pointed at a fake vLLM on 127.0.0.1
 * that continues a scripted generation frame by frame (forced event tokens, edited frames).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrompt } from "@/lib/cwm/prompt";
import { parseTrace } from "@/lib/cwm/parse";
import { TOK } from "@/lib/cwm/tokens";
import { StepResponse, type StepRequest } from "@/lib/debugger/protocol";
import type { StepFrame } from "@/lib/debugger/frames";
import { ErrorBody } from "@/lib/http/errors";
import { LIMITS } from "@/lib/http/limits";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { createRegistry, type Registry } from "@/lib/predictors/registry";
import { createStepHandler } from "@/lib/predictors/step-handler";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import { writeFixtureTokenizer } from "@/test/fakes/tokenizer-fixture";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";
import { serveRoutes } from "@/test/http-harness";
import * as stepRoute from "@/app/api/predict/step/route";

const CODE = "def sq(x):\n    return x * x\n\ndef f(n):\n    t = sq(n)\n    return t + 1\n";
const CALL = "f(3)";
/** What our tracer writes for it (`npm run cwm -- trace --format cwm`), after main's seeded frame. */
const GENERATION = [
  `${TOK.LINE}{}${TOK.ACTION}    return f(3)\n${TOK.FRAME}`,
  `${TOK.CALL}{"n": "3"}${TOK.ACTION}def f(n):\n${TOK.FRAME}`,
  `${TOK.LINE}{"n": ".."}${TOK.ACTION}    t = sq(n)\n${TOK.FRAME}`,
  `${TOK.CALL}{"x": "3"}${TOK.ACTION}def sq(x):\n${TOK.FRAME}`,
  `${TOK.LINE}{"x": ".."}${TOK.ACTION}    return x * x\n${TOK.FRAME}`,
  `${TOK.RETURN}${TOK.ACTION}    return x * x\n${TOK.ARG}"9"${TOK.FRAME}`,
  `${TOK.LINE}{"n": "..", "t": "9"}${TOK.ACTION}    return t + 1\n${TOK.FRAME}`,
  `${TOK.RETURN}${TOK.ACTION}    return t + 1\n${TOK.ARG}"10"${TOK.FRAME}`,
  `${TOK.RETURN}${TOK.ACTION}    return f(3)\n${TOK.ARG}"10"${TOK.FRAME}`,
  TOK.EOS,
].join("");
const timeouts = { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 };

interface Served {
  url: string;
  vllm: FakeServer;
  registry: Registry;
  close(): Promise<void>;
}

async function serve(opts: { tokenIds?: boolean; limits?: { maxConcurrent: number; queueLength: number }; firstTokenDelayMs?: number } = {}): Promise<Served> {
  const tokenizerPath = writeFixtureTokenizer();
  const vllm = await startFakeVllm({ script: { lookup: null, fallback: GENERATION }, tokenizerPath, firstTokenDelayMs: opts.firstTokenDelayMs });
  const registry = createRegistry(
    [createVllmPredictor({ url: vllm.url, model: "facebook/cwm", timeouts, ...(opts.tokenIds ? { tokenizerPath } : {}) }), createBaselinePredictor()],
    opts.limits ?? { maxConcurrent: 4, queueLength: 8 },
  );
  const server = await serveRoutes({ "POST /api/predict/step": createStepHandler({ registry, defaultMaxTokens: 4096 }) });
  return {
    url: server.url,
    vllm,
    registry,
    close: async () => {
      await server.close();
      await vllm.close();
    },
  };
}

/** Bad requests are the point of some tests, so fields are not typed here; `step` types them. */
const request = (over: Record<string, unknown> = {}) => ({ runId: "s1", predictor: "cwm-vllm", code: CODE, call: CALL, frames: [], ...over });
const post = (url: string, b: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
  fetch(`${url}/api/predict/step`, { method: "POST", headers, body: typeof b === "string" ? b : JSON.stringify(b) });

async function step(url: string, over: Partial<StepRequest> = {}): Promise<StepResponse> {
  const res = await post(url, request(over));
  expect(res.status, await res.clone().text()).toBe(200);
  return StepResponse.parse(await res.json());
}

async function errorOf(res: Response, status: number): Promise<ErrorBody["error"]> {
  expect(res.status).toBe(status);
  return ErrorBody.parse(await res.json()).error;
}

describe("POST /api/predict/step with a CWM server (fake vLLM)", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve();
  });
  afterAll(async () => s?.close());

  it("steps one frame per request to EOS and the frames are the one-shot prediction's", async () => {
    const frames: StepFrame[] = [];
    const canonical = [];
    for (;;) {
      const r = await step(s.url, { frames, canonical: true });
      if (r.end === "eos") break;
      expect(r.end).toBe("frame");
      if (r.end !== "frame") return;
      expect(r.predictor).toEqual({ id: "cwm-vllm", label: "CWM (vLLM)", kind: "cwm", model: "facebook/cwm" });
      frames.push(r.frame);
      canonical.push(r.canonical);
    }
    const oneShot = parseTrace(GENERATION, { program: buildPrompt(CODE, CALL).program, predictor: { id: "x", model: null } });
    expect(canonical).toEqual(oneShot.frames.slice(1));
    // Each request asked for one frame: EOS and <|frame_sep|> as stop tokens.
    const bodies = s.vllm.requests.slice(-frames.length - 1).map((r) => r.body as Record<string, unknown>);
    for (const b of bodies) expect(b).toMatchObject({ stop_token_ids: [128001, 128100], skip_special_tokens: false, temperature: 0 });
  });

  it("writes the frames so far back into the prompt exactly as the model wrote them", async () => {
    const first = await step(s.url);
    const second = await step(s.url, { frames: first.end === "frame" ? [first.frame] : [] });
    expect(second.end).toBe("frame");
    // Not asked for: the frame is not read again on the server.
    expect(second).not.toHaveProperty("canonical");
    const prompt = s.vllm.prompts.at(-1) as string;
    expect(prompt.endsWith(`${TOK.FRAME}${TOK.LINE}{}${TOK.ACTION}    return f(3)\n${TOK.FRAME}`)).toBe(true);
  });

  it("steps over a call when told to force <|return_sep|> (the model predicts the return value)", async () => {
    const frames = await framesUntil(s.url, 4); // … the call frame of sq
    expect(frames.at(-1)).toMatchObject({ event: "call", source: "def sq(x):" });
    const r = await step(s.url, { frames, force: "return" });
    expect(r).toMatchObject({ end: "frame", frame: { event: "return", value: "9" }, text: expect.stringMatching(/^<\|return_sep\|>/) });
    expect(s.vllm.prompts.at(-1)).toMatch(/<\|return_sep\|>$/);
  });

  it("continues from an edited frame: the edit is in the prompt, the answer is read in its context", async () => {
    const frames = await framesUntil(s.url, 3); // t = sq(n), n = 3
    const r = await step(s.url, { frames, edit: { name: "n", repr: "7" } });
    expect(r.end).toBe("frame");
    expect(s.vllm.prompts.at(-1)).toContain(`${TOK.LINE}{"n": "7"}${TOK.ACTION}    t = sq(n)\n${TOK.FRAME}`);
  });

  it("refuses an edit with no frame, of a return frame, or with a name that is not an identifier (422)", async () => {
    expect((await errorOf(await post(s.url, request({ edit: { name: "n", repr: "7" } })), 422)).message).toMatch(/step into the program first/);
    const frames = await framesUntil(s.url, 6);
    expect(frames.at(-1)!.event).toBe("return");
    expect((await errorOf(await post(s.url, request({ frames, edit: { name: "n", repr: "7" } })), 422)).message).toMatch(/return frame/);
    expect((await errorOf(await post(s.url, request({ frames: frames.slice(0, 3), edit: { name: "n; import os", repr: "7" } })), 422)).message).toMatch(/identifier/);
  });

  it("says EOS when the model has ended the trace", async () => {
    const frames = await framesUntil(s.url, 9);
    const r = await step(s.url, { frames });
    expect(r.end).toBe("eos");
  });

  it("refuses frame text holding a special token's text without the tokenizer (422), nothing sent", async () => {
    const before = s.vllm.requests.length;
    const frames: StepFrame[] = [{ event: "line", source: "    return f(3)", locals: { x: "'<|frame_sep|>'" } }];
    expect((await errorOf(await post(s.url, request({ frames })), 422)).message).toMatch(/control token/);
    expect(s.vllm.requests.length).toBe(before);
  });

  it("refuses the syntax baseline, which cannot step (422), and an unknown predictor (422)", async () => {
    expect((await errorOf(await post(s.url, request({ predictor: "baseline-syntax" })), 422)).message).toMatch(/cannot be driven one frame at a time/);
    expect((await errorOf(await post(s.url, request({ predictor: "gpt-99" })), 422)).message).toMatch(/unknown predictor/);
  });

  it("answers 502 with the backend's trouble in words when the CWM server fails", async () => {
    s.vllm.options.mode = "500";
    try {
      const err = await errorOf(await post(s.url, request()), 502);
      expect(err.code).toBe("upstream");
      expect(err.message).toMatch(/500/);
    } finally {
      s.vllm.options.mode = "none";
    }
  });
});

describe("POST /api/predict/step with the checkpoint's tokenizer", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ tokenIds: true });
  });
  afterAll(async () => s?.close());

  it("sends token ids, so a special token's text in a frame stays text", async () => {
    const frames: StepFrame[] = [{ event: "line", source: "    return f(3)", locals: { x: "'<|frame_sep|>'" } }];
    const r = await step(s.url, { frames });
    expect(r.end).toBe("frame");
    expect(Array.isArray(s.vllm.prompts.at(-1))).toBe(true);
  });
});

describe("POST /api/predict/step shares the predictor's limiter", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ limits: { maxConcurrent: 1, queueLength: 0 }, firstTokenDelayMs: 600 });
  });
  afterAll(async () => s?.close());

  it("answers 429 with Retry-After when the backend is busy", async () => {
    s.vllm.options.mode = "slow-first-token";
    const first = post(s.url, request({ runId: "a" }));
    await expect.poll(() => s.registry.limiter("cwm-vllm").inFlight).toBe(1);
    const second = await post(s.url, request({ runId: "b" }));
    expect((await errorOf(second, 429)).code).toBe("rate_limited");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await first).status).toBe(200);
    expect(s.registry.limiter("cwm-vllm").inFlight).toBe(0);
  });
});

describe("POST /api/predict/step input", () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    // Nothing configured, as a fresh `npm start`: the baseline and unconfigured CWM backends.
    server = await serveRoutes({ "POST /api/predict/step": stepRoute.POST, "GET /api/predict/step": stepRoute.GET });
  });
  afterAll(async () => server?.close());

  it("says how to connect an unconfigured CWM backend (503)", async () => {
    expect((await errorOf(await post(server.url, request()), 503)).message).toMatch(/not configured/);
  });

  it("refuses a body that is not JSON (400) and another media type (415)", async () => {
    expect((await errorOf(await post(server.url, "{nope"), 400)).code).toBe("invalid_json");
    expect((await errorOf(await post(server.url, request(), { "content-type": "text/plain" }), 415)).code).toBe("unsupported_media_type");
  });

  it("refuses malformed frames with the field named (422)", async () => {
    const bad = [
      [{ event: "jump", source: "x" }, /frames\.0\.event/],
      [{ event: "line", source: 5 }, /frames\.0\.source/],
      [{ event: "line", source: "x", locals: { a: 1 } }, /frames\.0\.locals/],
      [{ event: "line", source: "x", raw: "<|frame_sep|>" }, /frames\.0/],
    ] as const;
    for (const [frame, field] of bad) expect((await errorOf(await post(server.url, request({ frames: [frame] })), 422)).message).toMatch(field);
    expect((await errorOf(await post(server.url, request({ force: "teleport" })), 422)).message).toMatch(/force/);
    expect((await errorOf(await post(server.url, request({ prompt: "<|begin_of_text|>" })), 422)).message).toMatch(/prompt/);
  });

  it("refuses more frames than a trace may hold (422) and a body over the limit (413)", async () => {
    const many = Array.from({ length: LIMITS.frames + 1 }, () => ({ event: "line", source: "x" }));
    expect((await errorOf(await post(server.url, request({ frames: many })), 422)).message).toMatch(/more than 10000 frames/);
    const huge = [{ event: "line", source: "x", locals: { a: "\u0001".repeat(LIMITS.body.step / 5) } }];
    expect((await errorOf(await post(server.url, request({ frames: huge })), 413)).code).toBe("payload_too_large");
  });

  it("refuses a cross-site post (403)", async () => {
    const res = await post(server.url, request(), { "content-type": "application/json", "sec-fetch-site": "cross-site", origin: "https://evil.example" });
    expect((await errorOf(res, 403)).code).toBe("forbidden");
  });

  it("answers GET with 405 and Allow: POST", async () => {
    const res = await fetch(`${server.url}/api/predict/step`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

/** The first `n` frames, stepped one request at a time. */
async function framesUntil(url: string, n: number): Promise<StepFrame[]> {
  const frames: StepFrame[] = [];
  while (frames.length < n) {
    const r = await step(url, { frames });
    if (r.end !== "frame") throw new Error(`ended early: ${r.end}`);
    frames.push(r.frame);
  }
  return frames;
}
