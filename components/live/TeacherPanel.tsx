"use client";
import { useState } from "react";
import { fetchJson } from "@/lib/http/client";
import { CreateLiveResponse } from "@/lib/live/protocol";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import { PRIMARY_BUTTON } from "@/components/Toolbar";
import { TeacherLive } from "./TeacherLive";

/**
 * The live part of the presentation view (/present/<lesson>?live=<session>): without a
 * session, the button that starts one; with one, the join code, the controls, the live
 * histogram and the summary. The teacher's token travels in the HttpOnly cookie the start
 * answer set, never in the URL: the presentUrl can be shown on a projector.
 */
export function TeacherPanel({
  lesson,
  sessionId,
  onQuestionChange,
}: {
  lesson: StoredLesson;
  sessionId: string | null;
  onQuestionChange?: (slide: number, question: number) => void;
}) {
  if (sessionId) return <TeacherLive lesson={lesson} sessionId={sessionId} onQuestionChange={onQuestionChange} />;
  return <StartLive lesson={lesson} />;
}

function StartLive({ lesson }: { lesson: StoredLesson }) {
  const [state, setState] = useState<{ kind: "idle" } | { kind: "starting" } | { kind: "failed"; message: string }>({ kind: "idle" });
  const questions = lesson.slides.reduce((n, s) => n + s.questions.length, 0);

  async function start() {
    setState({ kind: "starting" });
    try {
      const res = await fetchJson("/api/live", { method: "POST", json: { lesson: lesson.id } }, CreateLiveResponse);
      window.location.assign(res.presentUrl);
    } catch (err) {
      setState({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <section aria-label="Live session" className="flex flex-col gap-2 rounded-lg border border-slate-400 p-3 dark:border-slate-600">
      <button type="button" className={PRIMARY_BUTTON} onClick={start} disabled={state.kind === "starting" || questions === 0}>
        {state.kind === "starting" ? "Starting…" : "Start live session"}
      </button>
      <p className="text-sm">
        {questions === 0
          ? "This lesson has no questions to ask a class."
          : `Students join from their phones with a code; no accounts. ${questions} question${questions === 1 ? "" : "s"} in this lesson.`}
      </p>
      {state.kind === "failed" && (
        <p role="alert" className="font-semibold text-red-800 dark:text-red-300">
          Could not start: {state.message}
        </p>
      )}
    </section>
  );
}
