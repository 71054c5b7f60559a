"use client";
import { useCallback, useEffect, useMemo, useReducer, useRef } from "react";
import { createDualComparisonSelector } from "@/lib/playground/dual";
import { sessionReducer, type SessionAction, type SessionState } from "@/lib/playground/session";

export type Dispatch = (action: SessionAction) => void;

/** Streamed pieces (frame batches, raw tokens, stdout) are many and small. */
function isStreamed(a: SessionAction): boolean {
  return a.type === "real/frames" || a.type === "real/stdout" || a.type === "prediction/frames" || a.type === "prediction/raw";
}

/**
 * The screen's one reducer. Streamed pieces are queued and applied as one batch per animation
 * frame (re-rendering on each would stall a 10,000-frame run); any other action first applies
 * the queue, so order is kept. The comparison (both predictions, when two are shown) is a memoised selector of the state.
 */
export function useSession(init: () => SessionState) {
  const [state, dispatchNow] = useReducer(sessionReducer, undefined, init);
  // An event buffer, not state: it only holds actions not yet handed to the reducer.
  const queue = useRef<SessionAction[]>([]);
  const frame = useRef<number | null>(null);

  const flush = useCallback(() => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    const actions = queue.current;
    queue.current = [];
    if (actions.length > 0) dispatchNow({ type: "batch", actions });
  }, []);

  const dispatch: Dispatch = useCallback(
    (a) => {
      if (isStreamed(a)) {
        queue.current.push(a);
        if (frame.current === null) frame.current = requestAnimationFrame(flush);
        return;
      }
      flush();
      dispatchNow(a);
    },
    [flush],
  );

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const selectComparison = useMemo(createDualComparisonSelector, []);
  const comparison = selectComparison(state);
  return { state, dispatch, comparison };
}
