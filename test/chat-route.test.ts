import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "@/lib/cwm/program";
import { loadPredictorConfig } from "@/lib/config/predictors";
import { createListHandler, createPredictHandler } from "@/lib/predictors/handler";
import { CHAT_EXAMPLES } from "@/lib/predictors/chat-prompt";
import { PredictEvent, PredictorList } from "@/lib/predictors/protocol";
import { registryFromConfig } from "@/lib/predictors/registry";
import { startFakeChat, type FakeChat } from "@/test/fakes/chat";
import { serveRoutes } from "@/test/http-harness";

const [LOOP] = CHAT_EXAMPLES.examples;

describe("POST /api/predict with a chat model (fake chat server, real sockets)", () => {
  let fake: FakeChat;
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    fake = await startFakeChat({ apiKey: "sk-route", mode: "fence", script: new Map([[buildProgram(LOOP.code, LOOP.call).program, LOOP.answer]]) });
    const config = loadPredictorConfig({ CHAT_MODELS: `qwen|${fake.url}|qwen2.5-coder:7b|Ollama`, CHAT_API_KEY_QWEN: "sk-route", CWM_MAX_CONCURRENT: "1", CWM_QUEUE_LENGTH: "0" });
    const registry = registryFromConfig(config);
    server = await serveRoutes({
      "POST /api/predict": createPredictHandler({ registry, defaultMaxTokens: 1234 }),
      "GET /api/predictors": createListHandler(registry, { maxTokens: 1234 }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  const post = (over: Record<string, unknown> = {}, init: RequestInit = {}) =>
    fetch(`${server.url}/api/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runId: "r1", predictor: "chat:qwen", code: LOOP.code, call: LOOP.call, ...over }),
      ...init,
    });

  it("lists the chat model with its label and kind", async () => {
    const list = PredictorList.parse(await (await fetch(`${server.url}/api/predictors`)).json());
    expect(list.predictors.find((p) => p.id === "chat:qwen")).toEqual({ id: "chat:qwen", label: "qwen2.5-coder:7b via Ollama", kind: "chat", available: true, model: "qwen2.5-coder:7b" });
  });

  it("streams start, frames and end; the trace is the scripted one and the key went upstream", async () => {
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const events = (await res.text()).trim().split("\n").map((l) => PredictEvent.parse(JSON.parse(l)));
    expect(events[0]).toMatchObject({ type: "start", runId: "r1", predictor: { id: "chat:qwen", kind: "chat", label: "qwen2.5-coder:7b via Ollama", model: "qwen2.5-coder:7b" }, settings: { temperature: 0, max_tokens: 1234 } });
    // The raw view shows what this model read: the conversation, not CWM's token prompt.
    const start = events[0];
    expect(start.type === "start" && start.prompt).toMatch(/```python/);
    expect(start.type === "start" && start.prompt).not.toMatch(/<\|trace_context_start\|>/);
    const frames = events.filter((e) => e.type === "frame");
    expect(frames).toHaveLength(LOOP.answer.split("\n").length);
    expect(frames.map((e) => (e.type === "frame" ? e.index : -1))).toEqual(frames.map((_, i) => i));
    expect(events.at(-1)).toMatchObject({ type: "end", summary: { status: "returned", result: "6", finish: "eos", valid_format: true, predictor: { id: "chat:qwen" } } });
    const upstream = fake.requests.at(-1)!;
    expect(upstream.headers.authorization).toBe("Bearer sk-route");
    expect(upstream.body).toMatchObject({ model: "qwen2.5-coder:7b", stream: true, temperature: 0, max_tokens: 1234 });
  });

  it("refuses an unknown chat id with 422, naming the known ones", async () => {
    const res = await post({ predictor: "chat:nope" });
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/unknown predictor "chat:nope".*chat:qwen/);
  });

  it("refuses another media type, bad settings and an oversized body before any upstream request", async () => {
    const before = fake.requests.length;
    expect((await post({}, { headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await post({ settings: { temperature: 9 } })).status).toBe(422);
    expect((await post({ code: "x = 1\n".repeat(40_000) })).status).toBeGreaterThanOrEqual(413);
    expect(fake.requests.length).toBe(before);
  });

  it("answers 429 with Retry-After when the chat model's limiter is full", async () => {
    const slow = await startFakeChat({ mode: "slow-first-token", firstTokenDelayMs: 1_500 });
    const registry = registryFromConfig(loadPredictorConfig({ CHAT_MODELS: `slow|${slow.url}|qwen2.5-coder:7b`, CWM_MAX_CONCURRENT: "1", CWM_QUEUE_LENGTH: "0" }));
    const s = await serveRoutes({ "POST /api/predict": createPredictHandler({ registry, defaultMaxTokens: 100 }) });
    try {
      const req = (runId: string) =>
        fetch(`${s.url}/api/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ runId, predictor: "chat:slow", code: "x = 1" }) });
      const first = await req("a");
      expect(first.status).toBe(200);
      const second = await req("b");
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      await first.text();
    } finally {
      await s.close();
      await slow.close();
    }
  });
});
