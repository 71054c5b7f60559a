/**
 * The positional per-trace metrics of comparison.md, to the letter. Rates are fractions 0..1;
 * valid_format, valid_json and output_correct are booleans (a benchmark's mean counts true as 1).
 */
import { z } from "zod";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";
import { exceptionTypeOfError, normaliseValue } from "./normalise";
import { ActInterner, prepareTrace, type PreparedTrace, type PrepareOptions } from "./prepare";
import { jaccard, sameState } from "./similarity";

export const TraceMetrics = z
  .object({
    valid_format: z.boolean(),
    valid_json: z.boolean(),
    action_exact: z.number().min(0).max(1),
    state_exact: z.number().min(0).max(1),
    key_match: z.number().min(0).max(1),
    key_value_match: z.number().min(0).max(1),
    output_correct: z.boolean(),
    /** Index in the compared sequences (after ignored frames are dropped); null when identical. */
    first_divergence: z.number().int().nonnegative().nullable(),
  })
  .strict();
export type TraceMetrics = z.infer<typeof TraceMetrics>;

/** The metric keys in comparison.md's order (CLI output, tables, the report). */
export const METRIC_KEYS = [
  "valid_format",
  "valid_json",
  "action_exact",
  "state_exact",
  "key_match",
  "key_value_match",
  "output_correct",
  "first_divergence",
] as const;

/** The keys a benchmark averages (every one but first_divergence, an index). */
export const RATE_KEYS = METRIC_KEYS.filter((k) => k !== "first_divergence") as Exclude<
  (typeof METRIC_KEYS)[number],
  "first_divergence"
>[];
export type RateKey = (typeof RATE_KEYS)[number];

export type CompareOptions = PrepareOptions;

export function outputCorrect(actual: Pick<CanonicalTrace, "status" | "result" | "error">, predicted: Pick<PredictedTrace, "status" | "result" | "error">): boolean {
  if (actual.status === "returned" && predicted.status === "returned") {
    return actual.result !== null && predicted.result !== null && normaliseValue(actual.result) === normaliseValue(predicted.result);
  }
  if (actual.status === "raised" && predicted.status === "raised") {
    return actual.error !== null && predicted.error !== null && exceptionTypeOfError(actual.error) === exceptionTypeOfError(predicted.error);
  }
  return false;
}

/** The metrics from traces already prepared with one interner (the incremental path). */
export function metricsOfPrepared(
  A: PreparedTrace,
  P: PreparedTrace,
  flags: { valid_format: boolean; valid_json: boolean; output_correct: boolean },
): TraceMetrics {
  const la = A.index.length;
  const lp = P.index.length;
  const m = Math.min(la, lp);
  const n = Math.max(la, lp);
  let actions = 0;
  let states = 0;
  let keys = 0;
  let pairs = 0;
  let first: number | null = null;
  for (let i = 0; i < m; i++) {
    const a = A.prepared[A.index[i]];
    const p = P.prepared[P.index[i]];
    const act = a.act === p.act;
    const state = sameState(a, p);
    if (act) actions++;
    if (state) states++;
    if (first === null && !(act && state)) first = i;
    keys += jaccard(a, p, false);
    pairs += jaccard(a, p, true);
  }
  // Frames past m are missing on one side and score 0.
  if (first === null && la !== lp) first = m;
  const rate = (x: number) => (n === 0 ? 1 : x / n);
  return {
    valid_format: flags.valid_format,
    valid_json: flags.valid_json,
    action_exact: rate(actions),
    state_exact: rate(states),
    key_match: rate(keys),
    key_value_match: rate(pairs),
    output_correct: flags.output_correct,
    first_divergence: first,
  };
}

export function computeMetrics(actual: CanonicalTrace, predicted: PredictedTrace, opts: CompareOptions = {}): TraceMetrics {
  const interner = new ActInterner();
  const A = prepareTrace(actual.frames, interner, opts);
  const P = prepareTrace(predicted.frames, interner, opts);
  return metricsOfPrepared(A, P, {
    valid_format: predicted.valid_format,
    valid_json: predicted.valid_json,
    output_correct: outputCorrect(actual, predicted),
  });
}
