/**
 * The leaderboard report: several predictors scored on the same programs, in one self-contained
 * HTML page (no script, no external asset, every dataset string escaped). One table of every
 * metric per predictor with the CWM report's Table 9 row, one chart per metric, then each
 * predictor's worst programs.
 */
import { CWM_REPORT_CRUXEVAL, metricLabel, metricShortLabel, TABLE_ORDER, type BenchResult, type LeaderboardRow } from "@/lib/compare/summary";
import { esc } from "./escape";
import { errorsSection, reportPage, worstSection, type ReportMeta } from "./html";
import { scoredOf } from "./stats";
import { hBarChart } from "./svg";

export interface LeaderboardEntry extends LeaderboardRow {
  results: readonly BenchResult[];
}

const WORST_PER_PREDICTOR = 10;
const REFERENCE = "CWM report, CruxEval (Table 9)";

function table(entries: readonly LeaderboardEntry[]): string {
  const head = `<tr><th>predictor</th>${TABLE_ORDER.map((k) => `<th class="num">${esc(metricShortLabel(k))} %</th>`).join("")}<th class="num">scored</th></tr>`;
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${esc(e.label)}${e.floor ? " <em>(floor)</em>" : ""}</td>${TABLE_ORDER.map((k) => `<td class="num">${(e.summary[k] * 100).toFixed(2)}</td>`).join("")}<td class="num">${e.summary.programs}${e.summary.errors ? ` (+${e.summary.errors} failed)` : ""}</td></tr>`,
    )
    .join("");
  const ref = `<tr class="ref-row"><td><em>${esc(REFERENCE)}, for orientation; not run here</em></td>${TABLE_ORDER.map((k) => `<td class="num"><em>${CWM_REPORT_CRUXEVAL[k].toFixed(1)}</em></td>`).join("")}<td class="num">-</td></tr>`;
  return `<table><thead>${head}</thead><tbody>${rows}${ref}</tbody></table>`;
}

function charts(entries: readonly LeaderboardEntry[]): string {
  const figs = TABLE_ORDER.map((k) => {
    const bars = [
      ...entries.map((e) => ({ label: e.label, value: e.summary[k], ...(e.floor ? { cls: "floor" } : {}) })),
      { label: REFERENCE, value: CWM_REPORT_CRUXEVAL[k] / 100, cls: "ref" },
    ];
    return `<figure><figcaption>${esc(metricLabel(k))}</figcaption>${hBarChart(`${metricLabel(k)} per predictor`, bars)}</figure>`;
  });
  return `<div class="grid-charts">${figs.join("")}</div>`;
}

export function renderLeaderboard(entries: readonly LeaderboardEntry[], meta: Omit<ReportMeta, "predictor">): string {
  const sections = entries
    .map((e) => {
      const scored = scoredOf(e.results);
      return `<h2>${esc(e.label)}: worst ${Math.min(WORST_PER_PREDICTOR, scored.length)} programs</h2>${worstSection({ ...meta, predictor: e.label }, scored, WORST_PER_PREDICTOR)}${errorsSection(e.results)}`;
    })
    .join("\n");
  return reportPage(
    meta,
    [["predictors", entries.map((e) => e.label).join("; ")]],
    `<h2>Leaderboard</h2>${table(entries)}
<p>Every predictor is scored on the same programs against one execution of each (macro averages). The syntax-only baseline reads syntax only: it is the floor, not a model. The last row is the CWM report's figure, not a run of this benchmark.</p>
<h2>Per metric</h2>${charts(entries)}
${sections}`,
  );
}
