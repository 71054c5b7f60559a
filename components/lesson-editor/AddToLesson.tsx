"use client";
import Link from "next/link";
import { useState } from "react";
import { slideTitle } from "@/lib/classroom/draft";
import { LESSON_LIMITS } from "@/lib/storage/lesson-schema";
import { SECONDARY_BUTTON } from "../Toolbar";
import type { ShareInput, useShare } from "../useShare";
import { useLessonDraft } from "./useLessonDraft";

type Share = ReturnType<typeof useShare>;

/** The share already made of exactly this run (same code, call and traces), so it is not stored twice. */
function sharedIdOf(share: Share, input: ShareInput): string | null {
  const v = share.variables;
  if (!share.data || !v) return null;
  const same = v.code === input.code && v.call === input.call && v.actual === input.actual && v.prediction === input.prediction;
  return same ? share.data.id : null;
}

/**
 * "Add to lesson": shares the run (the same POST /api/runs as Share, reusing its link when this
 * run was shared already), then appends it as a slide to the lesson draft in this browser.
 */
export function AddToLesson(props: { input: ShareInput | null; share: Share }) {
  const { draft, edit } = useLessonDraft();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [adding, setAdding] = useState(false);
  const n = draft.slides.length;

  const add = async () => {
    const input = props.input;
    if (!input) return;
    // Refused before sharing: a run stored for a slide that cannot be added would be stored for nothing.
    if (n >= LESSON_LIMITS.slides) {
      setStatus({ ok: false, text: `Not added: a lesson has at most ${LESSON_LIMITS.slides} slides.` });
      return;
    }
    setAdding(true);
    setStatus(null);
    try {
      const id = sharedIdOf(props.share, input) ?? (await props.share.mutateAsync(input)).id;
      const title = slideTitle(input.code, input.call);
      const refused = edit({ type: "slide/add", run: id, title });
      setStatus(refused ? { ok: false, text: `Not added: ${refused}.` } : { ok: true, text: `Added slide ${n + 1} to the lesson: ${title}` });
    } catch (err) {
      setStatus({ ok: false, text: `Could not add to the lesson: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setAdding(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={SECONDARY_BUTTON}
        disabled={props.input === null || adding}
        title={props.input === null ? "Run the code first: a slide holds the run's real trace" : "Store this run and add it as a slide to your lesson draft"}
        onClick={() => void add()}
      >
        {adding ? "Adding…" : "Add to lesson"}
      </button>
      {/* One link, so the header stays short on a projector: the lessons until a draft exists, then the draft. */}
      {n === 0 ? (
        <Link href="/lessons" className="flex min-h-11 items-center rounded px-2 text-sm underline" data-testid="lesson-link">
          Lessons
        </Link>
      ) : (
        <Link href="/lessons/new" className="flex min-h-11 items-center rounded px-2 text-sm font-semibold underline" data-testid="lesson-link">
          Lesson ({n} {n === 1 ? "slide" : "slides"})
        </Link>
      )}
      {/* Always present: a live region added together with its text is often not announced. */}
      <span role="status" className="max-w-64 text-sm empty:hidden" data-testid="add-to-lesson-status">
        {status?.ok ? status.text : ""}
      </span>
      {status && !status.ok && (
        <span role="alert" className="max-w-64 text-sm font-semibold text-rose-800 dark:text-rose-200" data-testid="add-to-lesson-error">
          {status.text}
        </span>
      )}
    </>
  );
}
