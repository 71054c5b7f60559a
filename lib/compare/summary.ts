/**
 * A benchmark's per-program result lines and their macro averages (the mean of each per-trace
 * metric over programs, as comparison.md and the CWM report define them).
 */
import { z } from "zod";
import { Halting } from "./halting";
import { RATE_KEYS, TraceMetrics, type RateKey } from "./metrics";
import { ExecStatus, FinishReason } from "@/lib/trace/schema";

export const BenchResult = z
  .object({
    /** Leaderboard runs only: the predictor that made this line's prediction. */
    predictor: z.string().optional(),
    id: z.string(),
    code: z.string(),
    call: z.string(),
    metrics: TraceMetrics.nullable(),
    actual: z
      .object({ status: ExecStatus, result: z.string().nullable(), error: z.string().nullable(), frames: z.number().int() })
      .strict()
      .nullable(),
    predicted: z
      .object({
        status: z.enum(["returned", "raised", "incomplete"]),
        result: z.string().nullable(),
        error: z.string().nullable(),
        finish: FinishReason,
        frames: z.number().int(),
        message: z.string().optional(),
      })
      .strict()
      .nullable(),
    halting: Halting.nullable(),
    /** Why this program could not be scored (it is left out of the means). */
    error: z.string().optional(),
  })
  .strict();
export type BenchResult = z.infer<typeof BenchResult>;

export type BenchSummary = { programs: number; errors: number } & Record<RateKey, number>;

/** Macro means over the scored programs; booleans count 1 for true. With none scored every mean is 0. */
export function summarise(results: readonly BenchResult[]): BenchSummary {
  const scored = results.filter((r) => r.metrics !== null);
  const out = { programs: scored.length, errors: results.length - scored.length } as BenchSummary;
  for (const k of RATE_KEYS) {
    let sum = 0;
    for (const r of scored) sum += Number(r.metrics![k]);
    out[k] = scored.length === 0 ? 0 : sum / scored.length;
  }
  return out;
}

/** Table 9 of the CWM report (CruxEval column, greedy), in percent, beside our figures. */
export const CWM_REPORT_CRUXEVAL: Record<RateKey, number> = {
  output_correct: 88.0,
  valid_format: 99.6,
  state_exact: 96.9,
  action_exact: 96.5,
  valid_json: 100,
  key_match: 99.1,
  key_value_match: 98.1,
};

const LABELS: Record<RateKey, string> = {
  output_correct: "output correct",
  valid_format: "valid trace format",
  state_exact: "state exact match",
  action_exact: "action exact match",
  valid_json: "valid JSON",
  key_match: "key match",
  key_value_match: "key+value match",
};

export const TABLE_ORDER: RateKey[] = ["output_correct", "valid_format", "state_exact", "action_exact", "valid_json", "key_match", "key_value_match"];

export function metricLabel(k: RateKey): string {
  return LABELS[k];
}

/** The summary for people: percentages with the report's figures beside them. */
export function formatSummaryTable(s: BenchSummary): string {
  const rows = TABLE_ORDER.map((k) => [LABELS[k], (s[k] * 100).toFixed(2), CWM_REPORT_CRUXEVAL[k].toFixed(1)]);
  const head = ["metric", "mean %", "CWM report (CruxEval) %"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  const lines = [fmt(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(fmt)];
  lines.push(`${s.programs} programs scored${s.errors ? `, ${s.errors} could not be scored` : ""}`);
  return `${lines.join("\n")}\n`;
}

/** One leaderboard row: a predictor and its macro means over the same programs as every other row. */
export interface LeaderboardRow {
  id: string;
  label: string;
  summary: BenchSummary;
  /** The syntax-only baseline: the floor a model has to beat. */
  floor?: boolean;
}

const SHORT: Record<RateKey, string> = {
  output_correct: "output",
  valid_format: "format",
  state_exact: "state",
  action_exact: "action",
  valid_json: "JSON",
  key_match: "key",
  key_value_match: "key+value",
};

export function metricShortLabel(k: RateKey): string {
  return SHORT[k];
}

/** Every predictor's means in one table (percent), with Table 9's CWM row for orientation. */
export function formatLeaderboard(rows: readonly LeaderboardRow[]): string {
  const head = ["predictor", ...TABLE_ORDER.map((k) => SHORT[k]), "scored"];
  const body = rows.map((r) => [
    `${r.label}${r.floor ? " [floor]" : ""}`,
    ...TABLE_ORDER.map((k) => (r.summary[k] * 100).toFixed(2)),
    `${r.summary.programs}${r.summary.errors ? ` (+${r.summary.errors} failed)` : ""}`,
  ]);
  const ref = ["CWM report, CruxEval (Table 9, not run here)", ...TABLE_ORDER.map((k) => CWM_REPORT_CRUXEVAL[k].toFixed(1)), "-"];
  const all = [head, ...body, ref];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  const rule = w.map((n) => "-".repeat(n)).join("  ");
  return `${[fmt(head), rule, ...body.map(fmt), rule, fmt(ref)].join("\n")}\nmean % over the same programs per predictor (macro average); [floor] is the syntax-only baseline, not a model\n`;
}
