/**
 * The repr of a Python literal read from source text, for the few literals whose value is
 * obvious without running anything. Anything else gives null.
 */

/**
 * Longer literals, or deeper nesting, are not read: each level rescans its text, so the work
 * is bounded by MAX_LITERAL_CHARS × MAX_LITERAL_DEPTH whatever the user writes.
 */
export const MAX_LITERAL_CHARS = 4096;
export const MAX_LITERAL_DEPTH = 16;

const INT = /^[+-]?\d[\d_]*$/;
const FLOAT = /^[+-]?(?:\d[\d_]*\.\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function literalRepr(src: string, depth = 0): string | null {
  if (src.length > MAX_LITERAL_CHARS || depth > MAX_LITERAL_DEPTH) return null;
  const s = src.trim();
  if (s === "True" || s === "False" || s === "None") return s;
  if (INT.test(s)) return BigInt(s.replace(/_/g, "")).toString();
  if (FLOAT.test(s)) {
    const n = Number(s.replace(/_/g, ""));
    if (!Number.isFinite(n)) return null;
    return Number.isInteger(n) && Math.abs(n) < 1e16 ? `${n}.0` : String(n);
  }
  const str = /^(['"])([^'"\\\n]*)\1$/.exec(s);
  if (str) return `'${str[2]}'`;
  const dq = /^"([^"\\\n]*)"$/.exec(s);
  if (dq) return dq[1].includes("'") ? `"${dq[1]}"` : `'${dq[1]}'`;
  if (s === "[]" || s === "{}" || s === "()") return s;
  if (s === "set()") return s;
  const seq = /^([[(])([\s\S]*)([\])])$/.exec(s);
  if (seq && (seq[1] === "[") === (seq[3] === "]")) {
    const items = splitTopLevel(seq[2]);
    if (items === null) return null;
    const trailingComma = items.length > 1 && items[items.length - 1].trim() === "";
    if (seq[1] === "(" && items.length === 1) return literalRepr(items[0], depth + 1); // (x) is x, not a tuple
    const parts = items.filter((x, i) => !(x.trim() === "" && i === items.length - 1)).map((x) => literalRepr(x, depth + 1));
    if (parts.some((p) => p === null)) return null;
    if (seq[1] === "(") return parts.length === 1 && trailingComma ? `(${parts[0]},)` : `(${parts.join(", ")})`;
    return `[${parts.join(", ")}]`;
  }
  return null;
}

/** Splits on commas outside brackets and strings; null when brackets do not balance. */
export function splitTopLevel(s: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      depth--;
      if (depth < 0) return null;
    } else if (c === "," && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quote) return null;
  out.push(s.slice(start));
  return s.trim() === "" ? [] : out;
}
