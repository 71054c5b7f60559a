import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../csv";
import { regroup, textsOf } from "../histogram";
import { checkCode, cleanCode } from "../join-code";
import { expectedText, scoreAnswer, type Expected } from "@/lib/classroom/answers";
import { LiveKey } from "@/lib/live/protocol";
import { summarise, summaryCsv, summaryTexts } from "../summary";
import { LESSON } from "./fixtures";

describe("join codes as typed", () => {
  it("upper-cases and drops spaces and dashes", () => expect(cleanCode(" ab c-234 ")).toBe("ABC234"));
  it("accepts six characters of the alphabet", () => expect(checkCode("abc234")).toEqual({ kind: "ok", code: "ABC234" }));
  it("says how many are missing", () => expect(checkCode("AB2")).toEqual({ kind: "short", code: "AB2", missing: 3 }));
  it.each([
    ["AB0234", "0 (zero) and O"],
    ["ABO234", "O and 0 (zero)"],
    ["AB1234", "1 (one), I and L"],
    ["ABI234", "I, 1 (one) and L"],
    ["ABL234", "L, 1 (one) and I"],
  ])("explains the look-alike in %s", (code, hint) => {
    const c = checkCode(code);
    expect(c.kind).toBe("bad");
    expect(c.kind === "bad" && c.message).toContain(hint);
  });
  it("names any other character that is never in a code", () => {
    const c = checkCode("AB#234");
    expect(c.kind === "bad" && c.message).toContain("“#”");
  });
  it("refuses a code that is too long", () => expect(checkCode("ABC2345").kind).toBe("bad"));
});

