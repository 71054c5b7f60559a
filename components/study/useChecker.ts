"use client";
import { useEffect, useRef } from "react";
import type { Normalised } from "@/lib/classroom/answers";
import type { SlideModel } from "@/lib/classroom/model";
import { pendingChecks, type StudyAction, type StudyState } from "@/lib/classroom/study";
import { scoreQuestion, textsForQuestion } from "@/lib/classroom/study-score";
import type { StoredLesson } from "@/lib/storage/lesson-schema";

/**
 * Works through the questions waiting to be checked (submitted, shown, or restored mid-check
 * after a reload): parses the texts in the sandbox, scores learner and model, and reports with
 * the question's ticket so a result that arrives late is dropped by the reducer.
 */
export function useChecker(
  lesson: StoredLesson,
  state: StudyState,
  dispatch: (a: StudyAction) => void,
  /** Each slide's model (StudyLesson's, computed once: a recorded trace made again would be aligned again). */
  models: readonly SlideModel[],
  normalise: (texts: string[]) => Promise<Normalised>,
) {
  const inFlight = useRef(new Set<number>());
  useEffect(() => {
    for (const job of pendingChecks(state)) {
      if (inFlight.current.has(job.ticket)) continue;
      const [s, qi] = job.key.split(":").map(Number);
      const slide = lesson.slides[s];
      const q = slide?.questions[qi];
      if (!slide || !q) continue;
      inFlight.current.add(job.ticket);
      const model = models[s];
      void normalise(textsForQuestion(q, slide.run, model, job.answer)).then((norm) => {
        inFlight.current.delete(job.ticket);
        dispatch({ type: "scored", key: job.key, ticket: job.ticket, result: scoreQuestion(q, slide.run, model, job.answer, norm) });
      });
    }
  }, [state, lesson, models, normalise, dispatch]);
}
