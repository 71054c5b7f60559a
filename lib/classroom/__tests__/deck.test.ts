import { describe, expect, it } from "vitest";
import {
  beatAfter,
  beatIndex,
  beatsOf,
  clampFont,
  deckReducer,
  describeBeat,
  FONT,
  initialDeck,
  keyCommand,
  nextFont,
  PresentMessage,
  reached,
  type Beat,
  type DeckAction,
  type DeckState,
} from "../deck";

/** Slide 1 has two questions, slide 2 none, slide 3 one. */
const SHAPE = [2, 0, 1];
const q = (slide: number, question: number, stage: "line" | "question" | "model" | "reality"): Beat => ({ kind: "question", slide, question, stage });
const run = (actions: DeckAction[], state: DeckState = initialDeck("me"), shape = SHAPE) => actions.reduce((s, a) => deckReducer(shape, s, a), state);
const next = { type: "next" } as const;
const back = { type: "back" } as const;

describe("deck beats", () => {
  it("starts with the title slide", () => {
    expect(beatsOf(SHAPE)[0]).toEqual({ kind: "title" });
  });

  it("a slide begins with its code", () => {
    expect(beatsOf(SHAPE)[1]).toEqual({ kind: "code", slide: 0 });
  });

  it("each question walks line, question, model, reality", () => {
    expect(beatsOf(SHAPE).slice(2, 6)).toEqual([q(0, 0, "line"), q(0, 0, "question"), q(0, 0, "model"), q(0, 0, "reality")]);
  });

  it("a slide without questions has its code then its result", () => {
    const beats = beatsOf(SHAPE);
    const i = beats.findIndex((b) => b.kind === "code" && b.slide === 1);
    expect(beats.slice(i, i + 2)).toEqual([
      { kind: "code", slide: 1 },
      { kind: "result", slide: 1 },
    ]);
  });

  it("counts every beat", () => {
    expect(beatsOf(SHAPE)).toHaveLength(1 + (1 + 8) + (1 + 1) + (1 + 4));
  });

  it("an unknown beat has no index", () => {
    expect(beatIndex(SHAPE, { kind: "code", slide: 7 })).toBe(-1);
    expect(beatIndex(SHAPE, q(0, 5, "line"))).toBe(-1);
  });

  it("reached says which stages of the current question are shown", () => {
    expect(reached(q(0, 0, "question"), "model")).toBe(false);
    expect(reached(q(0, 0, "model"), "model")).toBe(true);
    expect(reached(q(0, 0, "reality"), "model")).toBe(true);
    expect(reached({ kind: "code", slide: 0 }, "line")).toBe(false);
  });
});

describe("deck navigation", () => {
  it("next moves one beat", () => {
    expect(run([next]).beat).toEqual({ kind: "code", slide: 0 });
  });

  it("back from the title stays on the title", () => {
    expect(run([back]).beat).toEqual({ kind: "title" });
  });

  it("next at the end stays at the end", () => {
    const last = run([{ type: "last" }]);
    expect(run([next], last).beat).toEqual(last.beat);
  });

  it("back undoes next", () => {
    expect(run([next, next, next, back]).beat).toEqual(q(0, 0, "line"));
  });

  it("the model's answer comes before reality", () => {
    expect(run([next, next, next, next]).beat).toEqual(q(0, 0, "model"));
    expect(run([next, next, next, next, next]).beat).toEqual(q(0, 0, "reality"));
  });

  it("after reality comes the next question's line", () => {
    expect(run(Array(6).fill(next)).beat).toEqual(q(0, 1, "line"));
  });

  it("End goes to the last beat and Home to the title", () => {
    expect(run([{ type: "last" }]).beat).toEqual(q(2, 0, "reality"));
    expect(run([{ type: "last" }, { type: "first" }]).beat).toEqual({ kind: "title" });
  });

  it("goto jumps to a question's line", () => {
    expect(run([{ type: "goto", beat: q(2, 0, "line") }]).beat).toEqual(q(2, 0, "line"));
  });

  it("goto to a beat the deck does not have is ignored", () => {
    const s = run([next]);
    expect(run([{ type: "goto", beat: q(1, 0, "line") }], s)).toBe(s);
  });

  it("an empty deck shape still has its title", () => {
    expect(run([next, next], initialDeck("me"), []).beat).toEqual({ kind: "title" });
  });
});

