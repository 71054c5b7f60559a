import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPredictorConfig, ConfigError } from "@/lib/config/predictors";
import { createListHandler, createPredictHandler } from "@/lib/predictors/handler";
import { PredictEvent, PredictorList } from "@/lib/predictors/protocol";
import { createRegistry, registryFromConfig } from "@/lib/predictors/registry";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { serveRoutes } from "@/test/http-harness";
import { startStack, type Stack } from "@/test/fakes/stack";
import { sharedDataPresent } from "@/test/shared-data";

const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ runId: "r1", predictor: "cwm-vllm", code: "def f(x):\n    return x", call: "f(1)", ...over });
const post = (url: string, b: string, type = "application/json") =>
  fetch(`${url}/api/predict`, { method: "POST", headers: { "content-type": type }, body: b });

// The fake vLLM replays recorded generations (shared data).
describe.skipIf(!sharedDataPresent)("POST /api/predict concurrency", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ limits: { maxConcurrent: 1, queueLength: 1 }, vllm: { mode: "slow-first-token", firstTokenDelayMs: 800 } });
  });
  afterAll(async () => stack?.close());

  it("runs one, queues one, and answers 429 with Retry-After beyond the queue", async () => {
    // Distinct temperatures keep the cache out of the way.
    const first = await post(stack.url, body({ runId: "a", settings: { temperature: 0.1 } }));
    expect(first.status).toBe(200);
    const secondP = post(stack.url, body({ runId: "b", settings: { temperature: 0.2 } }));
    await expect.poll(() => stack.registry.limiter("cwm-vllm").waiting).toBe(1);
    const third = await post(stack.url, body({ runId: "c", settings: { temperature: 0.3 } }));
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await third.json()).toMatchObject({ error: { code: "rate_limited", message: expect.stringMatching(/busy/) } });
    const lines = (await first.text()).trim().split("\n").map((l) => PredictEvent.parse(JSON.parse(l)));
    expect(lines.at(-1)).toMatchObject({ type: "end", runId: "a" });
    const second = await secondP;
    expect(second.status).toBe(200);
    const last = PredictEvent.parse(JSON.parse((await second.text()).trim().split("\n").at(-1)!));
    expect(last).toMatchObject({ type: "end", runId: "b", summary: { status: "returned" } });
    expect(stack.registry.limiter("cwm-vllm").inFlight).toBe(0);
  });
});

describe("POST /api/predict input", () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    const registry = registryFromConfig(loadPredictorConfig({}));
    server = await serveRoutes({
      "POST /api/predict": createPredictHandler({ registry, defaultMaxTokens: 4096 }),
      "GET /api/predictors": createListHandler(registry, { maxTokens: 4096 }),
    });
  });
  afterAll(async () => server?.close());

  it("rejects a body that is not JSON", async () => {
    const res = await post(server.url, "{nope");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_json" } });
  });

  it("rejects another content type", async () => {
    expect((await post(server.url, body(), "text/plain")).status).toBe(415);
  });

  it("rejects bad sampling values and a missing run id with the field named", async () => {
    const res = await post(server.url, body({ predictor: "baseline-syntax", settings: { temperature: 7 } }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/settings\.temperature/);
    const res2 = await post(server.url, JSON.stringify({ predictor: "baseline-syntax", code: "x = 1" }));
    expect((await res2.json()).error.message).toMatch(/runId/);
  });

  it("rejects a call over 1 KiB", async () => {
    const res = await post(server.url, body({ predictor: "baseline-syntax", call: `f(${"1".repeat(1100)})` }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/call is larger/);
  });

  it("says how to connect an unconfigured CWM backend (503)", async () => {
    const res = await post(server.url, body());
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toMatch(/CWM_VLLM_URL=/);
  });

  it("streams the baseline without any backend", async () => {
    const res = await post(server.url, body({ predictor: "baseline-syntax" }));
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const events = (await res.text()).trim().split("\n").map((l) => PredictEvent.parse(JSON.parse(l)));
    expect(events[0]).toMatchObject({ type: "start", predictor: { label: "Syntax-only baseline (not a model)" } });
    expect(events.at(-1)).toMatchObject({ type: "end", summary: { status: "returned", finish: "eos" } });
  });

  it("GET /api/predictors lists unconfigured CWM backends with their env lines", async () => {
    const list = PredictorList.parse(await (await fetch(`${server.url}/api/predictors`)).json());
    const vllm = list.predictors.find((p) => p.id === "cwm-vllm")!;
    expect(vllm).toMatchObject({ available: false, kind: "cwm" });
    expect(vllm.env?.some((l) => l.startsWith("CWM_VLLM_URL="))).toBe(true);
    expect(list.predictors.find((p) => p.id === "baseline-syntax")).toMatchObject({ available: true, kind: "baseline" });
  });
});

describe("predictor configuration fails fast", () => {
  it("names the variable with a bad value", () => {
    expect(() => loadPredictorConfig({ CWM_VLLM_URL: "not a url" })).toThrow(/CWM_VLLM_URL/);
    expect(() => loadPredictorConfig({ CWM_MAX_CONCURRENT: "0" })).toThrow(/CWM_MAX_CONCURRENT/);
    expect(() => loadPredictorConfig({ CWM_FASTGEN_URL: "http://127.0.0.1:5678" })).toThrow(/CWM_TOKENIZER_PATH/);
  });

  it("refuses unknown and duplicate predictor ids", () => {
    expect(() => loadPredictorConfig({ CWM_PREDICTORS: "baseline-syntax,gpt" })).toThrow(ConfigError);
    expect(() => loadPredictorConfig({ CWM_PREDICTORS: "baseline-syntax,baseline-syntax" })).toThrow(/twice/);
    expect(() => createRegistry([createBaselinePredictor(), createBaselinePredictor()], { maxConcurrent: 1, queueLength: 1 })).toThrow(/duplicate/);
  });

  it("reads the settings it is given", () => {
    const c = loadPredictorConfig({ CWM_VLLM_URL: "http://gpu:8000", CWM_VLLM_MODEL: "facebook/cwm", CWM_IDLE_TIMEOUT_MS: "1234", CWM_PREDICTORS: "cwm-vllm" });
    expect(c).toMatchObject({ enabled: ["cwm-vllm"], vllm: { url: "http://gpu:8000", model: "facebook/cwm" }, timeouts: { idleMs: 1234 } });
  });
});
