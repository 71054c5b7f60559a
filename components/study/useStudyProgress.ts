"use client";
import { useEffect, useReducer, useState } from "react";
import { initialStudy, parseProgress, progressStorageKey, serialiseProgress, studyReducer } from "@/lib/classroom/study";

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    // Storage can be refused (privacy settings): the lesson still works, it just forgets on reload.
    return null;
  }
}

/**
 * The learner's progress through one lesson, kept in this tab's sessionStorage so a reload loses
 * no answer. What is read back is parsed (lib/classroom/study.ts parseProgress); saving starts
 * only after it was read, so the fresh state never overwrites saved progress.
 */
export function useStudyProgress(lessonId: string, stepCount: number) {
  const [state, dispatch] = useReducer(studyReducer, undefined, () => initialStudy(lessonId, stepCount));
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    const saved = parseProgress(storage()?.getItem(progressStorageKey(lessonId)) ?? null, lessonId, stepCount);
    if (saved) dispatch({ type: "restore", saved });
    setLoaded(true);
  }, [lessonId, stepCount]);

  useEffect(() => {
    if (!loaded) return;
    try {
      storage()?.setItem(progressStorageKey(lessonId), serialiseProgress(state));
    } catch {
      // A full or refused storage only costs the reload memory.
    }
  }, [loaded, lessonId, state]);

  return { state, dispatch };
}
