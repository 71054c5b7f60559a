"use client";
import { useState } from "react";
import { Markdown } from "@/components/classroom/Markdown";
import { PromptText } from "@/components/classroom/PromptText";
import { reached, type Beat } from "@/lib/classroom/deck";
import type { RecordedSet } from "@/lib/classroom/recorded";
import type { LessonSlide } from "@/lib/storage/lesson-schema";
import { ModelAnswer, RealAnswer } from "./Answers";
import { CodeView } from "./CodeView";
import { FrameWalk } from "./FrameWalk";
import { useBeatView } from "./useBeatView";

type SlideBeatProps = { slide: LessonSlide; beat: Exclude<Beat, { kind: "title" }>; slideCount: number; fontPx: number; recorded: RecordedSet | null };

/**
 * One beat of a slide on the projector. What a beat has not reached yet is not rendered at all
 * (not merely hidden): the model's answer appears at "model", reality's at "reality".
 */
export function SlideBeat({ slide, beat, slideCount, fontPx, recorded }: SlideBeatProps) {
  const { model, view } = useBeatView(slide, beat, recorded);
  // The frame the teacher walked to on this slide's code beat; any other beat shows none.
  const [walk, setWalk] = useState<{ slide: number; frame: number } | null>(null);
  const walked = beat.kind === "code" && walk?.slide === beat.slide ? walk.frame : null;
  const line = beat.kind === "question" && view ? view.prompt.line : walked !== null ? (slide.run.actual.frames[walked]?.line ?? null) : null;
  const executor = slide.run.actual.executor ?? slide.run.executor;

  return (
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-6 px-6 py-4">
      <div className="flex min-h-0 flex-col gap-2 overflow-auto">
        {slide.run.call && (
          <p className="font-code text-xl">
            <span className="font-sans text-slate-700 dark:text-slate-300">Call: </span>
            {slide.run.call}
          </p>
        )}
        <CodeView code={slide.run.code} line={line} fontPx={fontPx} label={`Slide ${beat.slide + 1} code`} />
      </div>
      <div className="flex min-h-0 flex-col gap-4 overflow-auto" data-testid="present-panel">
        {beat.kind === "code" && (
          <>
            <h2 className="text-3xl font-semibold">
              Slide {beat.slide + 1} of {slideCount}
            </h2>
            {slide.questions.length > 0 ? (
              <p className="text-2xl">
                {slide.questions.length} {slide.questions.length === 1 ? "question" : "questions"}: predict before each reveal.
              </p>
            ) : (
              slide.notes && <Markdown source={slide.notes} className="text-xl" />
            )}
            <FrameWalk frames={slide.run.actual.frames} frame={walked} onFrame={(k) => setWalk(k === null ? null : { slide: beat.slide, frame: k })} />
          </>
        )}
        {beat.kind === "result" && view && (
          <>
            <h2 className="text-3xl font-semibold">{view.prompt.text.replace(/`/g, "")}</h2>
            {slide.notes && <Markdown source={slide.notes} className="text-lg" />}
            <ModelAnswer model={model} answer={view.model} />
            <RealAnswer answer={view.real} modelRight={view.modelRight} executor={executor} />
          </>
        )}
        {beat.kind === "question" && view && (
          <>
            <h2 className="text-2xl font-semibold">
              Question {beat.question + 1} of {slide.questions.length}
            </h2>
            {beat.stage === "line" && (
              <p className="text-3xl" data-testid="present-line">
                {view.prompt.line !== null ? `Line ${view.prompt.line} is about to run.` : "Think about the whole run."}
              </p>
            )}
            {reached(beat, "question") && (
              <p className="text-4xl leading-tight font-semibold" data-testid="present-question">
                <PromptText text={view.prompt.text} />
              </p>
            )}
            {reached(beat, "model") && <ModelAnswer model={model} answer={view.model} />}
            {reached(beat, "reality") && <RealAnswer answer={view.real} modelRight={view.modelRight} executor={executor} />}
          </>
        )}
      </div>
    </div>
  );
}
