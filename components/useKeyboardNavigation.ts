"use client";
import { useEffect, useEffectEvent } from "react";
import type { SessionAction } from "@/lib/playground/session";

/** Arrow keys step, PageUp/PageDown jump 20, Home/End jump, D jumps to the first divergence — except while typing. */
export function useKeyboardNavigation(handlers: { move: (delta: number) => void; first: () => void; last: () => void; divergence: () => void }) {
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement | null;
    // Fields keep their own keys (the step slider moves the cursor through its own value).
    if (t && (t.closest(".monaco-editor") || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || t.isContentEditable)) return;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => handlers.move(-1),
      ArrowUp: () => handlers.move(-1),
      ArrowRight: () => handlers.move(1),
      ArrowDown: () => handlers.move(1),
      PageUp: () => handlers.move(-20),
      PageDown: () => handlers.move(20),
      Home: handlers.first,
      End: handlers.last,
      d: handlers.divergence,
      D: handlers.divergence,
    };
    const act = actions[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);
}

/** The cursor of a screen: a clamped move, and the keys that drive it. */
export function useStepKeys(dispatch: (a: SessionAction) => void, cursor: number, rowCount: number, firstDivergenceRow: number | null): (to: number) => void {
  const move = (to: number) => dispatch({ type: "cursor/move", to: Math.max(0, Math.min(to, rowCount - 1)) });
  useKeyboardNavigation({
    move: (d) => move(cursor + d),
    first: () => move(0),
    last: () => move(rowCount - 1),
    divergence: () => firstDivergenceRow !== null && move(firstDivergenceRow),
  });
  return move;
}
