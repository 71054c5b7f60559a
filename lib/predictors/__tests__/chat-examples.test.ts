import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { buildProgram } from "@/lib/cwm/program";
import { parseChatAnswer } from "@/lib/predictors/chat-parse";
import { CHAT_EXAMPLES } from "@/lib/predictors/chat-prompt";
import { CHAT_EXAMPLE_PROGRAMS } from "@/lib/predictors/chat-examples";
import { EXAMPLES_PATH, generateExamplesText } from "@/scripts/chat-examples";

describe("the chat prompt's few-shot examples", () => {
  it("are exactly what our tracer writes today (regenerate: npx tsx scripts/chat-examples.ts)", async () => {
    const committed = await readFile(EXAMPLES_PATH, "utf8");
    expect(await generateExamplesText()).toBe(committed);
  }, 120_000);

  it("cover the example programs, each a valid finished trace when read back", () => {
    expect(CHAT_EXAMPLES.examples.map(({ code, call }) => ({ code, call }))).toEqual(CHAT_EXAMPLE_PROGRAMS);
    for (const ex of CHAT_EXAMPLES.examples) {
      const t = parseChatAnswer(ex.answer, buildProgram(ex.code, ex.call), { id: "x", model: null }, { finish: "eos" });
      expect(t.valid_format).toBe(true);
      expect(t.frames.every((f) => f.line !== null && !f.invalid)).toBe(true);
    }
    expect(CHAT_EXAMPLES.examples.some((e) => e.call === null)).toBe(true);
    expect(CHAT_EXAMPLES.examples.some((e) => e.answer.includes('"event": "exception"'))).toBe(true);
  });
});
