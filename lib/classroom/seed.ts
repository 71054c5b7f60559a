/**
 * The built-in lessons in every server's database, without anyone doing anything: at start-up
 * (lib/startup.ts) and before the lesson index answers, each run and lesson is stored under its
 * fixed id unless it is there already. The real traces come from traces.json (made by our own
 * tracer, checked by a golden test): the server stores them and never runs code.
 *
 * Idempotent and safe when several servers start together on one PostgreSQL: an insert that
 * loses the race to another server is a unique-key violation, read as "already there". Runs go
 * first, so a stored lesson never points at a missing run.
 */
import "server-only";
import { z } from "zod";
import { isUniqueViolation } from "@/lib/storage/db";
import { CreateLessonBody } from "@/lib/storage/lesson-schema";
import { createLesson } from "@/lib/storage/lessons";
import { createRun } from "@/lib/storage/runs";
import { RunId } from "@/lib/storage/schema";
import { zodMessage } from "@/lib/http/errors";
import { CanonicalTrace } from "@/lib/trace/schema";
import { BUILTIN_LESSONS, type BuiltinLesson } from "./builtin";
import { resolveQuestion } from "./builtin/resolve";
import tracesJson from "./builtin/traces.json";

const BuiltinTraces = z.record(RunId, CanonicalTrace);

export interface SeedReport {
  runsCreated: number;
  lessonsCreated: number;
}

interface PreparedRun {
  id: string;
  title: string;
  code: string;
  call: string;
  actual: CanonicalTrace;
}

/** Everything checked before anything is written: a broken definition stores nothing. */
function prepareBuiltins(lessons: readonly BuiltinLesson[]): { runs: PreparedRun[]; lessons: { id: string; body: CreateLessonBody }[] } {
  const parsed = BuiltinTraces.safeParse(tracesJson);
  if (!parsed.success) throw new Error(`built-in traces.json is unreadable: ${zodMessage(parsed.error, "traces")}`);
  const traces = parsed.data;
  const runs: PreparedRun[] = [];
  const out = lessons.map((lesson) => {
    RunId.parse(lesson.id);
    const slides = lesson.slides.map((s, i) => {
      const actual = traces[s.runId];
      if (!actual) throw new Error(`built-in lesson ${lesson.id}: no trace for slide ${i} (${s.runId}); run npx tsx lib/classroom/builtin/write-traces.ts`);
      runs.push({ id: s.runId, title: s.title, code: s.code, call: s.call, actual });
      const questions = s.questions.map((q, j) => resolveQuestion(q, actual.frames, `${lesson.id} slide ${i} question ${j}`));
      return { run: s.runId, notes: s.notes, questions };
    });
    // The same rules as POST /api/lessons (title, notes size, question counts).
    const body = CreateLessonBody.safeParse({ title: lesson.title, slides });
    if (!body.success) throw new Error(`built-in lesson ${lesson.id}: ${zodMessage(body.error, "lesson")}`);
    return { id: lesson.id, body: body.data };
  });
  return { runs, lessons: out };
}

/** An insert that is already there (stored by an earlier start, or by another server just now) is not an error. */
async function stored(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Stores what is missing; returns how much it stored (0 and 0 on every start after the first). */
export async function seedBuiltinLessons(lessons: readonly BuiltinLesson[] = BUILTIN_LESSONS): Promise<SeedReport> {
  const prepared = prepareBuiltins(lessons);
  const report: SeedReport = { runsCreated: 0, lessonsCreated: 0 };
  for (const r of prepared.runs) {
    if (await stored(() => createRun({ title: r.title, code: r.code, call: r.call, actual: r.actual }, r.id))) report.runsCreated++;
  }
  for (const l of prepared.lessons) {
    if (await stored(() => createLesson(l.body, l.id))) report.lessonsCreated++;
  }
  return report;
}

let seeding: Promise<SeedReport> | null = null;

/**
 * Once per process: the start-up seeding and the lesson index share one attempt. A failure is
 * logged, never fatal (the playground works without lessons), and the next caller tries again.
 */
export function ensureBuiltinLessons(): Promise<SeedReport | null> {
  seeding ??= seedBuiltinLessons();
  return seeding.then(
    (r) => r,
    (err: unknown) => {
      seeding = null;
      console.error(`cwm-playground: could not store the built-in lessons (the rest of the app works): ${err instanceof Error ? err.message : String(err)}`);
      return null;
    },
  );
}
