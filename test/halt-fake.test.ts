/** The fake servers' scripted "Will it halt?" replies: recognised by the question, verdict by a crude rule. */
import { describe, expect, it } from "vitest";
import { buildHaltPrompt, parseHaltReply } from "@/lib/cwm/chat";
import { buildPrompt } from "@/lib/cwm/prompt";
import { TOK } from "@/lib/cwm/tokens";
import { exampleById } from "@/lib/playground/examples";
import { chatGenerationFor, haltQuestionCode } from "@/test/fakes/halt";

const ask = (code: string, call = "") => chatGenerationFor(buildHaltPrompt(code, call).withBos);

describe("the fake's halting replies", () => {
  it("reads the program out of the question, wrapper included", () => {
    expect(haltQuestionCode(buildHaltPrompt("def f():\n    return 1\n", "f()").withBos)).toBe("def f():\n    return 1\ndef main():\n    return f()");
  });

  it("does not take a trace prompt for a question", () => {
    expect(haltQuestionCode(buildPrompt("def f():\n    return 1\n", "f()").withBos)).toBeNull();
  });

  it("writes reasoning of several sentences, </think>, an answer line and <|eot_id|>", () => {
    const reply = ask("x = 1\n");
    expect(reply.endsWith(`Answer: yes${TOK.EOT}`)).toBe(true);
    const parsed = parseHaltReply(reply);
    expect(parsed.reasoning.split(". ").length).toBeGreaterThanOrEqual(3);
    expect(parsed.verdict).toBe("halts");
  });

  it("says no for the gallery's program that never halts", () => {
    const ex = exampleById("collatz-forever")!;
    expect(parseHaltReply(ask(ex.code, ex.call)).verdict).toBe("does_not_halt");
  });

  it("says yes for the gallery's long run that halts", () => {
    const ex = exampleById("long-but-halts")!;
    expect(parseHaltReply(ask(ex.code, ex.call)).verdict).toBe("halts");
  });

  it("says no for while True without break or return, in script mode too", () => {
    expect(parseHaltReply(ask("def f():\n    n = 0\n    while True:\n        n += 1\n", "f()")).verdict).toBe("does_not_halt");
    expect(parseHaltReply(ask("n = 0\nwhile True:\n    n += 1\n")).verdict).toBe("does_not_halt");
  });

  it("says yes for while True with a break (the wrapper's return does not count)", () => {
    expect(parseHaltReply(ask("def f():\n    n = 0\n    while True:\n        n += 1\n        if n > 3:\n            break\n", "f()")).verdict).toBe("halts");
  });
});
