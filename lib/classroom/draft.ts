/**
 * The lesson draft a teacher builds in the playground before publishing (issue 11): kept in
 * local storage, edited only through `editDraft`, a pure reducer that refuses (with a message)
 * what POST /api/lessons would refuse, so a draft that loads is one the server can accept.
 * Browser-safe and React-free.
 */
import { z } from "zod";
import { zodMessage } from "@/lib/http/errors";
import { utf8Bytes } from "@/lib/http/limits";
import { CreateLessonBody, LESSON_LIMITS, LessonId, Question, type StoredLesson } from "@/lib/storage/lesson-schema";
import { RunId } from "@/lib/storage/schema";

/** How a slide is named in the editor: never sent, the run's code is the truth. */
const DISPLAY_CHARS = 80;

export const DraftSlide = z
  .object({
    run: RunId,
    /** For display only: the run's first line of code (and its call). */
    title: z.string().max(200),
    notes: z.string(),
    questions: z.array(Question),
  })
  .strict();
export type DraftSlide = z.infer<typeof DraftSlide>;

export const LessonDraft = z
  .object({
    version: z.literal(1),
    title: z.string(),
    slides: z.array(DraftSlide),
    /** The lesson this draft was forked from (lessons are immutable: publishing makes a new one). */
    forkedFrom: LessonId.nullable(),
  })
  .strict();
export type LessonDraft = z.infer<typeof LessonDraft>;

export const EMPTY_DRAFT: LessonDraft = { version: 1, title: "", slides: [], forkedFrom: null };

/** An edit of the draft (made by this page only: nothing to parse). */
export type DraftAction =
  | { type: "slide/add"; run: string; title: string }
  | { type: "slide/remove"; index: number }
  | { type: "slide/move"; index: number; by: -1 | 1 }
  | { type: "slide/notes"; index: number; notes: string }
  | { type: "question/add"; index: number; question: Question }
  | { type: "question/remove"; index: number; question: number }
  | { type: "title/set"; title: string }
  | { type: "draft/replace"; draft: LessonDraft }
  | { type: "draft/clear" };

/** The new draft, or the old one unchanged with why the edit was refused. */
export interface DraftEdit {
  draft: LessonDraft;
  refused: string | null;
}

const chars = (s: string) => [...s].length;

function truncate(s: string, n: number): string {
  const cs = [...s];
  return cs.length <= n ? s : `${cs.slice(0, n - 1).join("")}…`;
}

/** A slide's display name: the first non-blank line of code, and the call when there is one. */
export function slideTitle(code: string, call: string | null): string {
  const first =
    code
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? "(empty)";
  const c = call?.trim() ?? "";
  return truncate(c ? `${first} · ${c}` : first, DISPLAY_CHARS);
}

export function sameQuestion(a: Question, b: Question): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "value" && b.kind === "value") return a.frame === b.frame && a.name === b.name;
  if (a.kind === "next_line" && b.kind === "next_line") return a.frame === b.frame;
  return true;
}

const refuse = (draft: LessonDraft, why: string): DraftEdit => ({ draft, refused: why });
const ok = (draft: LessonDraft): DraftEdit => ({ draft, refused: null });

function withSlide(draft: LessonDraft, index: number, f: (s: DraftSlide) => DraftSlide | string): DraftEdit {
  const slide = draft.slides[index];
  if (!slide) return refuse(draft, `there is no slide ${index + 1}`);
  const next = f(slide);
  if (typeof next === "string") return refuse(draft, next);
  return ok({ ...draft, slides: draft.slides.map((s, i) => (i === index ? next : s)) });
}

