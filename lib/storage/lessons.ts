/**
 * Saved lessons: created once, never changed (a link handed to a class never changes; editing
 * makes a new lesson). Everything is checked before the one insert, so a refused lesson stores
 * nothing.
 */
import "server-only";
import { AppError, zodMessage } from "@/lib/http/errors";
import type { Frame } from "@/lib/trace/schema";
import { db } from "./db";
import { LessonId, StoredSlides, type CreateLessonBody, type Question, type StoredLesson } from "./lesson-schema";
import { getRun, newRunId } from "./runs";
import type { StoredRun } from "./schema";

export function lessonUrl(id: string): string {
  return `/l/${id}`;
}

/** Why the question cannot be asked of this real trace, or null when it can. */
function questionProblem(q: Question, frames: Frame[]): { field: string; message: string } | null {
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

/** The body's runs, each checked against its slide's questions; an AppError naming the field otherwise. */
async function checkSlides(body: CreateLessonBody): Promise<void> {
  const runs = new Map<string, StoredRun | null>();
  for (const [i, slide] of body.slides.entries()) {
    if (!runs.has(slide.run)) runs.set(slide.run, await getRun(slide.run));
    const run = runs.get(slide.run);
    if (!run) throw new AppError("validation", `slides.${i}.run: no saved run with id ${JSON.stringify(slide.run)}`);
    for (const [j, q] of (slide.questions ?? []).entries()) {
      const problem = questionProblem(q, run.actual.frames);
      if (problem) throw new AppError("validation", `slides.${i}.questions.${j}.${problem.field}: ${problem.message}`);
    }
  }
}

const UNIQUE_VIOLATION = "P2002";
const ID_ATTEMPTS = 3;

export async function createLesson(body: CreateLessonBody): Promise<{ id: string; url: string }> {
  await checkSlides(body);
  const slides: StoredSlides = body.slides.map((s) => ({ run: s.run, notes: s.notes ?? null, questions: s.questions ?? [] }));
  const client = await db();
  for (let attempt = 1; ; attempt++) {
    const id = newRunId();
    try {
      await client.lesson.create({ data: { id, title: body.title, slides: JSON.stringify(slides) } });
      return { id, url: lessonUrl(id) };
    } catch (err) {
      const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
      if (code !== UNIQUE_VIOLATION || attempt >= ID_ATTEMPTS) throw err;
    }
  }
}

/** The lesson with each slide's run inlined, or null for an unknown or malformed id. */
export async function getLesson(id: string): Promise<StoredLesson | null> {
  if (!LessonId.safeParse(id).success) return null;
  const row = await (await db()).lesson.findUnique({ where: { id } });
  if (!row) return null;
  // Stored JSON is a boundary too: an unreadable row is a server error, not the client's.
  let json: unknown;
  try {
    json = JSON.parse(row.slides);
  } catch {
    json = undefined;
  }
  const stored = StoredSlides.safeParse(json);
  if (!stored.success) throw new Error(`stored lesson ${id} is unreadable: ${zodMessage(stored.error, "slides")}`);
  const slides = [];
  for (const s of stored.data) {
    const run = await getRun(s.run);
    // Runs are never deleted, so this is a broken database, not a bad request.
    if (!run) throw new Error(`stored lesson ${id} refers to a missing run ${s.run}`);
    slides.push({ run, notes: s.notes, questions: s.questions });
  }
  return { id: row.id, url: lessonUrl(row.id), title: row.title, createdAt: row.createdAt.toISOString(), slides };
}

/** How many lessons are stored (tests, operators). */
export async function countLessons(): Promise<number> {
  return (await db()).lesson.count();
}
