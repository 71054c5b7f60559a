"use client";
import { useCallback, useRef, useState } from "react";
import type { Frame } from "@/lib/trace/schema";

/**
 * Frames arrive in many small pieces (worker batches, one predicted frame per stream event);
 * re-rendering on each would stall a 10,000-frame run, so they are collected and published
 * once per animation frame.
 */
export function useBatchedFrames(): {
  frames: Frame[];
  push: (more: Frame[]) => void;
  reset: (initial?: Frame[]) => void;
  flush: () => void;
} {
  const [frames, setFrames] = useState<Frame[]>([]);
  const pending = useRef<Frame[]>([]);
  const scheduled = useRef<number | null>(null);
  const generation = useRef(0);

  const flush = useCallback(() => {
    if (scheduled.current !== null) {
      cancelAnimationFrame(scheduled.current);
      scheduled.current = null;
    }
    if (pending.current.length === 0) return;
    const add = pending.current;
    pending.current = [];
    setFrames((old) => old.concat(add));
  }, []);

  const push = useCallback(
    (more: Frame[]) => {
      if (more.length === 0) return;
      pending.current.push(...more);
      if (scheduled.current === null) {
        const gen = generation.current;
        scheduled.current = requestAnimationFrame(() => {
          scheduled.current = null;
          if (gen === generation.current) flush();
        });
      }
    },
    [flush],
  );

  const reset = useCallback((initial: Frame[] = []) => {
    generation.current++;
    if (scheduled.current !== null) cancelAnimationFrame(scheduled.current);
    scheduled.current = null;
    pending.current = [];
    setFrames(initial);
  }, []);

  return { frames, push, reset, flush };
}
