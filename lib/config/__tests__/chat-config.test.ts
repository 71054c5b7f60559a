import { describe, expect, it } from "vitest";
import { ConfigError, loadPredictorConfig } from "@/lib/config/predictors";
import { registryFromConfig } from "@/lib/predictors/registry";

const TWO = "qwen|http://127.0.0.1:11434|qwen2.5-coder:7b|Ollama; gpt|https://api.openai.com|gpt-4o-mini|OpenAI";

describe("CHAT_MODELS", () => {
  it("reads several models with their keys from CHAT_API_KEY_<NAME>", () => {
    const c = loadPredictorConfig({ CHAT_MODELS: TWO, CHAT_API_KEY_GPT: "sk-1" });
    expect(c.chat).toEqual([
      { name: "qwen", url: "http://127.0.0.1:11434", model: "qwen2.5-coder:7b", server: "Ollama", keyVar: "CHAT_API_KEY_QWEN" },
      { name: "gpt", url: "https://api.openai.com", model: "gpt-4o-mini", server: "OpenAI", keyVar: "CHAT_API_KEY_GPT", apiKey: "sk-1" },
    ]);
  });

  it("lists every configured chat model by default, before the baseline", () => {
    expect(loadPredictorConfig({ CHAT_MODELS: TWO }).enabled).toEqual(["cwm-vllm", "cwm-fastgen", "chat:qwen", "chat:gpt", "baseline-syntax"]);
    expect(loadPredictorConfig({}).chat).toEqual([]);
  });

  it("takes the server name as optional and a hyphenated name's key with underscores", () => {
    const c = loadPredictorConfig({ CHAT_MODELS: "my-model|http://h:8080|m", CHAT_API_KEY_MY_MODEL: "k" });
    expect(c.chat[0]).toMatchObject({ name: "my-model", apiKey: "k", keyVar: "CHAT_API_KEY_MY_MODEL" });
    expect(c.chat[0].server).toBeUndefined();
  });

  it.each([
    ["qwen|http://h|", "the model name is empty"],
    ["qwen|http://h", "expected NAME|URL|MODEL"],
    ["qwen|http://h|m|S|extra", "expected NAME|URL|MODEL"],
    ["qw en|http://h|m", "the name must be"],
    ["chat:q|http://h|m", "the name must be"],
    ["qwen|ftp://h|m", "is not an http(s) URL"],
    ["qwen|not a url|m", "is not an http(s) URL"],
  ])("stops start-up on %j, naming CHAT_MODELS", (value, why) => {
    expect(() => loadPredictorConfig({ CHAT_MODELS: value })).toThrow(ConfigError);
    expect(() => loadPredictorConfig({ CHAT_MODELS: value })).toThrow(new RegExp(`CHAT_MODELS entry 1 .*${why.replace(/[|()]/g, "\\$&")}`));
  });

  it("stops start-up on a name used twice, ignoring case", () => {
    expect(() => loadPredictorConfig({ CHAT_MODELS: "a|http://h|m;A|http://g|n" })).toThrow(/the name "A" is used twice/);
  });

  it("lets CWM_PREDICTORS choose chat:NAME ids and refuses one not configured", () => {
    expect(loadPredictorConfig({ CHAT_MODELS: TWO, CWM_PREDICTORS: "chat:gpt,baseline-syntax" }).enabled).toEqual(["chat:gpt", "baseline-syntax"]);
    expect(() => loadPredictorConfig({ CHAT_MODELS: TWO, CWM_PREDICTORS: "chat:claude" })).toThrow(/unknown predictor chat:claude .*needs NAME in CHAT_MODELS/);
    expect(() => loadPredictorConfig({ CWM_PREDICTORS: "chat:qwen,chat:qwen", CHAT_MODELS: TWO })).toThrow(/listed twice/);
  });
});

describe("the registry with chat models", () => {
  it("builds chat:NAME predictors labelled by model and server, protected by the CWM limiter", () => {
    const config = loadPredictorConfig({ CHAT_MODELS: TWO, CWM_MAX_CONCURRENT: "3", CWM_QUEUE_LENGTH: "5" });
    const r = registryFromConfig(config);
    const qwen = r.get("chat:qwen")!;
    expect(qwen).toMatchObject({ kind: "chat", label: "qwen2.5-coder:7b via Ollama" });
    expect(qwen.status()).toEqual({ available: true, model: "qwen2.5-coder:7b" });
    expect(r.limiter("chat:gpt")).toMatchObject({ maxConcurrent: 3, queueLength: 5 });
  });

  it("refuses a chat id that the configuration does not hold", () => {
    const config = loadPredictorConfig({ CHAT_MODELS: TWO });
    expect(() => registryFromConfig({ ...config, enabled: ["chat:nope"] })).toThrow(/"chat:nope" is not in CHAT_MODELS/);
  });
});
