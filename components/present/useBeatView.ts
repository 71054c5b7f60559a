"use client";
import { useMemo } from "react";
import { useSlideModel } from "@/components/classroom/useSlideModel";
import type { Beat } from "@/lib/classroom/deck";
import type { SlideModel } from "@/lib/classroom/model";
import type { RecordedSet } from "@/lib/classroom/recorded";
import { questionView, RETURN_QUESTION, type QuestionView } from "@/lib/classroom/slide-view";
import type { LessonSlide } from "@/lib/storage/lesson-schema";

/**
 * What a slide's beat asks, for the projector and the presenter view alike: a question beat its
 * question, the result beat of a slide without questions the entry call's return, a code beat nothing.
 */
export function useBeatView(slide: LessonSlide, beat: Exclude<Beat, { kind: "title" }>, recorded: RecordedSet | null): { model: SlideModel; view: QuestionView | null } {
  const model = useSlideModel(slide.run, recorded);
  const q = beat.kind === "question" ? slide.questions[beat.question] : beat.kind === "result" ? RETURN_QUESTION : null;
  const view = useMemo(() => (q ? questionView(q, slide.run, model) : null), [q, slide.run, model]);
  return { model, view };
}
