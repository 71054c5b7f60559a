"use client";
import type { SessionState } from "@/lib/playground/session";
import type { CanonicalTrace } from "@/lib/trace/schema";

/** Same frames, same result, same output: what "the fresh run matches" means. */
export function sameTrace(a: CanonicalTrace, b: CanonicalTrace): boolean {
  const strip = (t: CanonicalTrace) => JSON.stringify([t.status, t.result, t.error, t.stdout, t.frames]);
  return strip(a) === strip(b);
}

function outcome(t: CanonicalTrace): string {
  return `${t.status}${t.result !== null ? ` ${t.result}` : ""}, ${t.frames.length} frames`;
}

/**
 * The visitor's own re-run of a shared program, compared with the stored trace. A trace the
 * program tampered with is never called a match: it cannot confirm anything.
 */
export function RerunStatus({ session, stored }: { session: SessionState; stored: CanonicalTrace }) {
  const real = session.real;
  if (!real) return null;
  const phase = session.interpreter.phase;
  let text: string;
  if (real.phase === "running") {
    text = phase === "loading" ? `Loading Python… ${session.interpreter.phase === "loading" ? session.interpreter.message : ""}` : "Re-running in your browser…";
  } else {
    const fresh = real.trace;
    const tampered = fresh.integrity === "tampered" || stored.integrity === "tampered";
    if (tampered) text = `⚠ Cannot confirm the stored trace: the program interferes with the tracer, so neither run is trustworthy ground truth (now ${outcome(fresh)}).`;
    else if (sameTrace(fresh, stored)) text = `✓ A fresh run in your browser matches the stored trace (${fresh.frames.length} frames${fresh.executor ? `, ${fresh.executor}` : ""}).`;
    else text = `≠ A fresh run differs from the stored trace: now ${outcome(fresh)} (stored: ${outcome(stored)}${stored.executor ? `, ${stored.executor}` : ""}).`;
  }
  return (
    <div role="status" data-testid="rerun-status" className="border-b border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
      {text}
    </div>
  );
}
