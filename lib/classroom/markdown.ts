/**
 * Teacher notes are Markdown written by whoever made the lesson, so they are untrusted: this
 * parser turns a small subset (headings, paragraphs, emphasis, inline code, fenced code, lists,
 * http(s) links) into a tree that components/classroom/Markdown.tsx renders as React elements.
 * Nothing here ever becomes markup: raw HTML stays text, and a link whose target is not
 * http(s) stays its source text, so `javascript:` or `data:` can never be clicked.
 */

export type MdInline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "em"; children: MdInline[] }
  | { type: "strong"; children: MdInline[] }
  | { type: "link"; href: string; children: MdInline[] };

export type MdBlock =
  | { type: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; children: MdInline[] }
  | { type: "paragraph"; children: MdInline[] }
  | { type: "code"; lang: string | null; text: string }
  | { type: "list"; ordered: boolean; start: number; items: MdInline[][] }
  | { type: "quote"; children: MdBlock[] };

/** Emphasis nested deeper than this is shown as text: bounded work for hostile input. */
const MAX_DEPTH = 6;
const ESCAPABLE = /[\\`*_[\]()#+\-.!<>{}|~]/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const BULLET = /^\s{0,3}([-*+])\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

/** The link target when it is an absolute http(s) URL, normalised by the URL parser; else null. */
export function safeHref(raw: string): string | null {
  const s = raw.trim();
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/** Index of the `]` closing the `[` at `open`, or -1. */
function closingBracket(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === "[") depth++;
    else if (src[i] === "]" && --depth === 0) return i;
  }
  return -1;
}

/** Where the emphasis opened by `marker` at `from` closes, or -1. */
function closingMarker(src: string, from: number, marker: string): number {
  const ch = marker[0];
  for (let j = from; j < src.length; j++) {
    if (src[j] === "\\") {
      j++;
      continue;
    }
    if (src[j] === "`") {
      // Markers inside inline code do not close emphasis.
      const n = runLength(src, j, "`");
      const end = src.indexOf("`".repeat(n), j + n);
      if (end >= 0) j = end + n - 1;
      continue;
    }
    if (!src.startsWith(marker, j)) continue;
    if (marker.length === 1 && src[j + 1] === ch) {
      j++; // a double marker inside a single one belongs to nested strong text
      continue;
    }
    if (/\s/.test(src[j - 1] ?? " ")) continue;
    if (ch === "_" && /\w/.test(src[j + marker.length] ?? "")) continue;
    return j;
  }
  return -1;
}

function runLength(src: string, i: number, ch: string): number {
  let n = 0;
  while (src[i + n] === ch) n++;
  return n;
}

export function parseInline(src: string, depth = 0): MdInline[] {
  const out: MdInline[] = [];
  let buf = "";
  const flush = () => {
    if (buf) out.push({ type: "text", text: buf });
    buf = "";
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\" && i + 1 < src.length && ESCAPABLE.test(src[i + 1])) {
      buf += src[i + 1];
      i += 2;
      continue;
    }
    if (c === "`") {
      const n = runLength(src, i, "`");
      const end = src.indexOf("`".repeat(n), i + n);
      if (end < 0 || src[end + n] === "`") {
        buf += "`".repeat(n);
        i += n;
        continue;
      }
      flush();
      let text = src.slice(i + n, end).replace(/\n/g, " ");
      if (text.length > 2 && text.startsWith(" ") && text.endsWith(" ")) text = text.slice(1, -1);
      out.push({ type: "code", text });
      i = end + n;
      continue;
    }
    if ((c === "*" || c === "_") && depth < MAX_DEPTH) {
      const marker = src[i + 1] === c ? c + c : c;
      const start = i + marker.length;
      const intraword = c === "_" && /\w/.test(src[i - 1] ?? "");
      const close = intraword || /\s/.test(src[start] ?? " ") ? -1 : closingMarker(src, start, marker);
      if (close > start) {
        flush();
        out.push({ type: marker.length === 2 ? "strong" : "em", children: parseInline(src.slice(start, close), depth + 1) });
        i = close + marker.length;
        continue;
      }
      buf += marker;
      i = start;
      continue;
    }
    if (c === "[" && depth < MAX_DEPTH) {
      const close = closingBracket(src, i);
      const end = close > 0 && src[close + 1] === "(" ? src.indexOf(")", close + 2) : -1;
      if (end > 0) {
        const href = safeHref(src.slice(close + 2, end));
        if (href) {
          flush();
          out.push({ type: "link", href, children: parseInline(src.slice(i + 1, close), depth + 1) });
        } else {
          buf += src.slice(i, end + 1); // not http(s): shown as written, never a link
        }
        i = end + 1;
        continue;
      }
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

type ListItem = { ordered: boolean; number: number; text: string };

function listItem(line: string): ListItem | null {
  const b = BULLET.exec(line);
  if (b) return { ordered: false, number: 1, text: b[2] };
  const n = NUMBERED.exec(line);
  return n ? { ordered: true, number: Number(n[1]), text: n[2] } : null;
}

const blank = (line: string) => line.trim() === "";

export function parseMarkdown(source: string, depth = 0): MdBlock[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: MdBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const mark = fence[1];
      const body: string[] = [];
      i++;
      // An unclosed fence runs to the end of the notes, as CommonMark says.
      while (i < lines.length && !new RegExp(`^\\s{0,3}${mark[0] === "`" ? "`" : "~"}{${mark.length},}\\s*$`).test(lines[i])) body.push(lines[i++]);
      i++;
      blocks.push({ type: "code", lang: fence[2] || null, text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: "heading", level: heading[1].length as 1 | 2 | 3 | 4 | 5 | 6, children: parseInline(heading[2] ?? "") });
      i++;
      continue;
    }
    // A quote nested deeper than MAX_DEPTH stays text: bounded work for hostile input.
    if (QUOTE.test(line) && depth < MAX_DEPTH) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(QUOTE.exec(lines[i++])![1]);
      blocks.push({ type: "quote", children: parseMarkdown(body.join("\n"), depth + 1) });
      continue;
    }
    const first = listItem(line);
    if (first) {
      const items: string[] = [first.text];
      i++;
      while (i < lines.length && !blank(lines[i])) {
        const next = listItem(lines[i]);
        if (next && next.ordered === first.ordered) items.push(next.text);
        else if (next || FENCE.test(lines[i]) || HEADING.test(lines[i])) break;
        else items[items.length - 1] += " " + lines[i].trim(); // a continuation line
        i++;
      }
      blocks.push({ type: "list", ordered: first.ordered, start: first.number, items: items.map((t) => parseInline(t)) });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !blank(lines[i]) &&
      !FENCE.test(lines[i]) &&
      !HEADING.test(lines[i]) &&
      !(para.length && (listItem(lines[i]) || (QUOTE.test(lines[i]) && depth < MAX_DEPTH)))
    ) {
      para.push(lines[i].trim());
      i++;
    }
    blocks.push({ type: "paragraph", children: parseInline(para.join(" ")) });
  }
  return blocks;
}
