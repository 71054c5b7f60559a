"use client";
import { useEffect, useRef } from "react";

/** Arrow keys step, Home/End jump, D jumps to the first divergence — except while typing. */
export function useKeyboardNavigation(handlers: { move: (delta: number) => void; first: () => void; last: () => void; divergence: () => void }) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.closest(".monaco-editor") || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || t.isContentEditable)) return;
      const h = ref.current;
      const actions: Record<string, () => void> = {
        ArrowLeft: () => h.move(-1),
        ArrowUp: () => h.move(-1),
        ArrowRight: () => h.move(1),
        ArrowDown: () => h.move(1),
        PageUp: () => h.move(-20),
        PageDown: () => h.move(20),
        Home: h.first,
        End: h.last,
        d: h.divergence,
        D: h.divergence,
      };
      const act = actions[e.key];
      if (act) {
        e.preventDefault();
        act();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
