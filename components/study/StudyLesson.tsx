"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { questionPrompt } from "@/lib/classroom/answers";
import { slideModel } from "@/lib/classroom/model";
import type { RecordedSet } from "@/lib/classroom/recorded";
import { lessonSteps, questionKey, questionState } from "@/lib/classroom/study";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import { Markdown } from "../classroom/Markdown";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "../Toolbar";
import { CodeBox } from "./CodeBox";
import { QuestionCard } from "./QuestionCard";
import { Scoreboard } from "./Scoreboard";
import { RecordedLoader } from "./RecordedLoader";
import { useChecker } from "./useChecker";
import { useSandboxNormaliser } from "@/components/classroom/useSandboxNormaliser";
import { useStudyProgress } from "./useStudyProgress";

const LINK = `${SECONDARY_BUTTON} inline-flex items-center`;

/**
 * Predict it yourself (/l/<id>): the lesson one question at a time — the code with the line
 * about to run, the notes, the question — and, only after the learner answers (or asks to see
 * it), the model's answer and reality's, each scored. The scoreboard comes last.
 */
export function StudyLesson({ lesson }: { lesson: StoredLesson }) {
  const steps = useMemo(() => lessonSteps(lesson.slides), [lesson]);
  const { state, dispatch } = useStudyProgress(lesson.id, steps.length);
  const [recorded, setRecorded] = useState<RecordedSet | null>(null);
  const sandbox = useSandboxNormaliser();
  const models = useMemo(() => lesson.slides.map((s) => slideModel(s.run, recorded)), [lesson, recorded]);
  useChecker(lesson, state, dispatch, models, sandbox.normalise);
  const withoutStored = models.filter((m) => m.kind !== "stored").length;
  const fromFile = models.filter((m) => m.kind === "recorded").length;

  const atScoreboard = state.position >= steps.length;
  const step = atScoreboard ? null : steps[state.position];
  const slide = step ? lesson.slides[step.slide] : null;
  const question = step && slide && step.question !== null ? slide.questions[step.question] : null;
  const prompt = question && slide ? questionPrompt(question, slide.run) : null;
  const model = step ? models[step.slide] : null;

  // After moving, the new step's heading takes focus so keyboard and screen-reader users start there.
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    stepHeading.current?.focus();
  }, [state.position]);
  const go = (type: "next" | "previous") => {
    moved.current = true;
    dispatch({ type });
  };

  return (
    <main className="mx-auto w-full max-w-3xl px-3 pb-16 pt-3 sm:px-6">
      <header>
        <p className="text-sm">
          <a href="/" className="inline-block min-h-11 py-3 font-semibold underline">
            CWM Playground
          </a>{" "}
          · Predict it yourself
        </p>
        <h1 className="text-3xl font-bold break-words" data-testid="lesson-title">
          {lesson.title}
        </h1>
        <p className="mt-1 text-slate-700 dark:text-slate-300">
          Guess what the program does before the answer shows. Then see what the model predicted and what really happened.
        </p>
        <nav aria-label="Lesson" className="mt-3 flex flex-wrap gap-2">
          <a className={LINK} href={`/present/${lesson.id}`}>
            Present
          </a>
          <a className={LINK} href={`/lessons/new?fork=${lesson.id}`}>
            Fork
          </a>
          <button type="button" className={SECONDARY_BUTTON} onClick={() => {
              // One tap must not throw away a whole lesson's answers.
              if (window.confirm("Forget your answers to this lesson and start again?")) dispatch({ type: "restart" });
            }}>
            Start over
          </button>
        </nav>
        {withoutStored > 0 && <RecordedLoader recorded={recorded} onLoad={setRecorded} matched={fromFile} missing={withoutStored} />}
      </header>

      <p className="mt-4 text-sm font-semibold" aria-live="polite" data-testid="study-progress">
        {atScoreboard ? "Scoreboard" : `Step ${state.position + 1} of ${steps.length} · slide ${step!.slide + 1} of ${lesson.slides.length}`}
      </p>
      <progress className="h-2 w-full" max={steps.length} value={Math.min(state.position, steps.length)} aria-label="Progress through the lesson" />

      {step && slide && (
        <article aria-labelledby="step-heading" className="mt-3">
          <h2 id="step-heading" ref={stepHeading} tabIndex={-1} className="sr-only">
            Slide {step.slide + 1}
            {step.question !== null ? `, question ${step.question + 1} of ${slide.questions.length}` : ""}
          </h2>
          {slide.notes && <Markdown source={slide.notes} headingLevel={3} className="mb-3" />}
          <CodeBox code={slide.run.code} call={slide.run.call} line={prompt?.line ?? null} />
          {question && prompt && step.question !== null ? (
            <QuestionCard
              key={questionKey(step.slide, step.question)}
              questionKey={questionKey(step.slide, step.question)}
              kind={question.kind}
              prompt={prompt}
              state={questionState(state, questionKey(step.slide, step.question))}
              phase={sandbox.phase}
              modelNote={
                model?.kind === "none"
                  ? "There is no model prediction for this slide: it is you against reality. (See the model column after you answer for how to get one.)"
                  : `The model (${model?.label}) has answered too; its answer shows after yours.`
              }
              onSubmit={(answer) => dispatch({ type: "submit", key: questionKey(step.slide, step.question!), answer })}
              onReveal={() => dispatch({ type: "reveal", key: questionKey(step.slide, step.question!) })}
              onWarm={sandbox.warm}
            />
          ) : (
            <p className="mt-4">This slide has no question: read it, then go on.</p>
          )}
        </article>
      )}

      {atScoreboard && <Scoreboard lesson={lesson} state={state} models={models} />}

      <nav aria-label="Steps" className="mt-6 flex flex-wrap justify-between gap-3">
        <button type="button" className={`${SECONDARY_BUTTON} min-h-12 px-5`} onClick={() => go("previous")} disabled={state.position === 0}>
          Previous
        </button>
        {!atScoreboard && (
          <button type="button" className={`${PRIMARY_BUTTON} min-h-12 px-5`} onClick={() => go("next")}>
            {state.position === steps.length - 1 ? "See the scoreboard" : "Next"}
          </button>
        )}
      </nav>
    </main>
  );
}
