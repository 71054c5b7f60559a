"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { publishBody, type LessonDraft } from "@/lib/classroom/draft";
import { fetchJson } from "@/lib/http/client";
import { CreateLessonResponse, type CreateLessonBody } from "@/lib/storage/lesson-schema";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "../Toolbar";
import { useCopyLink } from "../useCopyLink";

/**
 * Publish: checks the draft as the server will (CreateLessonBody), POSTs it, and shows the new
 * lesson's link with Copy, Present and Study. The draft stays as it is either way: a refusal
 * loses nothing, and a published lesson can be changed and published again as a new one.
 */
export function PublishPanel({ draft }: { draft: LessonDraft }) {
  const [invalid, setInvalid] = useState<string | null>(null);
  const { copied, copy, reset: uncopied } = useCopyLink();
  const publish = useMutation({
    mutationFn: (body: CreateLessonBody) => fetchJson("/api/lessons", { method: "POST", json: body }, CreateLessonResponse),
  });
  const link = publish.data ? new URL(publish.data.url, window.location.origin).toString() : null;

  const submit = () => {
    uncopied();
    const r = publishBody(draft);
    if (!r.ok) {
      publish.reset();
      setInvalid(r.message);
      return;
    }
    setInvalid(null);
    publish.mutate(r.body);
  };

  return (
    <section aria-labelledby="publish-heading" className="space-y-2 rounded border border-slate-300 p-3 dark:border-slate-600">
      <h2 id="publish-heading" className="text-lg font-semibold">
        Publish
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        A published lesson never changes, so a link handed to a class stays the same. To change it later, fork it and publish again: that makes a new lesson.
      </p>
      <button type="button" className={PRIMARY_BUTTON} onClick={submit} disabled={publish.isPending}>
        {publish.isPending ? "Publishing…" : "Publish"}
      </button>
      {(invalid || publish.error) && (
        <p role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200" data-testid="publish-error">
          Not published: {invalid ?? publish.error?.message}. Your draft is kept.
        </p>
      )}
      <div role="status" data-testid="publish-status">
        {publish.data && link && (
          <div className="space-y-2">
            <p className="font-semibold">Published.</p>
            <div className="flex flex-wrap items-center gap-2">
              <label htmlFor="lesson-link" className="text-sm">
                Link to the lesson
              </label>
              <input
                id="lesson-link"
                readOnly
                value={link}
                className="font-code min-h-11 w-80 max-w-full rounded border border-slate-400 bg-white px-2 dark:bg-slate-900"
                onFocus={(e) => e.target.select()}
              />
              <button type="button" className={SECONDARY_BUTTON} onClick={() => void copy(link)}>
                {copied ? "Copied ✓" : "Copy link"}
              </button>
            </div>
            <p className="flex flex-wrap gap-4">
              <a className="underline" href={`/present/${publish.data.id}`}>
                Present
              </a>
              <a className="underline" href={`/l/${publish.data.id}`}>
                Study
              </a>
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
