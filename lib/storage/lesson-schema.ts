/**
 * Lessons on the wire (docs: ../shared/spec/classroom.md "Lesson"): the POST /api/lessons body
 * and the lesson as GET /api/lessons/<id> returns it, each slide's run inlined. The shapes are
 * checked here; what needs the runs (the run exists, frame K and NAME exist in its real trace)
 * is checked in lessons.ts. No server imports: the lesson editor may validate with it too.
 */
import { z } from "zod";
import { LIMITS, utf8Bytes } from "@/lib/http/limits";
import { RunId, StoredRun } from "./schema";
import type { Frame } from "@/lib/trace/schema";

export const LESSON_LIMITS = {
  titleChars: 120,
  slides: 50,
  notesBytes: 8 * 1024,
  questions: 10,
  nameChars: 200,
} as const;

/** Same scheme as run ids: 96 random bits as 16 base64url characters. */
export const LessonId = RunId;
export type LessonId = z.infer<typeof LessonId>;

/** An index into the run's real trace (canonical frames, numbered from 0 as the API does). */
const FrameIndex = z
  .number()
  .int()
  .min(0)
  .max(LIMITS.frames - 1, `a frame index is below ${LIMITS.frames}`);

/** Characters, not UTF-16 units: "120 characters" means what a person counts. */
const chars = (s: string) => [...s].length;

export const Question = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("value"),
      frame: FrameIndex,
      name: z
        .string()
        .min(1, "name is empty")
        .refine((s) => chars(s) <= LESSON_LIMITS.nameChars, `name is longer than ${LESSON_LIMITS.nameChars} characters`),
    })
    .strict(),
  z.object({ kind: z.literal("next_line"), frame: FrameIndex }).strict(),
  z.object({ kind: z.literal("return") }).strict(),
  z.object({ kind: z.literal("halts") }).strict(),
]);
export type Question = z.infer<typeof Question>;

/**
 * Why the question cannot be asked of this real trace, or null when it can: the server's check
 * of a posted lesson, and the rule `--questions auto` and the built-in lessons pick by.
 */
export function questionProblem(q: Question, frames: readonly Frame[]): { field: string; message: string } | null {
  if (q.kind === "return" || q.kind === "halts") return null;
  const n = frames.length;
  if (q.frame >= n) return { field: "frame", message: `frame ${q.frame} is outside the run's real trace (${n} frames, 0–${n - 1})` };
  const frame = frames[q.frame];
  if (q.kind === "next_line") {
    if (q.frame + 1 >= n) return { field: "frame", message: `frame ${q.frame} is the last one: there is no next line to ask for` };
    return null;
  }
  // A value question asks for a local before the line runs: only call and line frames have locals.
  if (frame.event !== "call" && frame.event !== "line") {
    return { field: "frame", message: `frame ${q.frame} is a ${frame.event} frame: a value question needs a call or line frame` };
  }
  if (!frame.locals || !Object.hasOwn(frame.locals, q.name)) {
    const known = Object.keys(frame.locals ?? {});
    return {
      field: "name",
      message:
        `${JSON.stringify(q.name.slice(0, 80))} is not a local of frame ${q.frame}` +
        (known.length ? ` (its locals: ${known.slice(0, 20).join(", ")})` : " (it has no locals)"),
    };
  }
  return null;
}

export const Slide = z
  .object({
    run: RunId,
    notes: z
      .string()
      .refine((s) => utf8Bytes(s) <= LESSON_LIMITS.notesBytes, `notes are longer than ${LESSON_LIMITS.notesBytes} bytes (UTF-8)`)
      .optional(),
    questions: z.array(Question).max(LESSON_LIMITS.questions, `a slide has at most ${LESSON_LIMITS.questions} questions`).optional(),
  })
  .strict();
export type Slide = z.infer<typeof Slide>;

export const LessonTitle = z
  .string()
  .refine((s) => s.trim() !== "", "title is empty")
  .refine((s) => chars(s) <= LESSON_LIMITS.titleChars, `title is longer than ${LESSON_LIMITS.titleChars} characters`);

export const CreateLessonBody = z
  .object({
    title: LessonTitle,
    slides: z.array(Slide).min(1, "a lesson has at least one slide").max(LESSON_LIMITS.slides, `a lesson has at most ${LESSON_LIMITS.slides} slides`),
  })
  .strict();
export type CreateLessonBody = z.infer<typeof CreateLessonBody>;

export const CreateLessonResponse = z.object({ id: LessonId, url: z.string() }).strict();
export type CreateLessonResponse = z.infer<typeof CreateLessonResponse>;

/** The slides as stored (the validated body's slides, with their defaults filled in). */
export const StoredSlides = z.array(z.object({ run: RunId, notes: z.string().nullable(), questions: z.array(Question) }).strict());
export type StoredSlides = z.infer<typeof StoredSlides>;

export const LessonSlide = z.object({ run: StoredRun, notes: z.string().nullable(), questions: z.array(Question) }).strict();
export type LessonSlide = z.infer<typeof LessonSlide>;

export const StoredLesson = z
  .object({
    id: LessonId,
    url: z.string(),
    title: z.string(),
    createdAt: z.string(),
    slides: z.array(LessonSlide),
  })
  .strict();
export type StoredLesson = z.infer<typeof StoredLesson>;
