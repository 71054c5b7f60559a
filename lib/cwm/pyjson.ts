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

/**
 * Parses a JSON object whose values are all strings; null otherwise. JSON.parse makes every
 * key an own property (`__proto__` included), so its object is returned as is, not copied.
 */
export function parseJsonLocals(text: string): Record<string, string> | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const out = v as Record<string, unknown>;
  for (const k of Object.keys(out)) if (typeof out[k] !== "string") return null;
  return out as Record<string, string>;
}

/** `obj[k] = v` that also works for a key named `__proto__` (a Python local may be called that). */
export function setOwn<V>(obj: Record<string, V>, k: string, v: V): void {
  // defineProperty only where needed: it turns the object into a slow dictionary.
  if (k === "__proto__") Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[k] = v;
}
