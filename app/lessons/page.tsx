import type { Metadata } from "next";
import { BUILTIN_LESSONS } from "@/lib/classroom/builtin";
import { ensureBuiltinLessons } from "@/lib/classroom/seed";

export const runtime = "nodejs";
// The links work only once the lessons are in this server's database: checked per request.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Lessons · CWM Playground",
  description: "Ready-made lessons on how a world model predicts code: study them yourself or present them to a class.",
};

// Links styled as buttons: large touch targets, the colours of the playground's own buttons.
const STUDY = "inline-flex min-h-11 items-center rounded bg-slate-900 px-4 font-semibold text-white dark:bg-slate-100 dark:text-slate-900";
const PRESENT = "inline-flex min-h-11 items-center rounded border border-slate-500 px-4 font-semibold";

/** The built-in lessons, each with Study (self-paced) and Present (projector) links. */
export default async function LessonsPage() {
  // Normally done at start-up already; this waits for it (or retries it after a failure).
  const ready = (await ensureBuiltinLessons()) !== null;
  return (
    <main className="mx-auto max-w-3xl p-4 sm:p-8">
      <p>
        <a className="underline" href="/">
          ← Playground
        </a>
      </p>
      <h1 className="mt-4 text-3xl font-bold">Lessons</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        Short lessons on how a world model predicts a program&apos;s run. <strong>Study</strong> one yourself: guess each value before the real run reveals it.{" "}
        <strong>Present</strong> one to a class on a projector, with presenter notes.
      </p>
      {!ready && (
        <p role="alert" className="mt-4 rounded border border-amber-700 p-3 dark:border-amber-400">
          The built-in lessons could not be stored in this server&apos;s database, so their links would not open. The server&apos;s log says why; reload this
          page to try again.
        </p>
      )}
      <ul className="mt-6 space-y-6">
        {BUILTIN_LESSONS.map((lesson) => (
          <li key={lesson.id}>
            <article aria-labelledby={`${lesson.id}-title`} className="rounded border border-slate-300 p-4 dark:border-slate-700">
              <h2 id={`${lesson.id}-title`} className="text-xl font-semibold">
                {lesson.title}
              </h2>
              <p className="mt-1 text-slate-700 dark:text-slate-300">{lesson.summary}</p>
              <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
                {lesson.slides.length} slides: {lesson.slides.map((s) => s.title).join(" · ")}
              </p>
              <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
                Reality only: connect a CWM server or load recorded predictions to add the model.
              </p>
              {ready && (
                <p className="mt-3 flex flex-wrap gap-3">
                  <a className={STUDY} href={`/l/${lesson.id}`} aria-label={`Study: ${lesson.title}`}>
                    Study
                  </a>
                  <a className={PRESENT} href={`/present/${lesson.id}`} aria-label={`Present: ${lesson.title}`}>
                    Present
                  </a>
                </p>
              )}
            </article>
          </li>
        ))}
      </ul>
      <h2 className="mt-8 text-xl font-semibold">Make your own</h2>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        From your own runs in the{" "}
        <a className="underline" href="/lessons/new">
          lesson editor
        </a>
        . With CWM predictions made elsewhere (on a GPU machine, or recorded generations), from the command line:
      </p>
      {/* Wrapped, not scrolled: a scrolling block would need its own keyboard stop. */}
      <pre className="font-code mt-2 whitespace-pre-wrap break-words rounded bg-slate-100 p-3 text-sm dark:bg-slate-900">
        npm run cwm -- lesson create --dataset DATA.jsonl --ids a,b,c --replay RECORDED.jsonl --title &quot;My lesson&quot; --questions auto
      </pre>
    </main>
  );
}