describe("blanking", () => {
  it("B blanks and B again shows the same beat", () => {
    const s = run([next, { type: "toggleBlank" }]);
    expect(s.blank).toBe(true);
    const t = run([{ type: "toggleBlank" }], s);
    expect(t.blank).toBe(false);
    expect(t.beat).toEqual({ kind: "code", slide: 0 });
  });

  it("next on a blank screen only lifts the blank", () => {
    const s = run([next, { type: "toggleBlank" }, next]);
    expect(s.blank).toBe(false);
    expect(s.beat).toEqual({ kind: "code", slide: 0 });
  });

  it("back on a blank screen only lifts the blank", () => {
    const s = run([next, next, { type: "toggleBlank" }, back]);
    expect(s.beat).toEqual(q(0, 0, "line"));
  });

  it("a jump lifts the blank", () => {
    expect(run([{ type: "toggleBlank" }, { type: "goto", beat: { kind: "code", slide: 2 } }]).blank).toBe(false);
  });
});

describe("go to slide by number", () => {
  it("digits then Enter go to that slide's code", () => {
    expect(run([{ type: "digit", digit: "3" }, { type: "enter" }]).beat).toEqual({ kind: "code", slide: 2 });
  });

  it("0 then Enter goes to the title", () => {
    expect(run([next, { type: "digit", digit: "0" }, { type: "enter" }]).beat).toEqual({ kind: "title" });
  });

  it("a slide number past the end is dropped and nothing moves", () => {
    const s = run([next, { type: "digit", digit: "9" }, { type: "enter" }]);
    expect(s.beat).toEqual({ kind: "code", slide: 0 });
    expect(s.typed).toBe("");
  });

  it("Enter with nothing typed does nothing", () => {
    const s = run([next]);
    expect(run([{ type: "enter" }], s)).toBe(s);
  });

  it("keeps at most three digits", () => {
    expect(run(["1", "2", "3", "4"].map((digit) => ({ type: "digit", digit }) as const)).typed).toBe("234");
  });

  it("a non-digit is ignored", () => {
    expect(run([{ type: "digit", digit: "x" }]).typed).toBe("");
  });

  it("moving clears what was typed", () => {
    expect(run([{ type: "digit", digit: "2" }, next]).typed).toBe("");
  });
});

describe("two windows in step", () => {
  it("a local move raises the revision and signs it", () => {
    const s = run([next]);
    expect(s.rev).toBe(1);
    expect(s.by).toBe("me");
  });

  it("typing a digit is not a move: no revision", () => {
    expect(run([{ type: "digit", digit: "1" }]).rev).toBe(0);
  });

  it("a newer state from the other window is applied", () => {
    const s = run([{ type: "sync", beat: q(0, 1, "model"), blank: true, rev: 4, by: "other" }]);
    expect(s.beat).toEqual(q(0, 1, "model"));
    expect(s.blank).toBe(true);
    expect(s.rev).toBe(4);
  });

  it("a late (older) state is dropped", () => {
    const s = run([next, next, next]);
    expect(run([{ type: "sync", beat: { kind: "title" }, blank: false, rev: 2, by: "zzz" }], s)).toBe(s);
  });

  it("two moves at once: the higher sender id wins in both windows", () => {
    const a = run([next], initialDeck("a"));
    const b = run([next, next], initialDeck("b"));
    const a2 = deckReducer(SHAPE, a, { type: "sync", beat: b.beat, blank: b.blank, rev: 1, by: "b" });
    const b2 = deckReducer(SHAPE, { ...b, rev: 1 }, { type: "sync", beat: a.beat, blank: a.blank, rev: 1, by: "a" });
    expect(a2.beat).toEqual(b2.beat);
  });

  it("a state naming a beat this deck lacks is dropped", () => {
    const s = initialDeck("me");
    expect(run([{ type: "sync", beat: { kind: "code", slide: 40 }, blank: false, rev: 9, by: "x" }], s)).toBe(s);
  });

  it("after a sync, the next local move outranks it", () => {
    const s = run([{ type: "sync", beat: { kind: "code", slide: 0 }, blank: false, rev: 7, by: "zzz" }, next]);
    expect(s.rev).toBe(8);
    expect(s.by).toBe("me");
  });
});