describe("CSV cells", () => {
  it("quotes commas, quotes and newlines", () => expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"'));
  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])("keeps %j from being a formula", (v) =>
    expect(csvCell(v).replace(/^"/, "").startsWith("'")).toBe(true),
  );
  it("leaves our own numbers as numbers, negative ones too", () => expect(csvCell(-3)).toBe("-3"));
  it("writes booleans as yes/no and null as empty", () => expect([csvCell(true), csvCell(false), csvCell(null)]).toEqual(["yes", "no", ""]));
  it("quotes cells with edge spaces so they survive", () => expect(csvCell(" a")).toBe('" a"'));
  it("ends every row with CRLF", () => expect(toCsv([["a", 1], ["b"]])).toBe("a,1\r\nb\r\n"));
});

describe("histogram bars", () => {
  const norm = new Map<string, string | null>([
    ["[1,2]", "[1, 2]"],
    ["[1, 2]", "[1, 2]"],
    ["[2,1]", "[2, 1]"],
    ["x", null],
  ]);
  const hist = [
    { answer: "[1,2]", count: 2 },
    { answer: "[1, 2]", count: 1 },
    { answer: "[2,1]", count: 2 },
    { answer: "x", count: 1 },
  ];
  it("merges answers the sandbox parsed to the same value", () => {
    expect(regroup(hist, "value", norm, null).map((b) => [b.key, b.count])).toEqual([
      ["[1, 2]", 3],
      ["[2, 1]", 2],
      ["x", 1],
    ]);
  });
  it("marks the bar reality agrees with after the reveal", () => {
    const bars = regroup(hist, "value", norm, { kind: "literal", repr: "[1, 2]" });
    expect(bars.map((b) => b.correct)).toEqual([true, false, false]);
  });
  it("marks nothing before the reveal", () => expect(regroup(hist, "value", norm, null).every((b) => b.correct === null)).toBe(true));
  it("groups lines by number without the sandbox", () => {
    const bars = regroup(
      [
        { answer: "4", count: 1 },
        { answer: "line 4", count: 2 },
      ],
      "next_line",
      new Map(),
      null,
    );
    expect(bars).toEqual([{ key: "line 4", count: 3, texts: ["line 4", "4"], correct: null }]);
  });
  it("asks the sandbox for values and expected reprs, not for lines", () => {
    expect(textsOf([{ answer: " 3 ", count: 1 }], "value", [{ kind: "literal", repr: "3" }])).toEqual(["3"]);
    expect(textsOf([{ answer: "4", count: 1 }], "next_line", [{ kind: "line", line: 4 }])).toEqual([]);
  });
});

describe("the revealed key carries reality's answer as data", () => {
  const kinds: Expected[] = [
    { kind: "literal", repr: "[1, 2]" },
    { kind: "line", line: 5 },
    { kind: "yesno", yes: false },
    { kind: "exception", type: "ValueError", message: "ValueError: bad" },
    { kind: "none", why: "Count is not set at that step" },
  ];
  it.each(kinds)("a $kind answer survives the wire", (expected) =>
    expect(LiveKey.parse(JSON.parse(JSON.stringify({ real: expectedText(expected), expected, model: null }))).expected).toEqual(expected));
  it("a local not set at that step is not scored, even when the answer is its name", () => {
    const key = LiveKey.parse({ real: "Count is not set at that step", expected: { kind: "none", why: "Count is not set at that step" }, model: null });
    expect(scoreAnswer("Count", key.expected, new Map())).toBeNull();
  });
  it("a key without its expected answer is refused", () => expect(LiveKey.safeParse({ real: "3", model: null }).success).toBe(false));
  it("an expected answer of an unknown kind is refused", () =>
    expect(LiveKey.safeParse({ real: "3", expected: { kind: "guess", repr: "3" }, model: null }).success).toBe(false));
});

describe("the end-of-class summary", () => {
  const results = {
    participants: 4,
    phase: "ended" as const,
    questions: [
      {
        slide: 0,
        question: 0,
        prompt: "What is `s`?",
        kind: "value" as const,
        answers: 4,
        histogram: [
          { answer: "0", count: 2 },
          { answer: "0.0", count: 1 },
          { answer: "2", count: 1 },
        ],
        correct: "0",
        right: 2,
        model: { answer: "0", correct: true },
      },
      {
        slide: 0,
        question: 1,
        prompt: "What does f(2) return?",
        kind: "return" as const,
        answers: 2,
        histogram: [{ answer: "2", count: 2 }],
        correct: null,
        right: null,
        model: null,
      },
      { slide: 1, question: 0, prompt: "Which line?", kind: "next_line" as const, answers: 0, histogram: [], correct: null, right: null, model: null },
    ],
  };
  const norm = new Map<string, string | null>([
    ["0", "0"],
    ["0.0", "0.0"],
    ["2", "2"],
    ["3", "3"],
  ]);

  it("scores the class from the lesson's real trace", () => {
    const rows = summarise(results, LESSON, norm);
    expect(rows.map((r) => [r.right, r.percent])).toEqual([
      [2, 50],
      [2, 100],
      [0, null],
    ]);
  });

  it("scores the model from its stored prediction, and says when a slide has none", () => {
    const rows = summarise(results, LESSON, norm);
    expect(rows[0].model).toMatchObject({ answer: "0", correct: true, label: "CWM (vLLM) · facebook/cwm" });
    expect(rows[1].model).toMatchObject({ answer: "3", correct: false });
    expect(rows[2].model).toBeNull();
  });

  it("counts a model with no answer where reality has one as wrong, not unscored", () => {
    const first = LESSON.slides[0];
    const p = first.run.predictions[0];
    const cut = { ...p, status: "incomplete" as const, finish: "length" as const, frames: p.frames.slice(0, 3), result: null };
    const lesson = { ...LESSON, slides: [{ ...first, run: { ...first.run, predictions: [cut] } }, LESSON.slides[1]] };
    const row = summarise(results, lesson, norm)[1];
    expect(row.model).toMatchObject({ answer: "the model was still running when its token budget ran out", correct: false });
  });

  it("says which questions were revealed in class", () => expect(summarise(results, LESSON, norm).map((r) => r.revealed)).toEqual([true, false, false]));

  it("asks the sandbox for every answer and expected value in one batch", () => expect(summaryTexts(results, LESSON).sort()).toEqual(["0", "0.0", "2", "3"]));

  it("writes a CSV with a header row and one row per question", () => {
    const csv = summaryCsv("Sums, =1", 4, summarise(results, LESSON, norm));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe('lesson,"Sums, =1"');
    expect(lines[3].split(",")[0]).toBe("slide");
    expect(lines[4]).toBe("1,1,What is `s`?,4,2,50,0,CWM (vLLM) · facebook/cwm,0,yes,yes");
    expect(lines).toHaveLength(7);
  });
});
