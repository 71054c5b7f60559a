"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Normalised } from "@/lib/classroom/answers";
import { normaliseInSandbox } from "@/lib/classroom/normalise";
import { createBrowserExecutor } from "@/lib/executor/browser";
import type { Executor, ExecutorPhase } from "@/lib/executor/types";

/**
 * Parses answers as Python literals in this browser's sandboxed worker (never on the server).
 * No worker exists until the first parse (or `warm`), so a page that never scores a literal never
 * downloads Python. Parses run one after another, and every text parsed is remembered: a
 * histogram that grows by one answer costs one text, not all of them. The answer holds the
 * texts asked for that the sandbox parsed.
 */
export function useSandboxNormaliser() {
  // The executor is an external resource (workers), not screen state.
  const executor = useRef<Executor | null>(null);
  const cache = useRef(new Map<string, string | null>());
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const [phase, setPhase] = useState<ExecutorPhase>({ phase: "idle" });

  const ensure = useCallback((): Executor => {
    if (executor.current) return executor.current;
    const ex = createBrowserExecutor();
    executor.current = ex;
    ex.subscribe((e) => {
      if (e.type === "phase") setPhase(e.state);
    });
    ex.load();
    return ex;
  }, []);

  useEffect(
    () => () => {
      executor.current?.dispose();
      executor.current = null;
    },
    [],
  );

  const normalise = useCallback(
    (texts: readonly string[]): Promise<Normalised> => {
      const wanted = [...new Set(texts.map((t) => t.trim()))].filter((t) => t !== "");
      // Only the texts asked for: the cache grows with every answer of a class.
      const answer = (): Normalised => new Map(wanted.flatMap((t) => (cache.current.has(t) ? [[t, cache.current.get(t) ?? null] as const] : [])));
      const run = queue.current.then(async () => {
        const missing = wanted.filter((t) => !cache.current.has(t));
        // Line and yes/no answers need no parsing: no interpreter for them.
        if (missing.length) (await normaliseInSandbox(ensure(), missing)).forEach((v, k) => cache.current.set(k, v));
        return answer();
      });
      queue.current = run.catch(() => undefined);
      return run.catch(answer);
    },
    [ensure],
  );

  return { normalise, warm: ensure, phase };
}
