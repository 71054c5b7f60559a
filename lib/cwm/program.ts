/**
 * The one place that turns the user's code (and optional call) into the traced program and the
 * CWM context. The executor runs `program`; predictors send `context`; both number lines the
 * same way (`toUserLine`), so a real frame and a predicted frame of the same line agree.
 */
import { runModeOf, type RunMode } from "@/lib/trace/schema";
import { isIdentChar, isIdentStart } from "@/lib/cwm/pyscan";

export const START_MARKER = "  # << START_OF_TRACE";
export const MAIN_DEF = "def main():";

export interface Program {
  mode: RunMode;
  /** The user's code, normalised (LF line ends, no trailing blank lines). */
  code: string;
  /** What the executor compiles and runs. */
  program: string;
  /** What the model reads: exactly "\n" + program, as in the recorded CWM runs. */
  context: string;
  /**
   * Frame line numbers are program lines minus this offset: 0 in call mode (user lines keep
   * their numbers, wrapper lines follow them), 1 in script mode (user line k is program line
   * k + 1, and `def main():` is reported as line 0).
   */
  lineOffset: 0 | 1;
  /**
   * The entry wrapper's name: "main", unless the user's code or call uses the identifier `main`
   * (call mode), then a fresh one (`main_`, `main__`, …) so the user's own main is not shadowed.
   * The START_OF_TRACE marker, not the name, tells CWM and the tracer which function is the entry.
   */
  entry?: string;
  /** `def <entry>():`, the wrapper's first line as frames carry it (MAIN_DEF when absent). */
  entryDef?: string;
}

export function normaliseCode(code: string): string {
  const lf = code.replace(/\r\n?/g, "\n");
  // A loop, not /\n+$/: that regex retries from every newline and takes seconds on 64 KiB of them.
  let end = lf.length;
  while (end > 0 && lf.charCodeAt(end - 1) === 10) end--;
  return lf.slice(0, end);
}

export function buildProgram(code: string, call?: string | null): Program {
  const mode = runModeOf(call);
  const norm = normaliseCode(code);
  let program: string;
  let entry = "main";
  if (mode === "call") {
    const used = identifiers(`${norm}\n${call!}`);
    while (used.has(entry)) entry += "_";
    program = `${norm}\n${entryDefOf(entry)}${START_MARKER}\n    return ${call!.trim()}\n`;
  } else {
    // Script mode: top-level statements become main's body. Indenting also indents the inside
    // of multi-line strings; the model reads the same indented text, so both sides agree.
    const body = norm === "" ? ["pass"] : norm.split("\n");
    program = `${MAIN_DEF}${START_MARKER}\n${body.map((l) => (l === "" ? "" : `    ${l}`)).join("\n")}\n`;
  }
  return { mode, code: norm, program, context: `\n${program}`, lineOffset: mode === "call" ? 0 : 1, entry, entryDef: entryDefOf(entry) };
}

/** The frame line number of a 1-based program line. */
export function frameLine(p: Pick<Program, "lineOffset">, programLine: number): number {
  return programLine - p.lineOffset;
}

/** Source text as frames carry it: no trailing newline, no START_OF_TRACE marker. */
export function frameSource(text: string): string {
  let s = text.replace(/\r?\n$/, "");
  if (s.endsWith(START_MARKER)) s = s.slice(0, -START_MARKER.length);
  return s;
}

function entryDefOf(name: string): string {
  return name === "main" ? MAIN_DEF : `def ${name}():`;
}

/**
 * The identifiers of Python code (outside strings and comments) that start with "main": one
 * linear pass, no regular expression. A string's prefix letters (f"…") may be counted as an
 * identifier; that only makes a rename more likely, never a collision.
 */
export function identifiers(src: string): Set<string> {
  const out = new Set<string>();
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 35) {
      // # comment: to the end of the line
      while (i < n && src.charCodeAt(i) !== 10) i++;
    } else if (c === 34 || c === 39) {
      i = skipString(src, i);
    } else if (isIdentStart(c) || c > 127) {
      let j = i + 1;
      while (j < n && (isIdentChar(src.charCodeAt(j)) || src.charCodeAt(j) > 127)) j++;
      const word = src.slice(i, j);
      if (word.startsWith("main")) out.add(word);
      i = j;
    } else {
      i++;
    }
  }
  return out;
}

/** Index just past the string literal whose opening quote is at `i` (or the end of the source). */
function skipString(src: string, i: number): number {
  const q = src.charCodeAt(i);
  const triple = src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q;
  let j = triple ? i + 3 : i + 1;
  while (j < src.length) {
    const c = src.charCodeAt(j);
    if (c === 92) {
      j += 2;
    } else if (c === q && (!triple || (src.charCodeAt(j + 1) === q && src.charCodeAt(j + 2) === q))) {
      return j + (triple ? 3 : 1);
    } else if (c === 10 && !triple) {
      return j + 1;
    } else {
      j++;
    }
  }
  return j;
}
