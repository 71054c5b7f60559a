/**
 * The two halting verdicts shown side by side: what the run did (the executor cannot prove
 * non-termination, only report the budget it spent) and what the model predicted.
 */
import { z } from "zod";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";
import { exceptionTypeOfError } from "./normalise";

export const ExecutorVerdict = z
  .object({ kind: z.enum(["returned", "raised", "step_limit", "time_limit", "error"]), text: z.string() })
  .strict();
export type ExecutorVerdict = z.infer<typeof ExecutorVerdict>;

export const ModelVerdict = z
  .object({
    /** terminates: ended with EOS; runs_long: stopped at its token budget without EOS; unknown: cut short. */
    kind: z.enum(["terminates", "runs_long", "unknown"]),
    text: z.string(),
  })
  .strict();
export type ModelVerdict = z.infer<typeof ModelVerdict>;

export const HaltingAgreement = z.enum(["agree", "disagree", "unknown"]);
export type HaltingAgreement = z.infer<typeof HaltingAgreement>;

export const Halting = z.object({ executor: ExecutorVerdict, model: ModelVerdict, agreement: HaltingAgreement }).strict();
export type Halting = z.infer<typeof Halting>;

const MAX_SHOWN = 80;

/**
 * A value short enough for a status line. Spaces are kept as they are: `'  '` and `' '` are
 * different results; only line breaks (possible in a custom __repr__) are made visible.
 */
export function shortValue(s: string): string {
  const one = s.replace(/\r?\n/g, "⏎");
  return one.length <= MAX_SHOWN ? one : `${one.slice(0, MAX_SHOWN - 1)}…`;
}

/** 10000 → "10,000", independent of the machine's locale. */
export function groupThousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function steps(n: number): string {
  return `${groupThousands(n)} ${n === 1 ? "step" : "steps"}`;
}

/**
 * Traces stored before `stop_reason` existed said who stopped a run only in this note; it is
 * read for them alone (a trace with a stop_reason is never judged by its notes).
 */
const LEGACY_USER_STOP_NOTE = "stopped by the user";

function stoppedByUser(t: Pick<CanonicalTrace, "notes" | "stop_reason">): boolean {
  if (t.stop_reason !== undefined) return t.stop_reason === "user";
  return t.notes?.some((n) => n.startsWith(LEGACY_USER_STOP_NOTE)) ?? false;
}

export function executorVerdict(t: Pick<CanonicalTrace, "status" | "result" | "error" | "frames" | "notes" | "stop_reason">): ExecutorVerdict {
  switch (t.status) {
    case "returned":
      return { kind: "returned", text: `returned ${shortValue(t.result ?? "None")}` };
    case "raised":
      return { kind: "raised", text: `raised ${t.error ? exceptionTypeOfError(t.error) : "an exception"}` };
    case "step_limit":
      return { kind: "step_limit", text: `stopped after ${steps(t.frames.length)}` };
    case "time_limit":
      if (stoppedByUser(t)) return { kind: "time_limit", text: `stopped by you after ${steps(t.frames.length)}` };
      if (t.stop_reason === "watchdog") return { kind: "time_limit", text: `stopped (Python stopped answering) after ${steps(t.frames.length)}` };
      return { kind: "time_limit", text: `time limit reached after ${steps(t.frames.length)}` };
    case "error":
      return { kind: "error", text: `could not run: ${shortValue(t.error ?? "unknown error")}` };
  }
}

export function modelVerdict(p: Pick<PredictedTrace, "status" | "result" | "error" | "finish" | "message">): ModelVerdict {
  switch (p.finish) {
    case "eos":
      if (p.status === "returned") return { kind: "terminates", text: `model predicts it returns ${shortValue(p.result ?? "None")}` };
      if (p.status === "raised") return { kind: "terminates", text: `model predicts it raises ${p.error ? exceptionTypeOfError(p.error) : "an exception"}` };
      return { kind: "terminates", text: "model ended the trace without the entry call's outcome" };
    case "length":
      return { kind: "runs_long", text: "model stopped at its token budget" };
    case "stopped":
      return { kind: "unknown", text: `prediction incomplete: ${p.message ?? "stopped before the end"}` };
    case "error":
      return { kind: "unknown", text: `prediction incomplete: ${p.message ?? "the prediction failed"}` };
  }
}

export function haltingAgreement(e: ExecutorVerdict, m: ModelVerdict): HaltingAgreement {
  if (e.kind === "error" || m.kind === "unknown") return "unknown";
  const halted = e.kind === "returned" || e.kind === "raised";
  return halted === (m.kind === "terminates") ? "agree" : "disagree";
}

export function halting(
  actual: Pick<CanonicalTrace, "status" | "result" | "error" | "frames" | "notes" | "stop_reason">,
  predicted: Pick<PredictedTrace, "status" | "result" | "error" | "finish" | "message">,
): Halting {
  const executor = executorVerdict(actual);
  const model = modelVerdict(predicted);
  return { executor, model, agreement: haltingAgreement(executor, model) };
}
