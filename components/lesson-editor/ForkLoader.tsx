"use client";
import { useStoredLesson } from "@/components/useStored";
import { useEffect, useState } from "react";
import { draftFromLesson, isEmptyDraft, type LessonDraft } from "@/lib/classroom/draft";
import { LessonId } from "@/lib/storage/lesson-schema";
import { SECONDARY_BUTTON } from "../Toolbar";

/** Done with `?fork=`: a reload must not offer the same fork again over the edits made since. */
function forgetForkParam() {
  const url = new URL(window.location.href);
  url.searchParams.delete("fork");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

/**
 * `/lessons/new?fork=<id>`: loads that lesson into the draft. An empty draft is replaced at once;
 * a draft with work in it is replaced only when the teacher says so.
 */
export function ForkLoader(props: { id: string; draft: LessonDraft; onLoad: (d: LessonDraft) => void }) {
  const [done, setDone] = useState<string | null>(null);
  const wellFormed = LessonId.safeParse(props.id).success;
  const lesson = useStoredLesson(props.id, wellFormed);
  const empty = isEmptyDraft(props.draft);
  const { onLoad } = props;
  const data = lesson.data;

  useEffect(() => {
    if (!data || done !== null || !empty) return;
    onLoad(draftFromLesson(data));
    setDone(`Loaded “${data.title}” (${data.slides.length} slides) into the draft.`);
    forgetForkParam();
  }, [data, done, empty, onLoad]);

  if (done !== null)
    return (
      <p role="status" className="text-sm" data-testid="fork-status">
        {done}
      </p>
    );
  if (!wellFormed)
    return (
      <p role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200" data-testid="fork-status">
        Cannot fork {JSON.stringify(props.id.slice(0, 80))}: it is not a lesson id.
      </p>
    );
  if (lesson.isPending) return <p role="status">Loading the lesson to fork…</p>;
  if (lesson.error)
    return (
      <p role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200" data-testid="fork-status">
        Could not load the lesson {props.id} to fork: {lesson.error.message}
      </p>
    );
  if (!data || empty) return null;
  return (
    <div
      role="group"
      aria-labelledby="fork-question"
      className="space-y-2 rounded border border-amber-700 bg-amber-50 p-3 dark:border-amber-300 dark:bg-amber-950"
      data-testid="fork-confirm"
    >
      <p id="fork-question">
        Fork “{data.title}” ({data.slides.length} slides)? It replaces your current draft
        {props.draft.title.trim() ? ` “${props.draft.title}”` : ""} ({props.draft.slides.length} slides).
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={SECONDARY_BUTTON}
          onClick={() => {
            onLoad(draftFromLesson(data));
            setDone(`Replaced the draft with “${data.title}”.`);
            forgetForkParam();
          }}
        >
          Replace my draft
        </button>
        <button
          type="button"
          className={SECONDARY_BUTTON}
          onClick={() => {
            setDone("Kept your draft; the lesson was not loaded.");
            forgetForkParam();
          }}
        >
          Keep my draft
        </button>
      </div>
    </div>
  );
}
