/**
 * JSON exactly as Python's `json.dumps` writes it with default settings (ensure_ascii, ", " and
 * ": " separators). CWM was trained on that text, so prompts and serialised traces must match it
 * byte for byte; JSON.stringify keeps non-ASCII characters and would not.
 */

const SHORT: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** A JSON string literal (with quotes), as `json.dumps(s)`. */
export function pyJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // JS strings are UTF-16 already, so astral characters come out as surrogate pairs for free.
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i);
    const ch = s[i];
    out += SHORT[ch] ?? `\\u${c.toString(16).padStart(4, "0")}`;
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** `json.dumps(d)` for a dict of strings, keys in insertion order. */
export function pyJsonObject(d: Record<string, string>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d)) parts.push(`${pyJsonString(k)}: ${pyJsonString(v)}`);
  return `{${parts.join(", ")}}`;
}

/** Parses a JSON string literal; null when it is not one. */
export function parseJsonString(text: string): string | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "string" ? v : null;
  } catch {
    return null;
  }
}

/** Parses a JSON object whose values are all strings; null otherwise. */
export function parseJsonLocals(text: string): Record<string, string> | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== "string") return null;
    out[k] = x;
  }
  return out;
}
