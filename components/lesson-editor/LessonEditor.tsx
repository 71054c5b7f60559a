"use client";
import Link from "next/link";
import { useState } from "react";
import { type DraftAction } from "@/lib/classroom/draft";
import { LESSON_LIMITS } from "@/lib/storage/lesson-schema";
import { Notice } from "../Notice";
import { SECONDARY_BUTTON } from "../Toolbar";
import { ForkLoader } from "./ForkLoader";
import { PublishPanel } from "./PublishPanel";
import { SlideCard } from "./SlideCard";
import { useLessonDraft } from "./useLessonDraft";

/** Where focus goes after a slide moved: the same button on the moved slide, or its other move button at an end. */
function focusMoved(to: number, by: -1 | 1) {
  requestAnimationFrame(() => {
    const card = document.querySelector(`[data-slide="${to}"]`);
    const same = card?.querySelector<HTMLButtonElement>(`[data-move="${by}"]`);
    const other = card?.querySelector<HTMLButtonElement>(`[data-move="${-by}"]`);
    (same && !same.disabled ? same : other)?.focus();
  });
}

/** The lesson editor (/lessons/new): the draft built in the playground, ordered, annotated, published. */
export function LessonEditor({ fork }: { fork: string | null }) {
  const { draft, loaded, notice, dismissNotice, edit } = useLessonDraft();
  const [titleProblem, setTitleProblem] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const [confirmClear, setConfirmClear] = useState(false);
  const count = draft.slides.length;
  const titleChars = [...draft.title].length;

  const act = (a: DraftAction, done: string): string | null => {
    const refused = edit(a);
    setSaid(refused ? "" : done);
    return refused;
  };

  return (
    <main className="mx-auto max-w-6xl space-y-4 p-4">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto text-2xl font-bold">Lesson editor</h1>
        <Link className="flex min-h-11 items-center underline" href="/">
          Back to the playground
        </Link>
      </header>
      {/* Announces moves and removals, which change the page under a keyboard user's focus. */}
      <p role="status" className="sr-only" data-testid="editor-status">
        {said}
      </p>
      {notice && <Notice onDismiss={dismissNotice}>{notice}</Notice>}
      {loaded && fork && <ForkLoader id={fork} draft={draft} onLoad={(d) => edit({ type: "draft/replace", draft: d })} />}
      {draft.forkedFrom && (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="forked-from">
          Forked from the lesson{" "}
          <a className="underline" href={`/l/${draft.forkedFrom}`}>
            /l/{draft.forkedFrom}
          </a>
          . Publishing makes a new lesson; the original stays as it is.
        </p>
      )}

      <div className="space-y-1">
        <label htmlFor="lesson-title" className="block font-semibold">
          Title
        </label>
        <input
          id="lesson-title"
          className="min-h-11 w-full max-w-2xl rounded border border-slate-400 bg-white px-2 text-lg dark:border-slate-500 dark:bg-slate-900"
          value={draft.title}
          aria-describedby="lesson-title-count"
          aria-invalid={titleProblem !== null}
          onChange={(e) => setTitleProblem(edit({ type: "title/set", title: e.target.value }))}
        />
        <p id="lesson-title-count" className="text-xs text-slate-700 dark:text-slate-300">
          {titleChars} / {LESSON_LIMITS.titleChars} characters{titleChars === 0 ? " (a title is needed to publish)" : ""}
        </p>
        {titleProblem && (
          <p role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200">
            {titleProblem}
          </p>
        )}
      </div>

      <section aria-labelledby="slides-heading" className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="slides-heading" className="mr-auto text-xl font-semibold">
            Slides ({count} / {LESSON_LIMITS.slides})
          </h2>
          {count > 0 &&
            (confirmClear ? (
              <span className="flex flex-wrap items-center gap-2" role="group" aria-label="Confirm clearing the draft">
                <span>Clear the title and all {count} slides?</span>
                <button
                  type="button"
                  className={SECONDARY_BUTTON}
                  onClick={() => {
                    act({ type: "draft/clear" }, "The draft was cleared.");
                    setConfirmClear(false);
                  }}
                >
                  Yes, clear
                </button>
                <button type="button" className={SECONDARY_BUTTON} onClick={() => setConfirmClear(false)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className={SECONDARY_BUTTON} onClick={() => setConfirmClear(true)}>
                Clear draft…
              </button>
            ))}
        </div>
        {loaded && count === 0 && (
          <p data-testid="no-slides">
            No slides yet. In the{" "}
            <Link className="underline" href="/">
              playground
            </Link>
            , run a program and press <strong>Add to lesson</strong>; each run becomes a slide here.
          </p>
        )}
        <ol className="space-y-4">
          {draft.slides.map((s, i) => (
            <SlideCard
              key={`${i}:${s.run}`}
              slide={s}
              index={i}
              count={count}
              onEdit={edit}
              onMove={(by) => {
                if (!act({ type: "slide/move", index: i, by }, `Moved slide ${i + 1} to position ${i + 1 + by}.`)) focusMoved(i + by, by);
              }}
              onRemove={() => act({ type: "slide/remove", index: i }, `Removed slide ${i + 1} (${s.title}).`)}
            />
          ))}
        </ol>
      </section>

      <PublishPanel draft={draft} />
    </main>
  );
}
