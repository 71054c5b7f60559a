"use client";
import type { TraceMetrics } from "@/lib/compare/metrics";

const ROWS: ReadonlyArray<{ key: keyof TraceMetrics; label: string; help: string }> = [
  { key: "output_correct", label: "Output correct", help: "Same return value, or the same exception type, as the real run." },
  {
    key: "valid_format",
    label: "Valid trace format",
    help: "The predicted text parsed into frames with no structural error and ended with the end-of-trace token.",
  },
  { key: "valid_json", label: "Valid JSON", help: "Every locals object and value parsed as JSON." },
  { key: "action_exact", label: "Action exact match", help: "Share of positions where event and source line agree (over the longer trace)." },
  { key: "state_exact", label: "State exact match", help: "Share of positions where the event and every local (or the value) agree." },
  { key: "key_match", label: "Key match", help: "Mean Jaccard overlap of local names per position; a missing frame scores 0." },
  { key: "key_value_match", label: "Key+value match", help: "Mean Jaccard overlap of (name, value) pairs per position." },
  { key: "first_divergence", label: "First divergence", help: "First position where action or state differ; none when identical." },
];

function show(v: TraceMetrics[keyof TraceMetrics]): string {
  if (typeof v === "boolean") return v ? "✓ yes" : "✗ no";
  if (v === null) return "none";
  return Number.isInteger(v) && v > 1 ? `frame ${v}` : `${(v * 100).toFixed(1)}%`;
}

function cellText(key: keyof TraceMetrics, metrics: TraceMetrics): string {
  return key === "first_divergence" ? (metrics.first_divergence === null ? "none" : `position ${metrics.first_divergence}`) : show(metrics[key]);
}

/** One scored prediction, named by its own predictor (never "CWM" for another model or the baseline). */
export interface MetricsColumn {
  label: string;
  metrics: TraceMetrics | null;
}

/** Table 9 of the CWM report, for this one trace, each row explained in one line; two predictions side by side when compared. */
export function MetricsPanel(props: {
  metrics: TraceMetrics | null;
  /** Two predictions compared: both columns, the first prediction's first. */
  columns?: readonly [MetricsColumn, MetricsColumn];
  partial: boolean;
  ignoreComprehensions: boolean;
  onIgnoreComprehensions: (v: boolean) => void;
}) {
  const { metrics } = props;
  return (
    <section aria-label="Metrics" className="text-sm">
      <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300">
        Trace quality (positional, as in the CWM report){props.partial ? " — updating while frames arrive" : ""}
      </h2>
      <label className="my-1 flex items-center gap-2 text-xs">
        <input type="checkbox" className="h-5 w-5" checked={props.ignoreComprehensions} onChange={(e) => props.onIgnoreComprehensions(e.target.checked)} />
        Ignore comprehension frames (Python 3.12+ inlines them; a model trained on older traces predicts them)
      </label>
      {props.columns ? (
        <MetricsTable columns={props.columns} />
      ) : !metrics ? (
        <p className="text-slate-700 dark:text-slate-300">Run and predict the same code to score the prediction.</p>
      ) : (
        <table className="w-full" data-testid="metrics">
          <tbody>
            {ROWS.map((r) => (
              <tr key={r.key} className="border-t border-slate-200 align-top dark:border-slate-800" title={r.help}>
                <th className="py-0.5 pr-2 text-left font-medium">
                  {r.label}
                  <div className="text-xs font-normal text-slate-700 dark:text-slate-300">{r.help}</div>
                </th>
                <td className="py-0.5 text-right font-mono tabular-nums" data-metric={r.key}>
                  {cellText(r.key, metrics)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function MetricsTable({ columns }: { columns: readonly [MetricsColumn, MetricsColumn] }) {
  if (!columns[0].metrics && !columns[1].metrics)
    return <p className="text-slate-700 dark:text-slate-300">Run and predict the same code to score the predictions.</p>;
  return (
    <table className="w-full" data-testid="metrics-compare">
      <thead>
        <tr>
          <th scope="col" className="text-left text-xs font-semibold">
            Metric
          </th>
          {columns.map((c, i) => (
            <th key={i} scope="col" className="break-words pl-2 text-right text-xs font-semibold" data-testid={`metrics-column-${i + 1}`}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ROWS.map((r) => (
          <tr key={r.key} className="border-t border-slate-200 align-top dark:border-slate-800" title={r.help}>
            <th scope="row" className="py-0.5 pr-2 text-left font-medium">
              {r.label}
              <div className="text-xs font-normal text-slate-700 dark:text-slate-300">{r.help}</div>
            </th>
            {columns.map((c, i) => (
              <td key={i} className="py-0.5 pl-2 text-right font-mono tabular-nums" data-metric={r.key} data-slot={i === 0 ? "first" : "second"}>
                {c.metrics ? cellText(r.key, c.metrics) : "—"}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
