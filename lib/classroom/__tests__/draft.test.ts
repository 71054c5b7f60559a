import { describe, expect, it } from "vitest";
import { LESSON_LIMITS, type StoredLesson } from "@/lib/storage/lesson-schema";
import type { StoredRun } from "@/lib/storage/schema";
import {
  EMPTY_DRAFT,
  LESSON_DRAFT_KEY,
  draftFromLesson,
  editDraft,
  isEmptyDraft,
  loadLessonDraft,
  publishBody,
  saveLessonDraft,
  slideTitle,
  type DraftAction,
  type LessonDraft,
} from "../draft";

const RUN_A = "AAAAAAAAAAAAAAAA";
const RUN_B = "BBBBBBBBBBBBBBBB";
const RUN_C = "CCCCCCCCCCCCCCCC";

function apply(d: LessonDraft, ...actions: DraftAction[]): LessonDraft {
  return actions.reduce((acc, a) => {
    const r = editDraft(acc, a);
    if (r.refused) throw new Error(`refused: ${r.refused}`);
    return r.draft;
  }, d);
}

const three = () =>
  apply(
    EMPTY_DRAFT,
    { type: "slide/add", run: RUN_A, title: "a" },
    { type: "slide/add", run: RUN_B, title: "b" },
    { type: "slide/add", run: RUN_C, title: "c" },
  );

