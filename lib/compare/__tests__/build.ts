/** Hand-built traces for the golden tests: the frames are written out, nothing is recorded. */
import type { CanonicalTrace, Frame, PredictedTrace } from "@/lib/trace/schema";

export const call = (source: string, locals: Record<string, string>): Frame => ({ event: "call", line: null, source, locals });
export const line = (source: string, locals: Record<string, string>): Frame => ({ event: "line", line: null, source, locals });
export const ret = (source: string, value: string): Frame => ({ event: "return", line: null, source, value });
export const exc = (source: string, value: string): Frame => ({ event: "exception", line: null, source, value });

export function actual(frames: Frame[], over: Partial<CanonicalTrace> = {}): CanonicalTrace {
  const last = frames[frames.length - 1];
  return {
    status: "returned",
    frames,
    result: last?.event === "return" ? (last.value ?? null) : null,
    error: null,
    stdout: "",
    ...over,
  };
}

export function predicted(frames: Frame[], over: Partial<PredictedTrace> = {}): PredictedTrace {
  const last = frames[frames.length - 1];
  return {
    status: "returned",
    frames,
    result: last?.event === "return" ? (last.value ?? null) : null,
    error: null,
    stdout: "",
    predictor: { id: "test", model: null },
    finish: "eos",
    valid_format: true,
    valid_json: true,
    raw: "",
    ...over,
  };
}

/**
 * The frames of
 *     def f(n):
 *         s = 0
 *         for i in range(n):   (iterating over `values` instead of range(n) when given)
 *             s += i
 *         return s
 *     main: return f(n)
 * with the loop visiting `values`; s accumulates them.
 */
export function sumTrace(n: number, values: number[] = Array.from({ length: n }, (_, i) => i)): Frame[] {
  const N = String(n);
  const out: Frame[] = [
    call("def main():", {}),
    line(`    return f(${N})`, {}),
    call("def f(n):", { n: N }),
    line("    s = 0", { n: N }),
  ];
  let s = 0;
  let i: number | undefined;
  const loc = (): Record<string, string> => (i === undefined ? { n: N, s: String(s) } : { n: N, s: String(s), i: String(i) });
  for (const v of values) {
    out.push(line("    for i in range(n):", loc()));
    i = v;
    out.push(line("        s += i", loc()));
    s += v;
  }
  out.push(line("    for i in range(n):", loc()));
  out.push(line("    return s", loc()));
  out.push(ret("    return s", String(s)));
  out.push(ret(`    return f(${N})`, String(s)));
  return out;
}

const LISTCOMP_SRC = "    return [g(c) for c in s]";
const G = ["def g(c):", "    return c.upper()"];

/**
 * `def g(c): return c.upper()` / `def f(s): return [g(c) for c in s]`, `f('ab')`, as Python 3.14
 * (Pyodide) traces it: no comprehension scope, the comprehension's line again after each call.
 */
export function inlined(): Frame[] {
  return [
    call("def main():", {}),
    line("    return f('ab')", {}),
    call("def f(s):", { s: "'ab'" }),
    line(LISTCOMP_SRC, { s: "'ab'" }),
    call(G[0], { c: "'a'" }),
    line(G[1], { c: "'a'" }),
    ret(G[1], "'A'"),
    line(LISTCOMP_SRC, { s: "'ab'", c: "'a'" }),
    call(G[0], { c: "'b'" }),
    line(G[1], { c: "'b'" }),
    ret(G[1], "'B'"),
    line(LISTCOMP_SRC, { s: "'ab'", c: "'b'" }),
    ret(LISTCOMP_SRC, "['A', 'B']"),
    ret("    return f('ab')", "['A', 'B']"),
  ];
}

/** The same run as CPython 3.11 traces it (and CWM predicts it): a <listcomp> scope with local `.0`. */
export function withListcomp(): Frame[] {
  const it = { ".0": "<str_ascii_iterator object>" };
  return [
    call("def main():", {}),
    line("    return f('ab')", {}),
    call("def f(s):", { s: "'ab'" }),
    line(LISTCOMP_SRC, { s: "'ab'" }),
    call(LISTCOMP_SRC, it),
    line(LISTCOMP_SRC, it),
    call(G[0], { c: "'a'" }),
    line(G[1], { c: "'a'" }),
    ret(G[1], "'A'"),
    line(LISTCOMP_SRC, { ...it, c: "'a'" }),
    call(G[0], { c: "'b'" }),
    line(G[1], { c: "'b'" }),
    ret(G[1], "'B'"),
    line(LISTCOMP_SRC, { ...it, c: "'b'" }),
    ret(LISTCOMP_SRC, "['A', 'B']"),
    ret(LISTCOMP_SRC, "['A', 'B']"),
    ret("    return f('ab')", "['A', 'B']"),
  ];
}
