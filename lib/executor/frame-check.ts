/**
 * Validation of the tracer's output at the host boundary, fast enough for every frame of a
 * batch: the envelope goes through zod, each frame through `isFrame`, a hand-written check that
 * accepts exactly what the zod `Frame` schema accepts (pinned by a randomised test against zod).
 * A frame it rejects is handed to zod, so a bad frame fails with zod's own error.
 */
import { z } from "zod";
import { CanonicalTrace, Frame, FrameEvent } from "@/lib/trace/schema";
import { TracerResult } from "@/lib/executor/protocol";

const EVENTS: ReadonlySet<unknown> = new Set(FrameEvent.options);
const OPTIONAL_STRINGS = ["value", "invalid", "raw"] as const;
const KEYS: ReadonlySet<string> = new Set(["event", "line", "source", "locals", ...OPTIONAL_STRINGS]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** z.record accepts plain objects only (z.object takes any non-array object). */
function isStringRecord(v: unknown): boolean {
  if (!isObject(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in v) if (typeof v[k] !== "string") return false;
  return true;
}

/** Same verdict as `Frame.safeParse(v).success`. */
export function isFrame(v: unknown): v is Frame {
  if (!isObject(v)) return false;
  if (!EVENTS.has(v.event)) return false;
  const line = v.line;
  if (line !== null && !(typeof line === "number" && Number.isSafeInteger(line))) return false;
  if (typeof v.source !== "string") return false;
  if (v.locals !== undefined && !isStringRecord(v.locals)) return false;
  for (const k of OPTIONAL_STRINGS) {
    const s = v[k];
    if (s !== undefined && typeof s !== "string") return false;
  }
  for (const k in v) if (!KEYS.has(k)) return false;
  return true;
}

/** Validated frames (the same objects when valid); throws zod's error on the first bad one. */
export function checkFrames(values: readonly unknown[]): Frame[] {
  const out: Frame[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = isFrame(v) ? v : Frame.parse(v);
  }
  return out;
}

/** TracerResult with its frames left to checkFrames. */
const TracerEnvelope = TracerResult.extend({ frames: z.array(z.unknown()) });

/**
 * The final trace from tracer.run()'s JSON text. `frames` replaces the result's own frames when
 * they came in batches or from the recorder. Keys in CanonicalTrace's order.
 */
export function traceFromResult(text: string, executor: string, frames?: Frame[]): CanonicalTrace {
  const env = TracerEnvelope.parse(JSON.parse(text));
  const trace: CanonicalTrace = {
    status: env.status,
    frames: frames ?? checkFrames(env.frames),
    result: env.result,
    error: env.error,
    stdout: env.stdout,
  };
  if (env.notes !== undefined) trace.notes = env.notes;
  trace.executor = executor;
  return trace;
}
