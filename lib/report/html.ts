/**
 * The benchmark report: one self-contained HTML page (inline CSS and SVG, no script, no external
 * asset), readable offline and safe to open from anyone: every dataset string is escaped.
 */
import { RATE_KEYS } from "@/lib/compare/metrics";
import { CWM_REPORT_CRUXEVAL, metricLabel, TABLE_ORDER, type BenchResult, type BenchSummary } from "@/lib/compare/summary";
import { draftToHash } from "@/lib/playground/draft";
import { esc, pct } from "./escape";
import { byTraceLength, distribution, scoredOf, worst, type Scored } from "./stats";
import { barChart, lineChart } from "./svg";

export interface ReportMeta {
  title: string;
  dataset: string;
  predictor: string;
  executor: string;
  options: string[];
  /** The playground's address; links append `#code=<base64url>&call=<base64url>`. */
  playgroundUrl: string;
  generatedAt: string;
}

export const WORST = 30;

const CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.grid-charts{display:flex;flex-wrap:wrap;gap:1.2rem}.grid-charts figure{margin:0}
figcaption{font-weight:600;margin-bottom:.2rem}
svg .bar{fill:#3b6ea8}svg .axis{stroke:#555}svg .grid{stroke:#e6e6e6}
svg .ref{fill:#9a9a9a}svg .floor{fill:#c8a45a}svg text{font:11px system-ui,sans-serif;fill:#333}svg .lab,svg .val{text-anchor:middle}svg .ylab{text-anchor:end}
svg .s1{stroke:#1f6f3f;fill:#1f6f3f}svg .s2{stroke:#3b6ea8;fill:#3b6ea8}svg .s3{stroke:#a8551b;fill:#a8551b}svg path.line{fill:none;stroke-width:2}
code,.mono{font-family:ui-monospace,Menlo,monospace;font-size:.9em;white-space:pre-wrap;word-break:break-word}
.meta td:first-child{color:#555}.no{color:#a01c1c;font-weight:600}.yes{color:#1f6f3f}
`;

function link(meta: ReportMeta, r: BenchResult): string {
  const base = meta.playgroundUrl.endsWith("/") ? meta.playgroundUrl : `${meta.playgroundUrl}/`;
  return `${base}${draftToHash({ code: r.code, call: r.call })}`;
}

function summaryTable(s: BenchSummary): string {
  const rows = TABLE_ORDER.map(
    (k) =>
      `<tr><td>${esc(metricLabel(k))}</td><td class="num">${(s[k] * 100).toFixed(2)}</td><td class="num">${CWM_REPORT_CRUXEVAL[k].toFixed(1)}</td></tr>`,
  ).join("");
  return `<table><thead><tr><th>metric</th><th class="num">mean %</th><th class="num">CWM report, CruxEval %</th></tr></thead><tbody>${rows}</tbody></table>
<p>${s.programs} programs scored${s.errors ? `; ${s.errors} could not be scored (listed at the end)` : ""}. Means are macro averages over programs.</p>`;
}

function distributions(scored: Scored[]): string {
  const figs = RATE_KEYS.map((k) => {
    const d = distribution(scored, k);
    return `<figure><figcaption>${esc(metricLabel(k))}</figcaption>${barChart(`${metricLabel(k)}: programs per score`, d.map((b) => ({ label: b.label, value: b.count })))}</figure>`;
  });
  return `<div class="grid-charts">${figs.join("")}</div><p>Fractional metrics in 10-point bins (e.g. "90–" is 90% to under 100%), exact traces in their own "100" bin.</p>`;
}

function lengthSection(scored: Scored[]): string {
  const b = byTraceLength(scored);
  const chart = lineChart(
    "Accuracy against real trace length (frames, with the number of programs)",
    b.map((x) => `${x.label} (${x.count})`),
    [
      { name: "output correct", values: b.map((x) => x.output_correct), marker: "circle", cls: "s1" },
      { name: "state exact", values: b.map((x) => x.state_exact), marker: "square", cls: "s2" },
      { name: "action exact", values: b.map((x) => x.action_exact), marker: "triangle", cls: "s3" },
    ],
  );
  const rows = b
    .map(
      (x) =>
        `<tr><td>${esc(x.label)}</td><td class="num">${x.count}</td><td class="num">${pct(x.output_correct)}</td><td class="num">${pct(x.state_exact)}</td><td class="num">${pct(x.action_exact)}</td></tr>`,
    )
    .join("");
  return `${chart}<table><thead><tr><th>frames</th><th class="num">programs</th><th class="num">output correct</th><th class="num">state exact</th><th class="num">action exact</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function worstSection(meta: ReportMeta, scored: Scored[], n = WORST): string {
  const rows = worst(scored, n)
    .map((r) => {
      const p = r.predicted;
      const outcome = (status: string, result: string | null, error: string | null) => (status === "returned" ? (result ?? "None") : status === "raised" ? `raised ${error ?? ""}` : status === "incomplete" ? "none (no end of trace)" : status);
      return `<tr><td><a href="${esc(link(meta, r))}">${esc(r.id)}</a></td>
<td class="num">${r.actual.frames} / ${p?.frames ?? 0}</td>
<td>${r.metrics.output_correct ? '<span class="yes">right</span>' : '<span class="no">wrong</span>'}<br><span class="mono">real: ${esc(outcome(r.actual.status, r.actual.result, r.actual.error))}</span><br><span class="mono">predicted: ${esc(p ? outcome(p.status, p.result, p.error) : "none")}</span></td>
<td class="num">${pct(r.metrics.state_exact)}</td><td class="num">${pct(r.metrics.action_exact)}</td><td class="num">${pct(r.metrics.key_value_match)}</td>
<td class="num">${r.metrics.first_divergence ?? "none"}</td><td>${esc(r.halting ? `${r.halting.executor.text}; ${r.halting.model.text}` : "")}</td></tr>`;
    })
    .join("");
  return `<table><thead><tr><th>program (opens the playground)</th><th class="num">frames real / predicted</th><th>output</th><th class="num">state</th><th class="num">action</th><th class="num">key+value</th><th class="num">first divergence</th><th>halting</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function errorsSection(results: readonly BenchResult[]): string {
  const bad = results.filter((r) => r.metrics === null);
  if (bad.length === 0) return "";
  const rows = bad.map((r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.error ?? "not scored")}</td></tr>`).join("");
  return `<h2>Not scored</h2><table><thead><tr><th>program</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderReport(results: readonly BenchResult[], summary: BenchSummary, meta: ReportMeta): string {
  const scored = scoredOf(results);
  return reportPage(meta, [["predictions", meta.predictor]], `<h2>Summary</h2>${summaryTable(summary)}
<h2>Distribution per metric</h2>${distributions(scored)}
<h2>Accuracy against trace length</h2>${lengthSection(scored)}
<h2>Worst ${Math.min(WORST, scored.length)} programs</h2>${worstSection(meta, scored)}
${errorsSection(results)}`);
}

/** A whole self-contained report page: title, the run's facts (`who`: which predictions), then `body`. */
export function reportPage(meta: Omit<ReportMeta, "predictor">, who: ReadonlyArray<readonly [string, string]>, body: string): string {
  const metaRows = [["dataset", meta.dataset], ...who, ["ground truth", meta.executor], ["options", meta.options.length ? meta.options.join(", ") : "none"], ["generated", meta.generatedAt]]
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(meta.title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${esc(meta.title)}</h1>
<table class="meta"><tbody>${metaRows}</tbody></table>
${body}
</main></body></html>
`;
}
