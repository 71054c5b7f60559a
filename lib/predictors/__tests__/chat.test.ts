import { afterEach, describe, expect, it } from "vitest";
import { buildProgram } from "@/lib/cwm/program";
import { createChatPredictor, type ChatOptions } from "@/lib/predictors/chat";
import { CHAT_EXAMPLES, CHAT_SYSTEM_PROMPT } from "@/lib/predictors/chat-prompt";
import type { Frame } from "@/lib/trace/schema";
import { startFakeChat, type FakeChat, type FakeChatOptions } from "@/test/fakes/chat";

const [LOOP, , RAISE] = CHAT_EXAMPLES.examples;
const script = new Map(CHAT_EXAMPLES.examples.map((e) => [buildProgram(e.code, e.call).program, e.answer]));
const settings = { temperature: 0, max_tokens: 2048 };
const timeouts = { connectMs: 2_000, firstTokenMs: 2_000, idleMs: 2_000 };

let fake: FakeChat | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(fakeOpts: FakeChatOptions = {}, opts: Partial<ChatOptions> = {}) {
  fake = await startFakeChat({ script, ...fakeOpts });
  const predictor = createChatPredictor({ id: "chat:qwen", name: "qwen", url: fake.url, model: "qwen2.5-coder:7b", server: "Ollama", keyHint: "CHAT_API_KEY_QWEN", timeouts, ...opts });
  return { fake, predictor };
}

describe("chat predictor over the fake chat server", () => {
  it("is labelled with the model and the server, never CWM", async () => {
    const { predictor } = await setup();
    expect(predictor.label).toBe("qwen2.5-coder:7b via Ollama");
    expect(predictor.kind).toBe("chat");
    expect(predictor.label).not.toMatch(/cwm/i);
    const noServer = createChatPredictor({ id: "chat:x", name: "x", url: "https://api.example.com/", model: "gpt-4o-mini", timeouts });
    expect(noServer.label).toBe("gpt-4o-mini via api.example.com");
  });

  it("predicts the scripted trace, streaming every frame to the sink", async () => {
    const { predictor } = await setup();
    const sunk: Frame[] = [];
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, (e) => {
      if (e.type === "frame") sunk[e.index] = e.frame;
    });
    expect(t).toMatchObject({ status: "returned", result: "6", finish: "eos", valid_format: true, valid_json: true, predictor: { id: "chat:qwen", model: "qwen2.5-coder:7b", label: "qwen2.5-coder:7b via Ollama" } });
    expect(t.frames).toHaveLength(LOOP.answer.split("\n").length);
    expect(sunk).toEqual(t.frames);
    expect(t.raw).toBe(LOOP.answer);
    expect(t.prompt).toContain(CHAT_SYSTEM_PROMPT);
  });

  it("sends the protocol's fields, the program verbatim last, and no Authorization without a key", async () => {
    const { fake, predictor } = await setup();
    await predictor.predict({ code: RAISE.code, call: RAISE.call, settings: { temperature: 0.3, max_tokens: 777, top_p: 0.9 } }, () => {});
    const req = fake.requests.find((r) => r.path === "/v1/chat/completions")!;
    expect(req.method).toBe("POST");
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers["content-type"]).toBe("application/json");
    const body = req.body as { model: string; stream: boolean; temperature: number; max_tokens: number; top_p: number; messages: Array<{ role: string; content: string }> };
    expect(body).toMatchObject({ model: "qwen2.5-coder:7b", stream: true, temperature: 0.3, max_tokens: 777, top_p: 0.9 });
    expect(body.messages[0]).toEqual({ role: "system", content: CHAT_SYSTEM_PROMPT });
    expect(body.messages.map((m) => m.role)).toEqual(["system", ...CHAT_EXAMPLES.examples.flatMap(() => ["user", "assistant"]), "user"]);
    const last = body.messages.at(-1)!.content;
    expect(last).toContain(`\`\`\`python\n${buildProgram(RAISE.code, RAISE.call).program}\`\`\``);
    expect(last).toContain("def main():  # << START_OF_TRACE\n    return f([5])\n");
  });

  it("sends Authorization: Bearer KEY when a key is configured", async () => {
    const { fake, predictor } = await setup({ apiKey: "sk-test" }, { apiKey: "sk-test" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t.status).toBe("returned");
    expect(fake.requests.every((r) => r.headers.authorization === "Bearer sk-test")).toBe(true);
  });

  it("names the key variable on 401", async () => {
    const { predictor } = await setup({ apiKey: "sk-right" }, { apiKey: "sk-wrong" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t.finish).toBe("error");
    expect(t.message).toMatch(/chat server Ollama .*refused the request \(401\); check CHAT_API_KEY_QWEN/);
    expect(t.message).not.toMatch(/CWM/);
  });

  it("says when to retry on 429", async () => {
    const { predictor } = await setup({ mode: "429" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t).toMatchObject({ finish: "error", status: "incomplete" });
    expect(t.message).toMatch(/429\), retry after 7 s/);
  });

  it("reports a server failure (500) with its detail", async () => {
    const { predictor } = await setup({ mode: "500" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t.finish).toBe("error");
    expect(t.message).toMatch(/failed \(500\).*server had an error/);
  });

  it("says which model a server does not serve (404)", async () => {
    const { predictor } = await setup({ model: "llama3" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t.message).toMatch(/404.*"qwen2\.5-coder:7b"/);
  });

  it("times out a server that sends no first token", async () => {
    const { predictor } = await setup({ mode: "slow-first-token", firstTokenDelayMs: 3_000 }, { timeouts: { ...timeouts, firstTokenMs: 150 } });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t.finish).toBe("error");
    expect(t.message).toMatch(/sent no token within 150 ms/);
  });

  it("keeps the frames before a cut by length, labelled", async () => {
    const { predictor } = await setup({ mode: "length" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t).toMatchObject({ finish: "length", status: "incomplete", valid_format: false });
    expect(t.frames.length).toBeGreaterThan(3);
    expect(t.frames.at(-1)!.invalid).toBe("the last line was cut off before its end");
  });

  it("keeps the frames before a dropped connection and says what happened", async () => {
    const { predictor } = await setup({ mode: "drop" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t.finish).toBe("error");
    expect(t.message).toMatch(/closed the connection|closed the stream/);
    expect(t.frames.length).toBeGreaterThan(0);
  });

  it("stops on the caller's signal and closes the upstream request", async () => {
    const { fake, predictor } = await setup({ mode: "slow-first-token", firstTokenDelayMs: 5_000 });
    const ac = new AbortController();
    const p = predictor.predict({ code: LOOP.code, call: LOOP.call, settings, signal: ac.signal }, () => {});
    await expect.poll(() => fake.requests.length).toBe(1);
    ac.abort(new Error("user stop"));
    const t = await p;
    expect(t.finish).toBe("stopped");
    await expect.poll(() => fake.aborted).toBe(1);
  });

  it("reads a server that answers with one JSON object although asked to stream", async () => {
    const { predictor } = await setup({ ignoreStream: true, mode: "fence" });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t).toMatchObject({ status: "returned", result: "6", valid_format: true, tokens: { prompt: expect.any(Number), completion: expect.any(Number) } });
  });

  it("says so when nothing listens at the URL", async () => {
    const predictor = createChatPredictor({ id: "chat:x", name: "x", url: "http://127.0.0.1:9", model: "m", timeouts });
    const t = await predictor.predict({ code: LOOP.code, call: LOOP.call, settings }, () => {});
    expect(t.finish).toBe("error");
    expect(t.message).toMatch(/cannot reach the chat server 127\.0\.0\.1:9/);
  });
});
