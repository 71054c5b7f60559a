"use client";
import { useMemo } from "react";
import { questionPrompt } from "@/lib/classroom/answers";
import type { SlideModel } from "@/lib/classroom/model";
import { questionKey, questionState, studyTotals, type StudyState } from "@/lib/classroom/study";
import { firstDivergence } from "@/lib/classroom/study-score";
import type { Question, StoredLesson } from "@/lib/storage/lesson-schema";
import { PromptText } from "@/components/classroom/PromptText";
import { Verdict } from "./Verdict";

const TD = "border-t border-slate-300 px-2 py-2 align-top dark:border-slate-700";

function where(q: Question, line: number | null): string {
  if (q.kind === "return") return "the return value";
  if (q.kind === "halts") return "whether it finishes";
  return line === null ? "a step outside the program" : `line ${line}`;
}

/** You vs the model vs reality, question by question, the totals, and where the model went wrong. */
export function Scoreboard({ lesson, state, models }: { lesson: StoredLesson; state: StudyState; models: readonly SlideModel[] }) {
  const keys = lesson.slides.flatMap((s, i) => s.questions.map((_, j) => questionKey(i, j)));
  const totals = studyTotals(state, keys);
  const slides = useMemo(
    () =>
      lesson.slides.map((s, i) => {
        const model = models[i];
        return { model, divergence: model.kind === "none" ? null : firstDivergence(s.run.actual, model.trace) };
      }),
    [lesson, models],
  );
  const unanswered = totals.questions - totals.answered - totals.shown;

  return (
    <section aria-labelledby="scoreboard-heading" className="mt-4">
      <h2 id="scoreboard-heading" tabIndex={-1} className="text-2xl font-bold">
        Scoreboard
      </h2>
      {totals.questions === 0 ? (
        <p className="mt-2">This lesson has no questions.</p>
      ) : (
        <>
          <p className="mt-2 text-lg" data-testid="total-you">
            You: <strong>{totals.learnerCorrect}</strong> of {totals.questions} right
          </p>
          <p className="text-lg" data-testid="total-model">
            Model: <strong>{totals.modelCorrect}</strong> of {totals.modelScored} right
            {totals.modelScored < totals.answered + totals.shown ? ` (${totals.answered + totals.shown - totals.modelScored} without a model answer)` : ""}
          </p>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {totals.answered} answered · {totals.shown} shown without an answer · {unanswered} not answered yet
          </p>
          <table className="mt-3 w-full table-fixed border-collapse text-left text-sm sm:text-base" data-testid="scoreboard">
            <caption className="sr-only">Every question: your answer, the model's, and reality's</caption>
            <thead>
              <tr>
                <th scope="col" className="w-[34%] px-2 py-1">
                  Question
                </th>
                <th scope="col" className="px-2 py-1">
                  You
                </th>
                <th scope="col" className="px-2 py-1">
                  Model
                </th>
                <th scope="col" className="px-2 py-1">
                  Reality
                </th>
              </tr>
            </thead>
            <tbody>
              {lesson.slides.flatMap((s, i) =>
                s.questions.map((q, j) => {
                  const key = questionKey(i, j);
                  const st = questionState(state, key);
                  return (
                    <tr key={key} data-testid={`score-row-${key}`}>
                      <th scope="row" className={`${TD} break-words font-normal`}>
                        <span className="text-slate-700 dark:text-slate-300">Slide {i + 1}: </span>
                        <PromptText text={questionPrompt(q, s.run).text} />
                      </th>
                      {st.status === "scored" ? (
                        <>
                          <td className={`${TD} break-words`}>
                            {st.answer !== null && <code className="font-code block">{st.answer}</code>}
                            <Verdict correct={st.learnerCorrect} none={st.answer === null ? "shown" : "not scored"} />
                          </td>
                          <td className={`${TD} break-words`}>
                            {st.model ? (
                              <>
                                <code className="font-code block">{st.model.answer}</code>
                                <Verdict correct={st.model.correct} />
                              </>
                            ) : (
                              "no model answer"
                            )}
                          </td>
                          <td className={`${TD} break-words`}>
                            <code className="font-code">{st.real}</code>
                          </td>
                        </>
                      ) : (
                        <td className={TD} colSpan={3}>
                          {st.status === "checking" ? "checking…" : "not answered yet"}
                        </td>
                      )}
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        </>
      )}
      <h3 className="mt-6 text-xl font-bold">Where the model went wrong</h3>
      <ul className="mt-2 space-y-3" data-testid="model-wrong">
        {lesson.slides.map((s, i) => {
          const { model, divergence } = slides[i];
          const wrong = s.questions.flatMap((q, j) => {
            const st = questionState(state, questionKey(i, j));
            return st.status === "scored" && st.model?.correct === false ? [where(q, questionPrompt(q, s.run).line)] : [];
          });
          return (
            <li key={i} className="rounded border border-slate-300 p-3 dark:border-slate-700" data-testid={`model-wrong-${i}`}>
              <strong>Slide {i + 1}</strong>
              {s.run.call ? (
                <>
                  {" "}
                  (<code className="font-code break-all">{s.run.call}</code>)
                </>
              ) : null}
              :{" "}
              {model.kind === "none" ? (
                "no model prediction for this program."
              ) : (
                <>
                  {divergence === null
                    ? `${model.label}: its trace matches reality frame by frame.`
                    : `${model.label}: its trace first differs from reality at ${divergence.line === null ? "a step outside the program" : `line ${divergence.line}`}${divergence.step !== null ? ` (step ${divergence.step + 1})` : " (after reality ended)"}.`}
                  {wrong.length > 0 && ` Its answers were wrong at ${[...new Set(wrong)].join(", ")}.`}
                </>
              )}{" "}
              <a className="inline-block min-h-11 py-2 underline" href={`/r/${s.run.id}`}>
                Open slide {i + 1}&apos;s run in the playground
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