describe("keys", () => {
  it.each(["PageDown", " ", "ArrowRight", "ArrowDown"])("%j is next", (key) => {
    expect(keyCommand(key)).toEqual({ type: "deck", action: { type: "next" } });
  });

  it.each(["PageUp", "ArrowLeft", "ArrowUp"])("%j is back", (key) => {
    expect(keyCommand(key)).toEqual({ type: "deck", action: { type: "back" } });
  });

  it("B and b blank", () => {
    expect(keyCommand("b")).toEqual({ type: "deck", action: { type: "toggleBlank" } });
    expect(keyCommand("B")).toEqual({ type: "deck", action: { type: "toggleBlank" } });
  });

  it("F toggles full screen", () => {
    expect(keyCommand("f")).toEqual({ type: "fullscreen" });
  });

  it("+ and − change the code size", () => {
    expect(keyCommand("+")).toEqual({ type: "font", delta: 1 });
    expect(keyCommand("-")).toEqual({ type: "font", delta: -1 });
  });

  it("Home and End", () => {
    expect(keyCommand("Home")).toEqual({ type: "deck", action: { type: "first" } });
    expect(keyCommand("End")).toEqual({ type: "deck", action: { type: "last" } });
  });

  it("digits and Enter go to a slide", () => {
    expect(keyCommand("4")).toEqual({ type: "deck", action: { type: "digit", digit: "4" } });
    expect(keyCommand("Enter")).toEqual({ type: "deck", action: { type: "enter" } });
  });

  it("other keys are left alone", () => {
    expect(keyCommand("Tab")).toBeNull();
    expect(keyCommand("x")).toBeNull();
  });
});

describe("code size", () => {
  it("defaults to 24 px", () => {
    expect(FONT.default).toBe(24);
    expect(clampFont(undefined)).toBe(24);
    expect(clampFont(Number.NaN)).toBe(24);
  });

  it("steps by 2 px within bounds", () => {
    expect(nextFont(24, 1)).toBe(26);
    expect(nextFont(FONT.max, 1)).toBe(FONT.max);
    expect(nextFont(FONT.min, -1)).toBe(FONT.min);
  });

  it("a stored size out of range is clamped", () => {
    expect(clampFont(500)).toBe(FONT.max);
    expect(clampFont(-3)).toBe(FONT.min);
  });
});

describe("beats in words", () => {
  it("names the slide, the question and the stage", () => {
    expect(describeBeat(SHAPE, q(0, 1, "model"))).toBe("Slide 1 of 3 · question 2 of 2 · the model's answer");
  });

  it("the title slide", () => {
    expect(describeBeat(SHAPE, { kind: "title" })).toBe("Title slide");
  });

  it("the beat after the last is none", () => {
    expect(beatAfter(SHAPE, q(2, 0, "reality"))).toBeNull();
    expect(beatAfter(SHAPE, { kind: "title" })).toEqual({ kind: "code", slide: 0 });
  });
});

describe("messages between windows", () => {
  it("a state message parses", () => {
    expect(PresentMessage.safeParse({ type: "state", beat: q(0, 0, "line"), blank: false, rev: 3, by: "x" }).success).toBe(true);
  });

  it("a hello parses", () => {
    expect(PresentMessage.safeParse({ type: "hello", by: "x" }).success).toBe(true);
  });

  it("an unknown type is refused", () => {
    expect(PresentMessage.safeParse({ type: "reveal", by: "x" }).success).toBe(false);
  });

  it("a beat with an unknown stage is refused", () => {
    expect(
      PresentMessage.safeParse({ type: "state", beat: { kind: "question", slide: 0, question: 0, stage: "answer" }, blank: false, rev: 1, by: "x" }).success,
    ).toBe(false);
  });

  it("extra fields are refused", () => {
    expect(PresentMessage.safeParse({ type: "hello", by: "x", html: "<b>" }).success).toBe(false);
  });

  it("a negative slide is refused", () => {
    expect(PresentMessage.safeParse({ type: "state", beat: { kind: "code", slide: -1 }, blank: false, rev: 1, by: "x" }).success).toBe(false);
  });
});

describe("recorded predictions between windows", () => {
  it("a recorded message parses", () => {
    expect(PresentMessage.safeParse({ type: "recorded", fileName: "runs.jsonl", text: "{}" }).success).toBe(true);
  });

  it("a recorded message without a file name is refused", () => {
    expect(PresentMessage.safeParse({ type: "recorded", fileName: "", text: "{}" }).success).toBe(false);
  });
});
