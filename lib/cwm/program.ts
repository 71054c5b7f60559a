/**
 * The one place that turns the user's code (and optional call) into the traced program and the
 * CWM context. The executor runs `program`; predictors send `context`; both number lines the
 * same way (`toUserLine`), so a real frame and a predicted frame of the same line agree.
 */
import { runModeOf, type RunMode } from "@/lib/trace/schema";

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
}

export function normaliseCode(code: string): string {
  return code.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
}

export function buildProgram(code: string, call?: string | null): Program {
  const mode = runModeOf(call);
  const norm = normaliseCode(code);
  let program: string;
  if (mode === "call") {
    program = `${norm}\n${MAIN_DEF}${START_MARKER}\n    return ${call!.trim()}\n`;
  } else {
    // Script mode: top-level statements become main's body. Indenting also indents the inside
    // of multi-line strings; the model reads the same indented text, so both sides agree.
    const body = norm === "" ? ["pass"] : norm.split("\n");
    program = `${MAIN_DEF}${START_MARKER}\n${body.map((l) => (l === "" ? "" : `    ${l}`)).join("\n")}\n`;
  }
  return { mode, code: norm, program, context: `\n${program}`, lineOffset: mode === "call" ? 0 : 1 };
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
