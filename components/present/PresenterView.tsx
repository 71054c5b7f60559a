"use client";
import { Markdown } from "@/components/classroom/Markdown";
import { PromptText } from "@/components/classroom/PromptText";
import { beatAfter, describeBeat, type Beat } from "@/lib/classroom/deck";
import type { RecordedSet } from "@/lib/classroom/recorded";
import type { LessonSlide, StoredLesson } from "@/lib/storage/lesson-schema";
import { ModelAnswer, RealAnswer } from "./Answers";
import { CodeView } from "./CodeView";
import { GoToMenu } from "./GoToMenu";
import { RecordedLoader } from "./RecordedLoader";
import { useBeatView } from "./useBeatView";
import { useStoredLesson } from "@/components/useStored";
import { usePresentKeys } from "./usePresentDeck";
import { usePresentWindow } from "./usePresentWindow";

const BUTTON = "rounded border border-slate-500 px-3 py-1.5 hover:bg-slate-100 dark:hover:bg-slate-800";

/** The current slide for the teacher: everything at once, answers included. */
function Now({ slide, beat, recorded }: { slide: LessonSlide; beat: Exclude<Beat, { kind: "title" }>; recorded: RecordedSet | null }) {
  const { model, view } = useBeatView(slide, beat, recorded);
  return (
    <div className="space-y-3">
      {slide.run.call && <p className="font-code">Call: {slide.run.call}</p>}
      <CodeView code={slide.run.code} line={beat.kind === "question" && view ? view.prompt.line : null} fontPx={16} label="Current slide's code" />
      {view && (
        <>
          <p className="text-xl font-semibold" data-testid="notes-question">
            <PromptText text={view.prompt.text} />
          </p>
          <ModelAnswer model={model} answer={view.model} size="small" />
          <RealAnswer answer={view.real} modelRight={view.modelRight} executor={slide.run.actual.executor ?? slide.run.executor} size="small" />
        </>
      )}
    </div>
  );
}

function nextText(lesson: StoredLesson | undefined, shape: readonly number[], beat: Beat): string {
  const next = beatAfter(shape, beat);
  if (!next) return "The end of the lesson.";
  const words = describeBeat(shape, next);
  if (next.kind !== "code") return words;
  const call = lesson?.slides[next.slide]?.run.call;
  return call ? `${words}: ${call}` : words;
}

/**
 * `/present/<id>/notes`: the presenter view in a second window. Notes, the answer and what comes
 * next; its keys and buttons move the projector too (same deck, same channel).
 */
export function PresenterView({ id, title, shape }: { id: string; title: string; shape: number[] }) {
  const lesson = useStoredLesson(id);
  const { state, dispatch, recorded, load } = usePresentWindow(id, shape);
  // Full screen and the code size belong to the projector window; here they do nothing.
  usePresentKeys(dispatch, () => {});
  const beat = state.beat;
  const slideIndex = beat.kind === "title" ? 0 : beat.slide;
  const slide = lesson.data?.slides[slideIndex];

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-300 px-4 py-2 dark:border-slate-700">
        <h1 className="text-lg font-semibold">Presenter view · {title}</h1>
        <span data-testid="notes-beat" aria-live="polite">
          {describeBeat(shape, beat)}
        </span>
        {state.blank && (
          <span className="rounded bg-slate-900 px-2 py-0.5 text-white dark:bg-white dark:text-slate-900" data-testid="notes-blank">
            Projector blank
          </span>
        )}
        <span className="flex-1" />
        <GoToMenu beat={beat} shape={shape} lesson={lesson.data} onGo={(b) => dispatch({ type: "goto", beat: b })} />
        <button type="button" className={BUTTON} onClick={() => dispatch({ type: "back" })}>
          ◀ Back
        </button>
        <button type="button" className={BUTTON} onClick={() => dispatch({ type: "toggleBlank" })}>
          {state.blank ? "Show (B)" : "Blank (B)"}
        </button>
        <button type="button" className={BUTTON} onClick={() => dispatch({ type: "next" })}>
          Next ▶
        </button>
      </header>
      <main className="grid flex-1 gap-6 p-4 md:grid-cols-2">
        <section aria-labelledby="now-heading" className="min-w-0 space-y-3">
          <h2 id="now-heading" className="text-xl font-semibold">
            Now
          </h2>
          {lesson.error ? (
            <p role="alert">Could not load the lesson: {lesson.error.message}</p>
          ) : beat.kind === "title" ? (
            <>
              <p>The title slide: the lesson&apos;s QR code and link.</p>
              <RecordedLoader recorded={recorded} onLoad={load} />
            </>
          ) : !slide ? (
            <p>Loading the lesson…</p>
          ) : (
            <Now slide={slide} beat={beat} recorded={recorded} />
          )}
        </section>
        <div className="min-w-0 space-y-6">
          <section aria-labelledby="notes-heading" className="space-y-2">
            <h2 id="notes-heading" className="text-xl font-semibold">
              Notes{beat.kind === "title" ? " for slide 1" : ` for slide ${slideIndex + 1}`}
            </h2>
            <div data-testid="notes-text" className="text-lg">
              {slide?.notes ? <Markdown source={slide.notes} /> : <p className="italic">No notes for this slide.</p>}
            </div>
          </section>
          <section aria-labelledby="next-heading" className="space-y-2">
            <h2 id="next-heading" className="text-xl font-semibold">
              Next
            </h2>
            <p data-testid="notes-next">{nextText(lesson.data, shape, beat)}</p>
          </section>
        </div>
      </main>
    </div>
  );
}
