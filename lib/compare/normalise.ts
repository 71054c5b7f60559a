/**
 * The normalisations of comparison.md, applied before any comparison. Display code keeps the
 * original strings; only equality goes through these.
 */
import { START_MARKER } from "@/lib/cwm/program";

// The tracer drops " at 0x…" from reprs and CWM writes reprs without it, but a repr from another
// tracer (or a model that writes one) may keep it: dropping the whole phrase makes
// `<f at 0x7f…>` equal to `<f>`, and any other address equal to any address.
const AT_ADDRESS = / at 0x[0-9a-fA-F]+/g;
const ADDRESS = /0x[0-9a-fA-F]+/g;

export function normaliseValue(repr: string): string {
  if (!repr.includes("0x")) return repr;
  return repr.replace(AT_ADDRESS, "").replace(ADDRESS, "0x");
}

/** An exception frame's value compares by type name: the text before the first `(`. */
export function exceptionTypeOfValue(value: string): string {
  const i = value.indexOf("(");
  return (i < 0 ? value : value.slice(0, i)).trim();
}

/**
 * The type name in a trace's `error` field, which the tracer writes as "Type: message" and the
 * parser as "Type: message" or "Type"; a repr "Type(…)" is read too.
 */
export function exceptionTypeOfError(error: string): string {
  const m = /^\s*([A-Za-z_][\w.]*)/.exec(error);
  if (!m) return error.trim();
  const name = m[1];
  const dot = name.lastIndexOf(".");
  return dot < 0 ? name : name.slice(dot + 1);
}

export function normaliseSource(source: string): string {
  if (!source.endsWith("\n") && !source.endsWith(START_MARKER)) return source;
  let s = source;
  if (s.endsWith("\n")) s = s.slice(0, s.endsWith("\r\n") ? -2 : -1);
  if (s.endsWith(START_MARKER)) s = s.slice(0, -START_MARKER.length);
  return s;
}
