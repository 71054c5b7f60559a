/**
 * Saved lessons: created once, never changed (a link handed to a class never changes; editing
 * makes a new lesson). Everything is checked before the one insert, so a refused lesson stores
 * nothing.
 */
import "server-only";
import { AppError, zodMessage } from "@/lib/http/errors";
import { db, isUniqueViolation } from "./db";
import { LessonId, questionProblem, StoredSlides, type CreateLessonBody, type StoredLesson } from "./lesson-schema";
import { getRun, newRunId } from "./runs";
import type { StoredRun } from "./schema";

export function lessonUrl(id: string): string {
  return `/l/${id}`;
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

const ID_ATTEMPTS = 3;

/** `fixedId` (the built-in lessons): one insert, and a taken id is the caller's unique violation. */
export async function createLesson(body: CreateLessonBody, fixedId?: string): Promise<{ id: string; url: string }> {
  await checkSlides(body);
  const slides: StoredSlides = body.slides.map((s) => ({ run: s.run, notes: s.notes ?? null, questions: s.questions ?? [] }));
  const client = await db();
  for (let attempt = 1; ; attempt++) {
    const id = fixedId ?? newRunId();
    try {
      await client.lesson.create({ data: { id, title: body.title, slides: JSON.stringify(slides) } });
      return { id, url: lessonUrl(id) };
    } catch (err) {
      if (!isUniqueViolation(err) || fixedId !== undefined || attempt >= ID_ATTEMPTS) throw err;
    }
  }
}

/** The lesson with each slide's run inlined, or null for an unknown or malformed id. */
export async function getLesson(id: string): Promise<StoredLesson | null> {
  const row = await readLesson(id);
  if (!row) return null;
  // Together, not one after another: getRun shares its cache and any load already in flight.
  const runs = await Promise.all(row.slides.map((s) => getRun(s.run)));
  const slides = row.slides.map((s, i) => {
    const run = runs[i];
    // Runs are never deleted, so this is a broken database, not a bad request.
    if (!run) throw new Error(`stored lesson ${id} refers to a missing run ${s.run}`);
    return { run, notes: s.notes, questions: s.questions };
  });
  return { id: row.id, url: lessonUrl(row.id), title: row.title, createdAt: row.createdAt.toISOString(), slides };
}

/** The lesson's row with its slides parsed, runs not loaded; null when unknown. */
async function readLesson(id: string): Promise<{ id: string; title: string; createdAt: Date; slides: StoredSlides } | null> {
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
  return { id: row.id, title: row.title, createdAt: row.createdAt, slides: stored.data };
}

/**
 * What a presentation page renders on the server: the title and each slide's number of
 * questions. No run is loaded: the runs, and with them the answers, reach the page later.
 */
export async function getLessonDeck(id: string): Promise<{ id: string; title: string; shape: number[] } | null> {
  const row = await readLesson(id);
  return row ? { id: row.id, title: row.title, shape: row.slides.map((s) => s.questions.length) } : null;
}

/** How many lessons are stored (tests, operators). */
export async function countLessons(): Promise<number> {
  return (await db()).lesson.count();
}
