/**
 * Counterfactual edits on the host side: checking a run's edit before it goes to the tracer, and
 * the trace's `edit` when the host had to end a run itself (the tracer never said whether it
 * applied the edit). The edit itself happens in tracer.py (apply_edit).
 */
import type { TraceEdit } from "@/lib/trace/schema";
import { EditSpec } from "@/lib/executor/protocol";

/** The run's edit, validated; null when there is none. Throws a readable Error on a bad one. */
export function checkEdit(edit: unknown): EditSpec | null {
  if (edit === undefined || edit === null) return null;
  const r = EditSpec.safeParse(edit);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join(".") || "edit"}: ${i.message}`).join("; ");
    throw new Error(`Bad edit (expected {at: frame index ≥ 0, name, value: a Python literal}): ${why}`);
  }
  return r.data;
}

/** The trace's `edit` for a run the host ended (watchdog, crash) after `frames` frames arrived. */
export function hostEndedEdit(spec: EditSpec, frames: number): TraceEdit {
  const reached = frames > spec.at ? `frame ${spec.at} was recorded` : `frame ${spec.at} was not reached`;
  return { ...spec, applied: false, error: `the run was ended from outside before the tracer reported on the edit (${reached})` };
}
