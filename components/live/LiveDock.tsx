"use client";
import { useSyncExternalStore } from "react";
import { LiveSessionId } from "@/lib/live/protocol";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import { TeacherPanel } from "./TeacherPanel";

const noSubscribe = () => () => {};

/** The session id of `?live=` (a presentUrl), or null; null while rendering on the server. */
function useLiveParam(): string | null {
  const raw = useSyncExternalStore(
    noSubscribe,
    () => new URLSearchParams(window.location.search).get("live"),
    () => null,
  );
  return raw !== null && LiveSessionId.safeParse(raw).success ? raw : null;
}

/**
 * The presentation's live column. With `?live=<session>`: the teacher panel beside the slides,
 * for the whole lesson. Without: on the title slide only, the button that starts a session.
 * `onQuestionChange` lets the deck follow the session when the teacher moves it to a question.
 */
export function LiveDock({
  lesson,
  onTitle,
  onQuestionChange,
}: {
  lesson: StoredLesson | undefined;
  onTitle: boolean;
  onQuestionChange?: (slide: number, question: number) => void;
}) {
  const sessionId = useLiveParam();
  if (!sessionId && !onTitle) return null;
  return (
    <aside
      aria-label="Live class"
      className="flex max-h-full w-full shrink-0 flex-col overflow-y-auto border-t border-slate-300 p-3 md:w-[30rem] md:border-t-0 md:border-l dark:border-slate-700"
    >
      {!lesson ? <p>Loading the lesson…</p> : <TeacherPanel lesson={lesson} sessionId={sessionId} onQuestionChange={onQuestionChange} />}
    </aside>
  );
}
