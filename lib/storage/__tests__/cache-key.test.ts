import { describe, expect, it } from "vitest";
import { cacheKey } from "@/lib/storage/prediction-cache";

const base = { predictorId: "cwm-vllm", model: "facebook/cwm", prompt: "<|begin_of_text|>def f(x):", settings: { temperature: 0, max_tokens: 4096 } };

describe("cacheKey", () => {
  it("is a sha-256 hex digest", () => expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/));

  it("is the same for the same parts, whatever the key order of the settings", () => {
    expect(cacheKey({ ...base, settings: { max_tokens: 4096, temperature: 0 } })).toBe(cacheKey(base));
  });

  it("treats an absent top_p like an undefined one", () => {
    expect(cacheKey({ ...base, settings: { ...base.settings, top_p: undefined } })).toBe(cacheKey(base));
  });

  it.each([
    ["predictor", { ...base, predictorId: "cwm-fastgen" }],
    ["model", { ...base, model: "facebook/cwm-sft" }],
    ["model null", { ...base, model: null }],
    ["prompt", { ...base, prompt: base.prompt + " " }],
    ["max_tokens", { ...base, settings: { ...base.settings, max_tokens: 4095 } }],
    ["top_p", { ...base, settings: { ...base.settings, top_p: 0.95 } }],
  ])("changes with the %s", (_what, parts) => {
    expect(cacheKey(parts)).not.toBe(cacheKey(base));
  });

  it("does not confuse a prompt with the fields around it", () => {
    const a = cacheKey({ ...base, predictorId: "a", prompt: "b" });
    const b = cacheKey({ ...base, predictorId: "a\",\"prompt\":\"b", prompt: "" });
    expect(a).not.toBe(b);
  });
});
