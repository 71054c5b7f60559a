"use client";
import { useStoredRun } from "@/components/useStored";
import { useState } from "react";
import { questionPrompt } from "@/lib/classroom/answers";
import { sameQuestion, type DraftAction, type DraftSlide } from "@/lib/classroom/draft";
import { utf8Bytes } from "@/lib/http/limits";
import { LESSON_LIMITS, type Question } from "@/lib/storage/lesson-schema";
import { Markdown } from "../classroom/Markdown";
import { SECONDARY_BUTTON } from "../Toolbar";
import { PromptText } from "@/components/classroom/PromptText";
import { RunFrames } from "./RunFrames";

const SMALL_BUTTON = "min-h-11 rounded border border-slate-500 px-2 text-sm font-semibold disabled:opacity-40";

/** One slide of the draft: order, notes with a live preview, questions picked from its real trace. */
export function SlideCard(props: {
  slide: DraftSlide;
  index: number;
  count: number;
  onEdit: (a: DraftAction) => string | null;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { slide, index: i } = props;
  const run = useStoredRun(slide.run);
  const [problem, setProblem] = useState<string | null>(null);
  const edit = (a: DraftAction) => setProblem(props.onEdit(a));
  const toggle = (q: Question) => {
    const at = slide.questions.findIndex((x) => sameQuestion(x, q));
    edit(at >= 0 ? { type: "question/remove", index: i, question: at } : { type: "question/add", index: i, question: q });
  };
  const n = i + 1;
  const headingId = `slide-${i}-heading`;
  const notesId = `slide-${i}-notes`;
  const bytes = utf8Bytes(slide.notes);

  return (
    <li className="space-y-3 rounded border border-slate-300 p-3 dark:border-slate-600" aria-labelledby={headingId} data-slide={i} data-testid="draft-slide">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={headingId} className="mr-auto text-lg font-semibold">
          Slide {n}: <span className="font-code text-base font-normal">{slide.title}</span>
        </h3>
        <button type="button" className={SMALL_BUTTON} aria-label={`Move slide ${n} up`} data-move="-1" disabled={i === 0} onClick={() => props.onMove(-1)}>
          ↑ Up
        </button>
        <button
          type="button"
          className={SMALL_BUTTON}
          aria-label={`Move slide ${n} down`}
          data-move="1"
          disabled={i === props.count - 1}
          onClick={() => props.onMove(1)}
        >
          ↓ Down
        </button>
        <button type="button" className={SMALL_BUTTON} aria-label={`Remove slide ${n}`} onClick={props.onRemove}>
          Remove
        </button>
        <a className="flex min-h-11 items-center px-1 text-sm underline" href={`/r/${slide.run}`} target="_blank" rel="noopener">
          Open run <span className="sr-only">of slide {n}</span>
        </a>
      </div>

      <div className="grid gap-3 lg:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={notesId} className="block font-semibold">
            Notes for slide {n} <span className="font-normal">(Markdown)</span>
          </label>
          <textarea
            id={notesId}
            className="font-code min-h-32 w-full rounded border border-slate-400 bg-white p-2 text-sm dark:border-slate-500 dark:bg-slate-900"
            value={slide.notes}
            aria-describedby={`${notesId}-count`}
            onChange={(e) => edit({ type: "slide/notes", index: i, notes: e.target.value })}
          />
          <p id={`${notesId}-count`} className="text-xs text-slate-700 dark:text-slate-300">
            {bytes} / {LESSON_LIMITS.notesBytes} bytes
          </p>
        </div>
        <section
          aria-label={`Preview of the notes of slide ${n}`}
          className="rounded border border-dashed border-slate-400 p-2 dark:border-slate-500"
          data-testid="notes-preview"
        >
          <h4 className="text-xs font-semibold tracking-wide text-slate-700 uppercase dark:text-slate-300">Preview</h4>
          {slide.notes.trim() ? <Markdown source={slide.notes} headingLevel={5} /> : <p className="text-sm text-slate-700 dark:text-slate-300">No notes.</p>}
        </section>
      </div>

      {problem && (
        <p role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200">
          {problem}{" "}
          <button type="button" className="underline" onClick={() => setProblem(null)}>
            Dismiss
          </button>
        </p>
      )}

      <section aria-labelledby={`slide-${i}-questions`} className="space-y-1">
        <h4 id={`slide-${i}-questions`} className="font-semibold">
          Questions ({slide.questions.length} / {LESSON_LIMITS.questions})
        </h4>
        {slide.questions.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">None yet: pick them in the real trace below.</p>
        ) : (
          <ol className="list-decimal space-y-1 pl-6" data-testid="slide-questions">
            {slide.questions.map((q, j) => (
              <li key={j}>
                <span className="flex flex-wrap items-center gap-2">
                  <span>
                    {run.data ? <PromptText text={questionPrompt(q, run.data).text} /> : describe(q)}{" "}
                    {"frame" in q && <span className="text-xs text-slate-700 dark:text-slate-300">(frame {q.frame})</span>}
                  </span>
                  <button
                    type="button"
                    className={SMALL_BUTTON}
                    aria-label={`Remove question ${j + 1} of slide ${n}`}
                    onClick={() => edit({ type: "question/remove", index: i, question: j })}
                  >
                    Remove
                  </button>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      {run.isPending && <p role="status">Loading the run…</p>}
      {run.error && (
        <p role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200">
          Could not load this slide&apos;s run: {run.error.message}{" "}
          <button type="button" className={SECONDARY_BUTTON} onClick={() => void run.refetch()}>
            Retry
          </button>
        </p>
      )}
      {run.data && <RunFrames run={run.data} slide={i} questions={slide.questions} onToggle={toggle} />}
    </li>
  );
}

/** Before the run has loaded there are no line numbers to phrase a question with. */
function describe(q: Question): string {
  switch (q.kind) {
    case "value":
      return `The value of ${q.name}`;
    case "next_line":
      return "The next line";
    case "return":
      return "The return value";
    case "halts":
      return "Does it finish?";
  }
}
