/** The real traces of the built-in slides, keyed by run id (write-traces.ts and its golden test). */
import type { NodeTracer } from "@/lib/executor/node";
import type { CanonicalTrace } from "@/lib/trace/schema";
import type { BuiltinLesson } from "./types";

export async function traceBuiltins(tracer: NodeTracer, lessons: readonly BuiltinLesson[]): Promise<Record<string, CanonicalTrace>> {
  const traces: Record<string, CanonicalTrace> = {};
  for (const lesson of lessons) {
    for (const s of lesson.slides) {
      traces[s.runId] = await tracer.trace({ code: s.code, call: s.call, ...(s.maxSteps ? { budgets: { maxSteps: s.maxSteps } } : {}) });
    }
  }
  return traces;
}
