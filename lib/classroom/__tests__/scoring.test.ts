import { describe, expect, it } from "vitest";
import { answerKey, expectedText, lineOf, scoreAnswer, textsToNormalise, yesNoOf, type Expected } from "../answers";
import { predictionLabel } from "../recorded";

const none = new Map<string, string | null>();
const yes: Expected = { kind: "yesno", yes: true };
const no: Expected = { kind: "yesno", yes: false };

describe("yes/no answers", () => {
  it.each(["yes", "Yes", "y", "YES.", "true", "it does"])("reads %j as yes", (a) => expect(yesNoOf(a)).toBe(true));
  it.each(["no", "N", "never", "loops", "runs forever", "false"])("reads %j as no", (a) => expect(yesNoOf(a)).toBe(false));
  it.each(["maybe", "", "yes and no"])("reads %j as neither", (a) => expect(yesNoOf(a)).toBeNull());
  it("scores yes against a halting run", () => expect(scoreAnswer("yes", yes, none)).toBe(true));
  it("scores yes against a run stopped by its budget as wrong", () => expect(scoreAnswer("yes", no, none)).toBe(false));
  it("scores an unreadable yes/no as wrong", () => expect(scoreAnswer("perhaps", yes, none)).toBe(false));
});

describe("next-line answers", () => {
  it.each([["4", 4], ["line 4", 4], [" L12 ", 12], ["Line 7", 7]])("reads %j as line %d", (a, n) => expect(lineOf(a)).toBe(n));
  it.each(["four", "4.0", "-1", "4 or 5"])("reads %j as no line", (a) => expect(lineOf(a)).toBeNull());
  it("scores the right line", () => expect(scoreAnswer("5", { kind: "line", line: 5 }, none)).toBe(true));
  it("scores another line as wrong", () => expect(scoreAnswer("6", { kind: "line", line: 5 }, none)).toBe(false));
});

describe("scoring without the sandbox (trimmed text)", () => {
  it("accepts the exact repr, trimmed", () => expect(scoreAnswer("  [1, 2] ", { kind: "literal", repr: "[1, 2]" }, none)).toBe(true));
  it("does not guess: [1,2] without the sandbox is other text", () => expect(scoreAnswer("[1,2]", { kind: "literal", repr: "[1, 2]" }, none)).toBe(false));
  it("ignores object addresses as the comparison does", () =>
    expect(scoreAnswer("<A object at 0x7f00>", { kind: "literal", repr: "<A object at 0x1234>" }, none)).toBe(true));
  it("scores nothing against a question with no answer", () => expect(scoreAnswer("3", { kind: "none", why: "cut" }, none)).toBeNull());
  it("scores an empty answer as wrong", () => expect(scoreAnswer("  ", { kind: "literal", repr: "1" }, none)).toBe(false));
});

describe("what the sandbox is asked to parse", () => {
  it("the answer and the expected repr, for a literal", () => expect(textsToNormalise(" [1,2] ", { kind: "literal", repr: "[1, 2]" })).toEqual(["[1,2]", "[1, 2]"]));
  it("nothing for a line or yes/no question", () => {
    expect(textsToNormalise("4", { kind: "line", line: 4 })).toEqual([]);
    expect(textsToNormalise("yes", yes)).toEqual([]);
  });
  it("both expectations' reprs when the model answers too", () =>
    expect(textsToNormalise("1", { kind: "literal", repr: "2" }, { kind: "literal", repr: "3" })).toEqual(["1", "2", "3"]));
});

describe("histogram keys", () => {
  it("groups lines by number", () => expect(answerKey("line 4", "next_line", none)).toBe(answerKey("4", "next_line", none)));
  it("groups yes/no by meaning", () => expect(answerKey("Y", "halts", none)).toBe("yes"));
  it("keeps unparsed answers as trimmed text", () => expect(answerKey("  abc ", "value", none)).toBe("abc"));
});

describe("expected answers as text", () => {
  it.each<[Expected, string]>([
    [{ kind: "literal", repr: "'s'" }, "'s'"],
    [{ kind: "line", line: 3 }, "line 3"],
    [yes, "yes"],
    [{ kind: "exception", type: "KeyError", message: "KeyError: 'k'" }, "KeyError: 'k'"],
    [{ kind: "none", why: "cut short" }, "cut short"],
  ])("%j reads %j", (e, text) => expect(expectedText(e)).toBe(text));
});

describe("a prediction's label", () => {
  const trace = (label: string, model: string | null) => ({ predictor: { id: "x", label, model } });
  it("adds the model after the predictor", () => expect(predictionLabel(trace("CWM (vLLM)", "facebook/cwm"))).toBe("CWM (vLLM) · facebook/cwm"));
  it("does not repeat a model the label already names", () =>
    expect(predictionLabel(trace("qwen2.5-coder:7b via Ollama", "qwen2.5-coder:7b"))).toBe("qwen2.5-coder:7b via Ollama"));
  it("is the label alone without a model", () => expect(predictionLabel(trace("CWM (recorded)", null))).toBe("CWM (recorded)"));
});
