/**
 * The server's CWM_MAX_TOKENS applies whenever a request leaves max_tokens out, and
 * GET /api/predictors says what it is; the per-backend limiter (p-queue) bounds the queue,
 * answers 429 beyond it, and frees a place as soon as a waiting client gives up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createListHandler, createPredictHandler } from "@/lib/predictors/handler";
import { Limiter } from "@/lib/predictors/limiter";
import { PredictEvent, PredictorList } from "@/lib/predictors/protocol";
import { createRegistry } from "@/lib/predictors/registry";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import { AppError } from "@/lib/http/errors";
import { serveRoutes } from "@/test/http-harness";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";

const DEFAULT_MAX_TOKENS = 777;

describe("max_tokens", () => {
  let fake: FakeServer;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    fake = await startFakeVllm({ script: { lookup: null, fallback: "<|return_sep|><|action_sep|>def main():\n<|arg_sep|>\"None\"<|frame_sep|><|end_of_text|>" } });
    const timeouts = { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 };
    const registry = createRegistry([createVllmPredictor({ url: fake.url, model: "facebook/cwm", timeouts })], { maxConcurrent: 2, queueLength: 2 });
    server = await serveRoutes({
      "POST /api/predict": createPredictHandler({ registry, defaultMaxTokens: DEFAULT_MAX_TOKENS }),
      "GET /api/predictors": createListHandler(registry, { maxTokens: DEFAULT_MAX_TOKENS }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  async function predict(settings?: Record<string, unknown>) {
    const res = await fetch(`${server.url}/api/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runId: "m", predictor: "cwm-vllm", code: "x = 1", call: null, ...(settings ? { settings } : {}) }),
    });
    const events = (await res.text()).trim().split("\n").map((l) => PredictEvent.parse(JSON.parse(l)));
    const sent = fake.requests.filter((r) => r.path === "/v1/completions").at(-1)!.body as { max_tokens: number; temperature: number };
    return { events, sent };
  }

  it("is the server's default when the request has no settings", async () => {
    const { events, sent } = await predict();
    expect(sent.max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(events[0]).toMatchObject({ type: "start", settings: { max_tokens: DEFAULT_MAX_TOKENS, temperature: 0 } });
  });

  it("is the server's default when the settings leave it out", async () => {
    const { sent } = await predict({ temperature: 0.5 });
    expect(sent).toMatchObject({ max_tokens: DEFAULT_MAX_TOKENS, temperature: 0.5 });
  });

  it("is the request's own when it sets one", async () => {
    const { sent } = await predict({ max_tokens: 12 });
    expect(sent.max_tokens).toBe(12);
  });

  it("is listed by GET /api/predictors so the UI can show it", async () => {
    const list = PredictorList.parse(await (await fetch(`${server.url}/api/predictors`)).json());
    expect(list.defaults).toEqual({ max_tokens: DEFAULT_MAX_TOKENS });
  });
});

describe("the per-backend limiter", () => {
  it("runs up to its concurrency, queues up to its length, and refuses the rest with 429 and Retry-After", async () => {
    const l = new Limiter("CWM (test)", 1, 1);
    const first = await l.acquire();
    const second = l.acquire();
    expect(l.inFlight).toBe(1);
    expect(l.waiting).toBe(1);
    const third = await l.acquire().catch((e: unknown) => e);
    expect(third).toBeInstanceOf(AppError);
    expect((third as AppError).status).toBe(429);
    expect(Number((third as AppError).headers["retry-after"])).toBeGreaterThanOrEqual(1);
    first();
    const release = await second;
    expect(l.inFlight).toBe(1);
    expect(l.waiting).toBe(0);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(l.inFlight).toBe(0);
  });

  it("frees a waiting place at once when its client gives up", async () => {
    const l = new Limiter("CWM (test)", 1, 1);
    const held = await l.acquire();
    const gone = new AbortController();
    const waiting = l.acquire(gone.signal);
    gone.abort(new Error("client went away"));
    await expect(waiting).rejects.toThrow(/went away/);
    expect(l.waiting).toBe(0);
    // The freed place is usable while the slot is still held.
    const next = l.acquire();
    expect(l.waiting).toBe(1);
    held();
    (await next)();
  });

  it("ignores a second release of the same slot", async () => {
    const l = new Limiter("CWM (test)", 1, 0);
    const release = await l.acquire();
    release();
    release();
    await new Promise((r) => setTimeout(r, 0));
    const again = await l.acquire();
    expect(l.inFlight).toBe(1);
    again();
  });
});
