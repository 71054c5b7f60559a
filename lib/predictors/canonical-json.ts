/**
 * One JSON text per value: object keys sorted, undefined members dropped. Written straight to
 * text (no intermediate objects), so a key such as `__proto__` is hashed like any other.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`canonicalJson: ${v} is not a JSON number`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map((e) => (e === undefined ? "null" : canonicalJson(e))).join(",")}]`;
  if (typeof v === "object") {
    const parts: string[] = [];
    for (const k of Object.keys(v).sort()) {
      const val = (v as Record<string, unknown>)[k];
      if (val !== undefined) parts.push(`${JSON.stringify(k)}:${canonicalJson(val)}`);
    }
    return `{${parts.join(",")}}`;
  }
  throw new Error(`canonicalJson: cannot encode a ${typeof v}`);
}
