/** The numbers behind the report's charts, kept apart from the markup so tests can pin them. */
import type { RateKey } from "@/lib/compare/metrics";
import type { BenchResult } from "@/lib/compare/summary";

export type Scored = BenchResult & { metrics: NonNullable<BenchResult["metrics"]>; actual: NonNullable<BenchResult["actual"]> };

export function scoredOf(results: readonly BenchResult[]): Scored[] {
  return results.filter((r): r is Scored => r.metrics !== null && r.actual !== null);
}

export const BOOLEAN_KEYS: ReadonlySet<RateKey> = new Set<RateKey>(["valid_format", "valid_json", "output_correct"]);

/**
 * Histogram of one metric: booleans as no/yes; fractions in ten 10-point bins plus a separate
 * "100%" bin, because most traces are exact and would otherwise hide the rest.
 */
export function distribution(scored: readonly Scored[], key: RateKey): { label: string; count: number }[] {
  if (BOOLEAN_KEYS.has(key)) {
    const yes = scored.filter((r) => r.metrics[key] === true).length;
    return [
      { label: "no", count: scored.length - yes },
      { label: "yes", count: yes },
    ];
  }
  const bins = Array.from({ length: 11 }, (_, i) => ({ label: i === 10 ? "100" : `${i * 10}–`, count: 0 }));
  for (const r of scored) {
    const v = Number(r.metrics[key]);
    bins[v >= 1 ? 10 : Math.min(9, Math.floor(v * 10))].count++;
  }
  return bins;
}

export interface LengthBucket {
  label: string;
  count: number;
  output_correct: number;
  state_exact: number;
  action_exact: number;
}

/** Programs grouped by real trace length in powers of two (1–8, 9–16, …), empty groups left out. */
export function byTraceLength(scored: readonly Scored[]): LengthBucket[] {
  const groups = new Map<number, Scored[]>();
  for (const r of scored) {
    const k = Math.max(3, Math.ceil(Math.log2(Math.max(1, r.actual.frames))));
    const g = groups.get(k) ?? [];
    g.push(r);
    groups.set(k, g);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, g]) => {
      const mean = (f: (r: Scored) => number) => g.reduce((s, r) => s + f(r), 0) / g.length;
      return {
        label: k === 3 ? "1–8" : `${2 ** (k - 1) + 1}–${2 ** k}`,
        count: g.length,
        output_correct: mean((r) => Number(r.metrics.output_correct)),
        state_exact: mean((r) => r.metrics.state_exact),
        action_exact: mean((r) => r.metrics.action_exact),
      };
    });
}

/** The worst predictions first: wrong outputs, then the lowest state, action and key+value scores. */
export function worst(scored: readonly Scored[], n: number): Scored[] {
  return [...scored]
    .sort(
      (a, b) =>
        Number(a.metrics.output_correct) - Number(b.metrics.output_correct) ||
        a.metrics.state_exact - b.metrics.state_exact ||
        a.metrics.action_exact - b.metrics.action_exact ||
        a.metrics.key_value_match - b.metrics.key_value_match ||
        a.id.localeCompare(b.id),
    )
    .slice(0, n);
}
