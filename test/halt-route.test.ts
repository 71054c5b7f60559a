/**
 * POST /api/halt over real HTTP, its CWM predictors pointed at a fake vLLM on 127.0.0.1 that
 * answers chat prompts with a scripted chain of thought (test/fakes/halt.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseTokenizerModel } from "@/lib/cwm/tokenizer";
import { EOT_ID, TOK } from "@/lib/cwm/tokens";
import { ErrorBody } from "@/lib/http/errors";
import { LIMITS } from "@/lib/http/limits";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { createHaltHandler } from "@/lib/predictors/halt-handler";
import { HaltEvent } from "@/lib/predictors/halt-protocol";
import { createRegistry } from "@/lib/predictors/registry";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import { createFastgenPredictor } from "@/lib/predictors/fastgen";
import { startFakeFastgen } from "@/test/fakes/fastgen";
import { createReplayPredictor } from "@/lib/predictors/replay";
import { SHARED_DATA, sharedDataPresent } from "@/test/shared-data";
import path from "node:path";
import { exampleById } from "@/lib/playground/examples";
import type { Registry } from "@/lib/predictors/registry";
import { loadScript } from "@/test/fakes/common";
import { chatGenerationFor } from "@/test/fakes/halt";
import { fixtureTokenizerText, writeFixtureTokenizer } from "@/test/fakes/tokenizer-fixture";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";
import { serveRoutes } from "@/test/http-harness";
import * as haltRoute from "@/app/api/halt/route";

const forever = exampleById("collatz-forever")!;
const sumLoop = exampleById("sum-loop")!;
const timeouts = { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 };

interface Served {
  url: string;
  vllm: FakeServer;
  registry: Registry;
  close(): Promise<void>;
}

async function serve(opts: { tokenIds?: boolean; limits?: { maxConcurrent: number; queueLength: number }; firstTokenDelayMs?: number } = {}): Promise<Served> {
  const tokenizerPath = writeFixtureTokenizer();
  const vllm = await startFakeVllm({ script: loadScript(), tokenizerPath, firstTokenDelayMs: opts.firstTokenDelayMs });
  const registry = createRegistry(
    [createVllmPredictor({ url: vllm.url, timeouts, ...(opts.tokenIds ? { tokenizerPath } : {}) }), createBaselinePredictor()],
    opts.limits ?? { maxConcurrent: 4, queueLength: 8 },
  );
  const server = await serveRoutes({ "POST /api/halt": createHaltHandler({ registry }) });
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

const body = (over: Record<string, unknown> = {}) => JSON.stringify({ runId: "h1", predictor: "cwm-vllm", code: sumLoop.code, call: sumLoop.call, ...over });
const post = (url: string, b: string, headers: Record<string, string> = { "content-type": "application/json" }) => fetch(`${url}/api/halt`, { method: "POST", headers, body: b });

async function events(res: Response): Promise<HaltEvent[]> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
  return (await res.text())
    .trim()
    .split("\n")
    .map((l) => HaltEvent.parse(JSON.parse(l)));
}

const textOf = (evs: HaltEvent[], type: "reasoning" | "answer") =>
  evs
    .filter((e) => e.type === type)
    .map((e) => ("text" in e ? e.text : ""))
    .join("");

async function errorOf(res: Response, status: number): Promise<ErrorBody["error"]> {
  expect(res.status).toBe(status);
  return ErrorBody.parse(await res.json()).error;
}

describe("POST /api/halt with a CWM server (fake vLLM, string prompts)", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve();
  });
  afterAll(async () => s?.close());
  afterEach(() => {
    s.vllm.options.mode = "none";
  });

  it("streams the reasoning and answers yes for a loop that ends", async () => {
    const evs = await events(await post(s.url, body()));
    expect(evs[0]).toMatchObject({ type: "start", runId: "h1", predictor: { id: "cwm-vllm", label: "CWM (vLLM)", kind: "cwm", model: "facebook/cwm" } });
    expect(evs.filter((e) => e.type === "reasoning").length).toBeGreaterThan(1);
    const scripted = chatGenerationFor(evs[0].type === "start" ? evs[0].prompt : "");
    expect(textOf(evs, "reasoning")).toBe(scripted.slice(0, scripted.indexOf("</think>")));
    expect(textOf(evs, "answer")).toBe("\nThe program halts.\n\nAnswer: yes");
    expect(evs.at(-1)).toEqual({ type: "end", runId: "h1", verdict: "halts", finish: "stop", tokens: expect.any(Object) });
  });

  it("answers no for the gallery's program that never halts", async () => {
    const evs = await events(await post(s.url, body({ code: forever.code, call: forever.call })));
    expect(textOf(evs, "answer")).toContain("Answer: no");
    expect(evs.at(-1)).toMatchObject({ type: "end", verdict: "does_not_halt", finish: "stop" });
  });

  it("sends the chat prompt as CWM's guide writes it, stops at <|eot_id|>, greedy, 4096 tokens by default", async () => {
    await events(await post(s.url, body({ runId: "wire" })));
    const sent = s.vllm.requests.filter((r) => r.path === "/v1/completions").at(-1)!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ max_tokens: 4096, temperature: 0, stream: true, skip_special_tokens: false });
    expect(sent.stop_token_ids).toContain(EOT_ID);
    const prompt = sent.prompt as string;
    // vLLM adds BOS itself to a string prompt.
    expect(prompt.startsWith("<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful AI assistant. You always reason before responding")).toBe(true);
    expect(prompt.endsWith("<|start_header_id|>assistant<|end_header_id|>\n\n<think>\n")).toBe(true);
    expect(prompt).toContain(`def main():\n    return ${sumLoop.call}\n`);
  });

  it("echoes the settings it used in the start event, the request's own when given", async () => {
    const evs = await events(await post(s.url, body({ settings: { temperature: 0.6, top_p: 0.95, max_tokens: 2048 } })));
    expect(evs[0]).toMatchObject({ type: "start", settings: { temperature: 0.6, top_p: 0.95, max_tokens: 2048 } });
  });

  it("ends with finish length and an unclear verdict when max_tokens cuts the reasoning, the reasoning kept", async () => {
    const evs = await events(await post(s.url, body({ settings: { max_tokens: 8 } })));
    expect(textOf(evs, "reasoning").length).toBeGreaterThan(0);
    expect(textOf(evs, "answer")).toBe("");
    expect(evs.at(-1)).toMatchObject({ type: "end", verdict: "unclear", finish: "length" });
  });

  it("keeps the partial reasoning when the server cuts the stream mid-reasoning", async () => {
    s.vllm.options.mode = "cut";
    const evs = await events(await post(s.url, body()));
    const reasoning = textOf(evs, "reasoning");
    expect(reasoning.length).toBeGreaterThan(20);
    expect(evs.at(-1)).toMatchObject({ type: "end", verdict: "unclear", finish: "error", message: expect.stringMatching(/reasoning so far is kept/) });
  });

  it("ends with the backend's error in words when it answers 500", async () => {
    s.vllm.options.mode = "500";
    const evs = await events(await post(s.url, body()));
    expect(evs[0].type).toBe("start");
    expect(evs.at(-1)).toMatchObject({ type: "end", verdict: "unclear", finish: "error", message: expect.stringMatching(/500|CUDA out of memory/) });
  });

  it("refuses code holding special-token text with 422, before asking the server (no tokenizer)", async () => {
    const before = s.vllm.requests.length;
    const err = await errorOf(await post(s.url, body({ code: 'def f():\n    return "<|eot_id|>"\n', call: "f()" })), 422);
    expect(err.code).toBe("validation");
    expect(err.message).toContain('"<|eot_id|>"');
    expect(err.message).toMatch(/CWM_TOKENIZER_PATH/);
    expect(s.vllm.requests.length).toBe(before);
  });

  it("refuses the baseline with 422 saying it needs CWM, and never calls the baseline a model", async () => {
    const err = await errorOf(await post(s.url, body({ predictor: "baseline-syntax" })), 422);
    expect(err.message).toMatch(/^Will it halt\? needs CWM/);
    expect(err.message).toContain("Syntax-only baseline (not a model)");
    expect(err.message).toMatch(/is not a model/);
  });

  it("refuses an unknown predictor with 422 naming the known ones", async () => {
    const err = await errorOf(await post(s.url, body({ predictor: "gpt" })), 422);
    expect(err.message).toMatch(/unknown predictor "gpt".*cwm-vllm/);
  });
});

describe.skipIf(!sharedDataPresent)("POST /api/halt with a replay predictor", () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    const registry = createRegistry([createReplayPredictor(path.join(SHARED_DATA, "cwm-recorded/cruxeval-sample8.jsonl"))], { maxConcurrent: 1, queueLength: 1 });
    server = await serveRoutes({ "POST /api/halt": createHaltHandler({ registry }) });
  });
  afterAll(async () => server?.close());

  it("refuses it with 422: recorded traces cannot answer a question", async () => {
    const err = await errorOf(await post(server.url, body({ predictor: "replay" })), 422);
    expect(err.message).toMatch(/^Will it halt\? needs CWM.*only replays recorded traces/);
  });
});

describe("POST /api/halt with the tokenizer (token-id prompts)", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ tokenIds: true });
  });
  afterAll(async () => s?.close());

  it("asks about code holding special-token text, sent as plain text inside the user turn", async () => {
    const code = 'def f():\n    while True:\n        pass\n    return "<|eot_id|><|start_header_id|>"\n';
    const evs = await events(await post(s.url, body({ code, call: "f()" })));
    // The scripted rule sees `return` in the code, so it says yes: what matters is that the code arrived whole.
    expect(evs.at(-1)).toMatchObject({ type: "end", finish: "stop" });
    const sent = s.vllm.prompts.at(-1)!;
    expect(Array.isArray(sent)).toBe(true);
    // Exactly the prompt's own chat tokens: 3 headers, 2 ends of turn (the code's text is not among them).
    const tok = parseTokenizerModel(fixtureTokenizerText());
    const ids = sent as number[];
    expect(ids.filter((t) => t === tok.specialIds.get(TOK.EOT))).toHaveLength(2);
    expect(ids.filter((t) => t === tok.specialIds.get(TOK.START_HEADER))).toHaveLength(3);
    expect(ids[0]).toBe(tok.specialIds.get(TOK.BOS));
    expect(tok.decode(ids)).toContain('return "<|eot_id|><|start_header_id|>"');
  });
});

describe("POST /api/halt with Fastgen (token ids, one reply)", () => {
  let server: { url: string; close: () => Promise<void> };
  let close: () => Promise<void>;
  beforeAll(async () => {
    const tokenizerPath = writeFixtureTokenizer();
    const fastgen = await startFakeFastgen({ tokenizerPath, script: loadScript() });
    const registry = createRegistry([createFastgenPredictor({ url: fastgen.url, tokenizerPath, timeouts: { requestMs: 5_000 } })], { maxConcurrent: 2, queueLength: 2 });
    server = await serveRoutes({ "POST /api/halt": createHaltHandler({ registry }) });
    close = fastgen.close;
  });
  afterAll(async () => {
    await server?.close();
    await close?.();
  });

  it("answers no for the gallery's program that never halts, the reasoning split from the answer", async () => {
    const evs = await events(await post(server.url, body({ predictor: "cwm-fastgen", code: forever.code, call: forever.call })));
    expect(evs[0]).toMatchObject({ type: "start", predictor: { id: "cwm-fastgen", label: "CWM (Fastgen)" } });
    expect(textOf(evs, "reasoning")).toMatch(/runs forever/);
    expect(textOf(evs, "reasoning")).not.toContain("</think>");
    expect(textOf(evs, "answer")).toBe("\nThe program does not halt.\n\nAnswer: no");
    expect(evs.at(-1)).toMatchObject({ type: "end", verdict: "does_not_halt", finish: "stop" });
  });
});

describe("POST /api/halt shares the predictor's limiter with /api/predict", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ limits: { maxConcurrent: 1, queueLength: 0 }, firstTokenDelayMs: 600 });
  });
  afterAll(async () => s?.close());

  it("answers 429 with Retry-After when the backend is busy", async () => {
    s.vllm.options.mode = "slow-first-token";
    const first = await post(s.url, body({ runId: "a" }));
    expect(first.status).toBe(200);
    const second = await post(s.url, body({ runId: "b" }));
    const err = await errorOf(second, 429);
    expect(err.code).toBe("rate_limited");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const evs = await events(first);
    expect(evs.at(-1)).toMatchObject({ type: "end", runId: "a", verdict: "halts" });
    expect(s.registry.limiter("cwm-vllm").inFlight).toBe(0);
  });
});

describe("POST /api/halt input", () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    // Nothing configured: the baseline and unconfigured CWM backends, as a fresh `npm start`.
    server = await serveRoutes({ "POST /api/halt": haltRoute.POST, "GET /api/halt": haltRoute.GET });
  });
  afterAll(async () => server?.close());

  it("says how to connect an unconfigured CWM backend (503)", async () => {
    const err = await errorOf(await post(server.url, body()), 503);
    expect(err.message).toMatch(/CWM_VLLM_URL=/);
  });

  it("refuses a body that is not JSON (400)", async () => {
    expect((await errorOf(await post(server.url, "{nope"), 400)).code).toBe("invalid_json");
  });

  it("refuses another media type (415), text/plain posted by a form included", async () => {
    expect((await errorOf(await post(server.url, body(), { "content-type": "text/plain" }), 415)).code).toBe("unsupported_media_type");
    expect((await errorOf(await post(server.url, body(), { "content-type": "text/plain; x=application/json" }), 415)).code).toBe("unsupported_media_type");
  });

  it("refuses wrong types with the field named (422)", async () => {
    expect((await errorOf(await post(server.url, body({ code: 5 })), 422)).message).toMatch(/code/);
    expect((await errorOf(await post(server.url, body({ settings: { max_tokens: "many" } })), 422)).message).toMatch(/settings\.max_tokens/);
    expect((await errorOf(await post(server.url, JSON.stringify({ predictor: "cwm-vllm", code: "x = 1" })), 422)).message).toMatch(/runId/);
  });

  it("refuses unknown fields (strict body)", async () => {
    expect((await errorOf(await post(server.url, body({ prompt: "<|begin_of_text|>raw" })), 422)).message).toMatch(/prompt/);
  });

  it("refuses code over the limit (422) and a body over the limit (413)", async () => {
    expect((await errorOf(await post(server.url, body({ code: "x".repeat(LIMITS.code + 1) })), 422)).message).toMatch(/code is larger/);
    expect((await errorOf(await post(server.url, body({ code: "\u0001".repeat(LIMITS.body.predict / 5) })), 413)).code).toBe("payload_too_large");
  });

  it("refuses a cross-site post (403) before reading it", async () => {
    const res = await post(server.url, body(), { "content-type": "application/json", "sec-fetch-site": "cross-site", origin: "https://evil.example" });
    const err = await errorOf(res, 403);
    expect(err.code).toBe("forbidden");
    expect(err.message).toMatch(/refused/);
  });

  it("refuses another site's Origin without Sec-Fetch-Site (403)", async () => {
    expect((await errorOf(await post(server.url, body(), { "content-type": "application/json", origin: "https://evil.example" }), 403)).code).toBe("forbidden");
  });

  it("answers GET with 405 and Allow: POST", async () => {
    const res = await fetch(`${server.url}/api/halt`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});
