/**
 * Inline SVG charts for the report: plain strings, no library, no external assets. Each chart has
 * a <title> and the numbers are also printed as text, so nothing is read from colour alone.
 */
import { esc } from "./escape";

export interface Bar {
  label: string;
  value: number;
  /** Shown above the bar (defaults to the value). */
  text?: string;
}

/** Vertical bars with their labels below and their values above. */
export function barChart(title: string, bars: Bar[], opts: { width?: number; height?: number; max?: number } = {}): string {
  const width = opts.width ?? 320;
  const height = opts.height ?? 160;
  const top = 18;
  const bottom = 30;
  const plotH = height - top - bottom;
  const max = opts.max ?? Math.max(1, ...bars.map((b) => b.value));
  const slot = width / Math.max(1, bars.length);
  const barW = Math.max(4, slot * 0.7);
  const parts = bars.map((b, i) => {
    const h = (b.value / max) * plotH;
    const x = i * slot + (slot - barW) / 2;
    const y = top + plotH - h;
    const cx = i * slot + slot / 2;
    return (
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" class="bar"><title>${esc(b.label)}: ${esc(b.text ?? String(b.value))}</title></rect>` +
      `<text x="${cx.toFixed(1)}" y="${(y - 4).toFixed(1)}" class="val">${esc(b.text ?? String(b.value))}</text>` +
      `<text x="${cx.toFixed(1)}" y="${height - bottom + 14}" class="lab">${esc(b.label)}</text>`
    );
  });
  return (
    `<svg role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${esc(title)}"><title>${esc(title)}</title>` +
    `<line x1="0" y1="${top + plotH}" x2="${width}" y2="${top + plotH}" class="axis"/>${parts.join("")}</svg>`
  );
}

export interface Series {
  name: string;
  /** One value in 0..1 per x label; null where there is no data. */
  values: (number | null)[];
  /** Marker shape, so series differ by more than colour. */
  marker: "circle" | "square" | "triangle";
  cls: string;
}

function marker(shape: Series["marker"], x: number, y: number, cls: string, tip: string): string {
  const t = `<title>${esc(tip)}</title>`;
  if (shape === "circle") return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" class="${cls}">${t}</circle>`;
  if (shape === "square") return `<rect x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" class="${cls}">${t}</rect>`;
  return `<polygon points="${x.toFixed(1)},${(y - 5).toFixed(1)} ${(x - 5).toFixed(1)},${(y + 4).toFixed(1)} ${(x + 5).toFixed(1)},${(y + 4).toFixed(1)}" class="${cls}">${t}</polygon>`;
}

/** Lines of fractions (0..1, drawn as percent) over categorical x labels, with a legend. */
export function lineChart(title: string, xLabels: string[], series: Series[], opts: { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 240;
  const left = 40;
  const right = 48;
  const top = 24;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const xAt = (i: number) => left + (xLabels.length <= 1 ? plotW / 2 : (i * plotW) / (xLabels.length - 1));
  const yAt = (v: number) => top + plotH - v * plotH;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((v) => `<line x1="${left}" y1="${yAt(v)}" x2="${width - right}" y2="${yAt(v)}" class="grid"/><text x="${left - 4}" y="${yAt(v) + 4}" class="ylab">${v * 100}%</text>`)
    .join("");
  const xs = xLabels.map((l, i) => `<text x="${xAt(i).toFixed(1)}" y="${height - bottom + 16}" class="lab">${esc(l)}</text>`).join("");
  const lines = series
    .map((s) => {
      const pts = s.values.map((v, i) => (v === null ? null : ([xAt(i), yAt(v)] as const)));
      const d = pts
        .map((p, i) => (p ? `${i === 0 || !pts[i - 1] ? "M" : "L"}${p[0].toFixed(1)},${p[1].toFixed(1)}` : ""))
        .join("");
      const marks = pts
        .map((p, i) => (p ? marker(s.marker, p[0], p[1], s.cls, `${s.name}, ${xLabels[i]}: ${((s.values[i] ?? 0) * 100).toFixed(1)}%`) : ""))
        .join("");
      return `<path d="${d}" class="line ${s.cls}"/>${marks}`;
    })
    .join("");
  const legend = series
    .map((s, i) => `${marker(s.marker, left + 8 + i * 150, 10, s.cls, s.name)}<text x="${left + 18 + i * 150}" y="14" class="leg">${esc(s.name)}</text>`)
    .join("");
  return (
    `<svg role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${esc(title)}"><title>${esc(title)}</title>` +
    `${grid}${xs}${lines}${legend}</svg>`
  );
}

export interface HBar {
  label: string;
  /** 0..1, drawn as percent. */
  value: number;
  /** Extra class for the bar ("ref" for a reference figure, "floor" for the baseline). */
  cls?: string;
}

/** Horizontal percent bars, one per row, label on the left and the value printed after the bar. */
export function hBarChart(title: string, bars: HBar[], opts: { width?: number; labelWidth?: number } = {}): string {
  const width = opts.width ?? 560;
  const labelW = opts.labelWidth ?? 250;
  const rowH = 20;
  const top = 4;
  const plotW = width - labelW - 56;
  const height = top + bars.length * rowH + 4;
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(0, Math.min(1, b.value)) * plotW;
    const text = `${(b.value * 100).toFixed(1)}%`;
    const label = b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label;
    return (
      `<text x="${labelW - 6}" y="${y + 14}" class="ylab">${esc(label)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" class="bar${b.cls ? ` ${b.cls}` : ""}"><title>${esc(b.label)}: ${text}</title></rect>` +
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 14}">${text}</text>`
    );
  });
  return (
    `<svg role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${esc(title)}"><title>${esc(title)}</title>` +
    `<line x1="${labelW}" y1="${top}" x2="${labelW}" y2="${height - 4}" class="axis"/>${rows.join("")}</svg>`
  );
}
