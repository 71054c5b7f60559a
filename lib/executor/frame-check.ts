/**
 * Validation of the tracer's output at the host boundary, fast enough for every frame of a
 * batch: the envelope goes through zod, each frame through `isFrame`, a hand-written check that
 * accepts exactly what the zod `Frame` schema accepts (pinned by a randomised test against zod).
 * A frame it rejects is handed to zod, so a bad frame fails with zod's own error.
 */
import { z } from "zod";
import { Frame, FrameEvent, type CanonicalTrace } from "@/lib/trace/schema";
import { TracerResult } from "@/lib/executor/protocol";
import type { Budgets } from "@/lib/executor/types";

const EVENTS: ReadonlySet<unknown> = new Set(FrameEvent.options);
const OPTIONAL_STRINGS = ["value", "invalid", "raw"] as const;
const KEYS: ReadonlySet<string> = new Set(["event", "line", "source", "locals", "stdout_len", "attrs", ...OPTIONAL_STRINGS]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** lib/trace/schema.ts ownRecord(z.string()): any non-array object whose own values are strings. */
function isStringRecord(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const x of Object.values(v)) if (typeof x !== "string") return false;
  return true;
}

/** ownRecord(ownRecord(z.string())). */
function isAttrs(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const x of Object.values(v)) if (!isStringRecord(x)) return false;
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
  const len = v.stdout_len;
  if (len !== undefined && !(typeof len === "number" && Number.isSafeInteger(len) && len >= 0)) return false;
  if (v.attrs !== undefined && !isAttrs(v.attrs)) return false;
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
  if (env.stop_reason !== undefined) trace.stop_reason = env.stop_reason;
  if (env.integrity !== undefined) trace.integrity = env.integrity;
  if (env.integrity_notes !== undefined) trace.integrity_notes = env.integrity_notes;
  if (env.introspection !== undefined) trace.introspection = env.introspection;
  if (env.edit !== undefined) trace.edit = env.edit;
  return trace;
}

/**
 * `trace` with what the host itself found (alarms the tracer raised while the run went, checks
 * of what the worker sent) added to its integrity verdict: such notes make it "tampered"
 * whatever the worker's own result said.
 */
export function withHostIntegrity<T extends Pick<CanonicalTrace, "integrity" | "integrity_notes">>(trace: T, hostNotes: readonly string[]): T {
  if (hostNotes.length === 0) return trace;
  const notes = [...(trace.integrity_notes ?? [])];
  for (const n of hostNotes) if (!notes.includes(n)) notes.push(n);
  return { ...trace, integrity: "tampered", integrity_notes: notes };
}

/**
 * What the host accepts of one run, whatever the tracer was told: a few frames past maxSteps
 * (the tracer records the frame that hits the budget) and a bounded amount of text. More means
 * the program took over the tracer's messaging; the run ends as a crash, marked tampered.
 */
export const FRAME_SLACK = 16;
export const MAX_RESULT_CHARS = 256 << 20;
export const FLOOD_NOTE = "the worker sent more frames or bytes than the run's budgets allow (flooded); it was stopped";

export function floods(frames: number, chars: number, budgets: Budgets): boolean {
  return frames > budgets.maxSteps + FRAME_SLACK || chars > MAX_RESULT_CHARS;
}

