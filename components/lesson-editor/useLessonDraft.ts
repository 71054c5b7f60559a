"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { EMPTY_DRAFT, LESSON_DRAFT_KEY, editDraft, loadLessonDraft, saveLessonDraft, type DraftAction, type LessonDraft } from "@/lib/classroom/draft";

/**
 * The lesson draft in this browser: read from local storage after mount (the server render has
 * none), saved on every accepted edit, and followed across tabs (the playground adds slides while
 * the editor is open in another tab).
 */
export function useLessonDraft() {
  const [draft, setDraft] = useState<LessonDraft>(EMPTY_DRAFT);
  const [loaded, setLoaded] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const current = useRef(draft);

  useEffect(() => {
    const r = loadLessonDraft(window.localStorage);
    current.current = r.draft;
    setDraft(r.draft);
    setNotice(r.notice);
    setLoaded(true);
    const onStorage = (e: StorageEvent) => {
      if (e.key !== LESSON_DRAFT_KEY) return;
      const next = loadLessonDraft(window.localStorage);
      current.current = next.draft;
      setDraft(next.draft);
      if (next.notice) setNotice(next.notice);
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  /** Applies an edit; answers why it was refused, or null. Reads the latest draft, not a render's. */
  const edit = useCallback((action: DraftAction): string | null => {
    const r = editDraft(current.current, action);
    if (r.refused) return r.refused;
    current.current = r.draft;
    setDraft(r.draft);
    if (!saveLessonDraft(window.localStorage, r.draft))
      setNotice("This browser's storage is full or disabled: the lesson draft is not kept after this page closes.");
    return null;
  }, []);

  return { draft, loaded, notice, dismissNotice: () => setNotice(null), edit };
}