export function editDraft(draft: LessonDraft, action: DraftAction): DraftEdit {
  switch (action.type) {
    case "slide/add": {
      if (draft.slides.length >= LESSON_LIMITS.slides) return refuse(draft, `a lesson has at most ${LESSON_LIMITS.slides} slides`);
      const slide: DraftSlide = { run: action.run, title: truncate(action.title, DISPLAY_CHARS), notes: "", questions: [] };
      return ok({ ...draft, slides: [...draft.slides, slide] });
    }
    case "slide/remove":
      if (!draft.slides[action.index]) return refuse(draft, `there is no slide ${action.index + 1}`);
      return ok({ ...draft, slides: draft.slides.filter((_, i) => i !== action.index) });
    case "slide/move": {
      const to = action.index + action.by;
      if (!draft.slides[action.index]) return refuse(draft, `there is no slide ${action.index + 1}`);
      if (to < 0 || to >= draft.slides.length) return refuse(draft, action.by < 0 ? "the first slide cannot move up" : "the last slide cannot move down");
      const slides = [...draft.slides];
      [slides[action.index], slides[to]] = [slides[to], slides[action.index]];
      return ok({ ...draft, slides });
    }
    case "slide/notes":
      if (utf8Bytes(action.notes) > LESSON_LIMITS.notesBytes) return refuse(draft, `notes are at most ${LESSON_LIMITS.notesBytes} bytes (UTF-8)`);
      return withSlide(draft, action.index, (s) => ({ ...s, notes: action.notes }));
    case "question/add":
      return withSlide(draft, action.index, (s) => {
        if (s.questions.length >= LESSON_LIMITS.questions) return `a slide has at most ${LESSON_LIMITS.questions} questions`;
        if (s.questions.some((q) => sameQuestion(q, action.question))) return "this slide already asks that question";
        return { ...s, questions: [...s.questions, action.question] };
      });
    case "question/remove":
      return withSlide(draft, action.index, (s) =>
        s.questions[action.question] ? { ...s, questions: s.questions.filter((_, j) => j !== action.question) } : `there is no question ${action.question + 1}`,
      );
    case "title/set":
      if (chars(action.title) > LESSON_LIMITS.titleChars) return refuse(draft, `the title is at most ${LESSON_LIMITS.titleChars} characters`);
      return ok({ ...draft, title: action.title });
    case "draft/replace":
      return ok(action.draft);
    case "draft/clear":
      return ok(EMPTY_DRAFT);
  }
}

export function isEmptyDraft(d: LessonDraft): boolean {
  return d.slides.length === 0 && d.title.trim() === "";
}

/** A published lesson as a new draft to change and publish again (a fork). */
export function draftFromLesson(lesson: StoredLesson): LessonDraft {
  return {
    version: 1,
    title: truncate(lesson.title, LESSON_LIMITS.titleChars),
    forkedFrom: lesson.id,
    slides: lesson.slides.slice(0, LESSON_LIMITS.slides).map((s) => ({
      run: s.run.id,
      title: slideTitle(s.run.code, s.run.call),
      notes: s.notes ?? "",
      questions: s.questions.slice(0, LESSON_LIMITS.questions),
    })),
  };
}

/** The POST /api/lessons body, or the first reason the server would refuse it. */
export function publishBody(d: LessonDraft): { ok: true; body: CreateLessonBody } | { ok: false; message: string } {
  const body = {
    title: d.title.trim(),
    slides: d.slides.map((s) => ({ run: s.run, ...(s.notes.trim() ? { notes: s.notes } : {}), ...(s.questions.length ? { questions: s.questions } : {}) })),
  };
  const parsed = CreateLessonBody.safeParse(body);
  return parsed.success ? { ok: true, body: parsed.data } : { ok: false, message: zodMessage(parsed.error, "lesson") };
}

const KEY = "cwm-playground:lesson-draft:v1";

/** The stored draft; a value that cannot be read is dropped (removed) and said so, never thrown. */
export function loadLessonDraft(storage: Pick<Storage, "getItem" | "removeItem"> | undefined): { draft: LessonDraft; notice: string | null } {
  let raw: string | null;
  try {
    raw = storage?.getItem(KEY) ?? null;
  } catch {
    return { draft: EMPTY_DRAFT, notice: "This browser's storage cannot be read: the lesson draft is not kept." };
  }
  if (raw === null) return { draft: EMPTY_DRAFT, notice: null };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = LessonDraft.safeParse(json);
  if (parsed.success) return { draft: parsed.data, notice: null };
  try {
    storage?.removeItem(KEY);
  } catch {
    // Nothing more to do: the unreadable value is ignored either way.
  }
  return { draft: EMPTY_DRAFT, notice: "The stored lesson draft could not be read (damaged or from another version) and was dropped." };
}

export function saveLessonDraft(storage: Pick<Storage, "setItem"> | undefined, draft: LessonDraft): boolean {
  try {
    storage?.setItem(KEY, JSON.stringify(draft));
    return true;
  } catch {
    // Storage full or disabled (private mode): the caller says the draft is not kept.
    return false;
  }
}

export const LESSON_DRAFT_KEY = KEY;
