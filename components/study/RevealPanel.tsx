import { useEffect, useRef } from "react";
import type { ScoredQuestion } from "@/lib/classroom/study";
import { Verdict } from "./Verdict";

const CELL = "min-w-0 rounded border border-slate-300 p-3 dark:border-slate-700";
const VALUE = "font-code mt-1 block max-h-40 overflow-auto whitespace-pre-wrap break-words text-lg";

/**
 * You, the model and reality side by side (stacked on a phone), each with its verdict. Only
 * mounted once the question is scored: before that none of these answers is in the page.
 */
export function RevealPanel({ q, focus }: { q: ScoredQuestion; focus: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The verdict is what the learner waits for: focus lands on it (and a screen reader reads it).
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  const summary = q.answer === null ? "Answer shown." : q.learnerCorrect === null ? "Your answer cannot be scored." : q.learnerCorrect ? "You are right." : "Not quite.";
  return (
    <section aria-labelledby="reveal-heading" className="mt-4">
      <h3 id="reveal-heading" ref={heading} tabIndex={-1} className="text-xl font-bold" data-testid="study-verdict">
        {summary}
      </h3>
      <div className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-3">
        <div className={CELL} data-testid="study-you">
          <div className="text-sm font-semibold">You</div>
          <span className={VALUE}>{q.answer ?? "(no answer)"}</span>
          <div className="mt-1">
            <Verdict correct={q.learnerCorrect} none={q.answer === null ? "not answered" : "not scored"} />
          </div>
        </div>
        <div className={CELL} data-testid="study-model">
          <div className="text-sm font-semibold">{q.model ? `Model: ${q.model.label}` : "Model"}</div>
          {q.model ? (
            <>
              <span className={VALUE}>{q.model.answer}</span>
              <div className="mt-1">
                <Verdict correct={q.model.correct} />
              </div>
            </>
          ) : (
            <p className="mt-1 text-sm">{q.modelHelp}</p>
          )}
        </div>
        <div className={CELL} data-testid="study-real">
          <div className="text-sm font-semibold">Reality (the real run)</div>
          <span className={VALUE}>{q.real}</span>
        </div>
      </div>
    </section>
  );
}