class MemoryStorage {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

describe("editDraft: slides", () => {
  it("adds a slide at the end with empty notes and no questions", () => {
    const d = apply(EMPTY_DRAFT, { type: "slide/add", run: RUN_A, title: "def f(n):" });
    expect(d.slides).toEqual([{ run: RUN_A, title: "def f(n):", notes: "", questions: [] }]);
  });

  it("keeps slides in the order they were added", () => {
    expect(three().slides.map((s) => s.run)).toEqual([RUN_A, RUN_B, RUN_C]);
  });

  it("allows the same run twice (two slides may ask different questions of one run)", () => {
    const d = apply(EMPTY_DRAFT, { type: "slide/add", run: RUN_A, title: "a" }, { type: "slide/add", run: RUN_A, title: "a" });
    expect(d.slides).toHaveLength(2);
  });

  it("refuses the slide past the limit and says the limit", () => {
    let d = EMPTY_DRAFT;
    for (let i = 0; i < LESSON_LIMITS.slides; i++) d = apply(d, { type: "slide/add", run: RUN_A, title: "a" });
    const r = editDraft(d, { type: "slide/add", run: RUN_B, title: "b" });
    expect(r.refused).toContain(`${LESSON_LIMITS.slides} slides`);
    expect(r.draft).toBe(d);
  });

  it("shortens a long display title", () => {
    const d = apply(EMPTY_DRAFT, { type: "slide/add", run: RUN_A, title: "x".repeat(500) });
    expect([...d.slides[0].title].length).toBeLessThanOrEqual(80);
    expect(d.slides[0].title.endsWith("…")).toBe(true);
  });

  it("removes a slide by index", () => {
    expect(apply(three(), { type: "slide/remove", index: 1 }).slides.map((s) => s.run)).toEqual([RUN_A, RUN_C]);
  });

  it("refuses to remove a slide that does not exist", () => {
    expect(editDraft(three(), { type: "slide/remove", index: 5 }).refused).toContain("no slide 6");
  });

  it("moves a slide up", () => {
    expect(apply(three(), { type: "slide/move", index: 2, by: -1 }).slides.map((s) => s.run)).toEqual([RUN_A, RUN_C, RUN_B]);
  });

  it("moves a slide down", () => {
    expect(apply(three(), { type: "slide/move", index: 0, by: 1 }).slides.map((s) => s.run)).toEqual([RUN_B, RUN_A, RUN_C]);
  });

  it("refuses to move the first slide up", () => {
    const d = three();
    const r = editDraft(d, { type: "slide/move", index: 0, by: -1 });
    expect(r.refused).toContain("first slide");
    expect(r.draft).toBe(d);
  });

  it("refuses to move the last slide down", () => {
    expect(editDraft(three(), { type: "slide/move", index: 2, by: 1 }).refused).toContain("last slide");
  });

  it("moving keeps each slide's notes and questions with it", () => {
    const d = apply(
      three(),
      { type: "slide/notes", index: 0, notes: "first" },
      { type: "question/add", index: 0, question: { kind: "halts" } },
      { type: "slide/move", index: 0, by: 1 },
    );
    expect(d.slides[1]).toMatchObject({ run: RUN_A, notes: "first", questions: [{ kind: "halts" }] });
  });

  it("never mutates the draft it was given", () => {
    const d = three();
    const copy = structuredClone(d);
    apply(d, { type: "slide/move", index: 0, by: 1 }, { type: "slide/notes", index: 1, notes: "n" }, { type: "slide/remove", index: 0 });
    expect(d).toEqual(copy);
  });
});

describe("editDraft: title and notes", () => {
  it("sets the title", () => {
    expect(apply(EMPTY_DRAFT, { type: "title/set", title: "Loops" }).title).toBe("Loops");
  });

  it("accepts a title of exactly the limit in characters (not UTF-16 units)", () => {
    const title = "🐍".repeat(LESSON_LIMITS.titleChars);
    expect(editDraft(EMPTY_DRAFT, { type: "title/set", title }).refused).toBeNull();
  });

  it("refuses a title one character over the limit", () => {
    expect(editDraft(EMPTY_DRAFT, { type: "title/set", title: "x".repeat(LESSON_LIMITS.titleChars + 1) }).refused).toContain("120 characters");
  });

  it("sets a slide's notes", () => {
    expect(apply(three(), { type: "slide/notes", index: 1, notes: "# Loop\n*why*" }).slides[1].notes).toBe("# Loop\n*why*");
  });

  it("refuses notes over the byte limit, counting UTF-8 bytes", () => {
    const notes = "é".repeat(LESSON_LIMITS.notesBytes / 2 + 1);
    expect(editDraft(three(), { type: "slide/notes", index: 0, notes }).refused).toContain("bytes");
  });

  it("refuses notes for a slide that does not exist", () => {
    expect(editDraft(EMPTY_DRAFT, { type: "slide/notes", index: 0, notes: "x" }).refused).toContain("no slide 1");
  });
});

describe("editDraft: questions", () => {
  it("adds a value question", () => {
    const d = apply(three(), { type: "question/add", index: 0, question: { kind: "value", frame: 3, name: "s" } });
    expect(d.slides[0].questions).toEqual([{ kind: "value", frame: 3, name: "s" }]);
  });

  it("adds a next_line question", () => {
    const d = apply(three(), { type: "question/add", index: 2, question: { kind: "next_line", frame: 1 } });
    expect(d.slides[2].questions).toEqual([{ kind: "next_line", frame: 1 }]);
  });

  it("refuses the same question twice on one slide", () => {
    const d = apply(three(), { type: "question/add", index: 0, question: { kind: "value", frame: 3, name: "s" } });
    expect(editDraft(d, { type: "question/add", index: 0, question: { kind: "value", frame: 3, name: "s" } }).refused).toContain("already");
  });

  it("allows the same name at another frame", () => {
    const d = apply(
      three(),
      { type: "question/add", index: 0, question: { kind: "value", frame: 3, name: "s" } },
      { type: "question/add", index: 0, question: { kind: "value", frame: 4, name: "s" } },
    );
    expect(d.slides[0].questions).toHaveLength(2);
  });

  it("refuses a second return question", () => {
    const d = apply(three(), { type: "question/add", index: 0, question: { kind: "return" } });
    expect(editDraft(d, { type: "question/add", index: 0, question: { kind: "return" } }).refused).toContain("already");
  });

  it("refuses the question past the per-slide limit", () => {
    let d = three();
    for (let k = 0; k < LESSON_LIMITS.questions; k++) d = apply(d, { type: "question/add", index: 0, question: { kind: "next_line", frame: k } });
    expect(editDraft(d, { type: "question/add", index: 0, question: { kind: "halts" } }).refused).toContain(`${LESSON_LIMITS.questions} questions`);
  });

  it("removes a question by index", () => {
    const d = apply(
      three(),
      { type: "question/add", index: 1, question: { kind: "return" } },
      { type: "question/add", index: 1, question: { kind: "halts" } },
      { type: "question/remove", index: 1, question: 0 },
    );
    expect(d.slides[1].questions).toEqual([{ kind: "halts" }]);
  });

  it("refuses to remove a question that does not exist", () => {
    expect(editDraft(three(), { type: "question/remove", index: 0, question: 0 }).refused).toContain("no question 1");
  });
});

describe("editDraft: whole drafts", () => {
  it("clear empties everything, including where it was forked from", () => {
    expect(apply({ ...three(), title: "t", forkedFrom: RUN_A }, { type: "draft/clear" })).toEqual(EMPTY_DRAFT);
  });

  it("replace loads another draft", () => {
    const other = { ...three(), title: "other" };
    expect(apply(EMPTY_DRAFT, { type: "draft/replace", draft: other })).toBe(other);
  });

  it("an empty draft is one with no slides and a blank title", () => {
    expect(isEmptyDraft(EMPTY_DRAFT)).toBe(true);
    expect(isEmptyDraft({ ...EMPTY_DRAFT, title: "  " })).toBe(true);
    expect(isEmptyDraft({ ...EMPTY_DRAFT, title: "x" })).toBe(false);
    expect(isEmptyDraft(three())).toBe(false);
  });
});

describe("slideTitle", () => {
  it("is the first non-blank line and the call", () => {
    expect(slideTitle("\n\ndef f(n):\n    return n\n", "f(3)")).toBe("def f(n): · f(3)");
  });

  it("is the first line alone in script mode", () => {
    expect(slideTitle("x = 1\nprint(x)", null)).toBe("x = 1");
    expect(slideTitle("x = 1", "  ")).toBe("x = 1");
  });
});

describe("publishBody", () => {
  it("needs a title", () => {
    const r = publishBody(three());
    expect(r).toEqual({ ok: false, message: "title: title is empty" });
  });

  it("needs at least one slide", () => {
    const r = publishBody({ ...EMPTY_DRAFT, title: "t" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("at least one slide");
  });

  it("sends run, notes and questions in the draft's order, trimming the title", () => {
    const d = apply(
      three(),
      { type: "title/set", title: "  Loops  " },
      { type: "slide/notes", index: 1, notes: "see *this*" },
      { type: "question/add", index: 2, question: { kind: "halts" } },
    );
    expect(publishBody(d)).toEqual({
      ok: true,
      body: { title: "Loops", slides: [{ run: RUN_A }, { run: RUN_B, notes: "see *this*" }, { run: RUN_C, questions: [{ kind: "halts" }] }] },
    });
  });

  it("leaves out blank notes", () => {
    const d = apply(three(), { type: "title/set", title: "t" }, { type: "slide/notes", index: 0, notes: "  \n" });
    const r = publishBody(d);
    expect(r.ok && r.body.slides[0]).toEqual({ run: RUN_A });
  });

  it("does not send the display titles", () => {
    const r = publishBody(apply(three(), { type: "title/set", title: "t" }));
    expect(JSON.stringify(r)).not.toContain('"b"');
  });
});

function storedRun(id: string, code: string, call: string | null): StoredRun {
  return {
    id,
    url: `/r/${id}`,
    createdAt: "2026-01-01T00:00:00.000Z",
    title: null,
    code,
    call,
    mode: call ? "call" : "script",
    executor: null,
    actual: { frames: [], status: "returned" } as unknown as StoredRun["actual"],
    predictions: [],
    provenance: null,
    metrics: null,
  };
}

describe("draftFromLesson (fork)", () => {
  const lesson: StoredLesson = {
    id: "LLLLLLLLLLLLLLLL",
    url: "/l/LLLLLLLLLLLLLLLL",
    title: "Loops",
    createdAt: "2026-01-01T00:00:00.000Z",
    slides: [
      { run: storedRun(RUN_B, "def g():\n  pass", "g()"), notes: null, questions: [] },
      { run: storedRun(RUN_A, "x = 1", null), notes: "**n**", questions: [{ kind: "value", frame: 1, name: "x" }] },
    ],
  };

  it("keeps title, order, notes and questions, and remembers the lesson", () => {
    const d = draftFromLesson(lesson);
    expect(d).toEqual({
      version: 1,
      title: "Loops",
      forkedFrom: "LLLLLLLLLLLLLLLL",
      slides: [
        { run: RUN_B, title: "def g(): · g()", notes: "", questions: [] },
        { run: RUN_A, title: "x = 1", notes: "**n**", questions: [{ kind: "value", frame: 1, name: "x" }] },
      ],
    });
  });

  it("publishes back to the same slides", () => {
    const r = publishBody(draftFromLesson(lesson));
    expect(r.ok && r.body.slides.map((s) => s.run)).toEqual([RUN_B, RUN_A]);
  });
});

describe("loadLessonDraft / saveLessonDraft", () => {
  it("round-trips a draft", () => {
    const s = new MemoryStorage();
    const d = { ...three(), title: "t" };
    expect(saveLessonDraft(s, d)).toBe(true);
    expect(loadLessonDraft(s)).toEqual({ draft: d, notice: null });
  });

  it("is the empty draft with no notice when nothing is stored", () => {
    expect(loadLessonDraft(new MemoryStorage())).toEqual({ draft: EMPTY_DRAFT, notice: null });
  });

  it("drops a value that is not JSON, with a notice", () => {
    const s = new MemoryStorage();
    s.setItem(LESSON_DRAFT_KEY, "{not json");
    const r = loadLessonDraft(s);
    expect(r.draft).toEqual(EMPTY_DRAFT);
    expect(r.notice).toContain("dropped");
    expect(s.getItem(LESSON_DRAFT_KEY)).toBeNull();
  });

  it("drops JSON of the wrong shape (a bad run id), with a notice", () => {
    const s = new MemoryStorage();
    s.setItem(LESSON_DRAFT_KEY, JSON.stringify({ ...EMPTY_DRAFT, slides: [{ run: "../x", title: "", notes: "", questions: [] }] }));
    expect(loadLessonDraft(s).notice).toContain("dropped");
  });

  it("drops a draft with a question kind it does not know", () => {
    const s = new MemoryStorage();
    s.setItem(LESSON_DRAFT_KEY, JSON.stringify({ ...EMPTY_DRAFT, slides: [{ run: RUN_A, title: "", notes: "", questions: [{ kind: "eval", code: "1" }] }] }));
    expect(loadLessonDraft(s).notice).toContain("dropped");
  });

  it("drops a draft of another version", () => {
    const s = new MemoryStorage();
    s.setItem(LESSON_DRAFT_KEY, JSON.stringify({ ...EMPTY_DRAFT, version: 2 }));
    expect(loadLessonDraft(s).notice).toContain("dropped");
  });

  it("says so when storage cannot be read, without throwing", () => {
    const broken = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      removeItem: () => undefined,
    };
    expect(loadLessonDraft(broken).notice).toContain("cannot be read");
  });

  it("reports a failed save (storage full) instead of throwing", () => {
    const full = {
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(saveLessonDraft(full, EMPTY_DRAFT)).toBe(false);
  });

  it("works without storage at all (server render)", () => {
    expect(loadLessonDraft(undefined)).toEqual({ draft: EMPTY_DRAFT, notice: null });
  });
});
