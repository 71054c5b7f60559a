/**
 * Aligns two 10,000-frame traces that differ in a few places (a skipped iteration, an invented
 * line, a wrong value, a missing tail) and prints the median time of the full comparison
 * (prepare + metrics + alignment + rows) and of the alignment alone, each against a naive
 * positional compare of the same traces measured in the same run. Goal: alignment ≤ 50 ms.
 * Also: 100 scattered edits, and the worst case (two unrelated traces).
 *
 *   npx tsx bench/align.ts [--runs N]
 */
import { performance } from "node:perf_hooks";
import { alignPrepared } from "@/lib/compare/align";
import { compareTraces, createComparer } from "@/lib/compare/compare";
import { ActInterner, prepareTrace } from "@/lib/compare/prepare";
import type { CanonicalTrace, Frame, PredictedTrace } from "@/lib/trace/schema";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

function loopTrace(values: number[], n = String(values.length)): Frame[] {
  const out: Frame[] = [
    { event: "call", line: 6, source: "def main():", locals: {} },
    { event: "line", line: 7, source: `    return f(${n})`, locals: {} },
    { event: "call", line: 1, source: "def f(n):", locals: { n } },
    { event: "line", line: 2, source: "    s = []", locals: { n } },
  ];
  const s: number[] = [];
  let i: number | undefined;
  const loc = (): Record<string, string> => ({ n, s: `[${s.slice(-3).join(", ")}]`, ...(i === undefined ? {} : { i: String(i) }) });
  for (const v of values) {
    out.push({ event: "line", line: 3, source: "    for i in range(n):", locals: loc() });
    i = v;
    out.push({ event: "line", line: 4, source: "        s.append(i * i)", locals: loc() });
    s.push(v * v);
  }
  out.push({ event: "line", line: 3, source: "    for i in range(n):", locals: loc() });
  out.push({ event: "line", line: 5, source: "    return s", locals: loc() });
  out.push({ event: "return", line: 5, source: "    return s", value: `[${s.slice(-3).join(", ")}]` });
  out.push({ event: "return", line: 7, source: `    return f(${n})`, value: `[${s.slice(-3).join(", ")}]` });
  return out;
}

const ITER = 4998; // 10,004 frames
const values = Array.from({ length: ITER }, (_, k) => k);
const actualFrames = loopTrace(values);
const pv = [...values];
pv.splice(1200, 1); // a skipped iteration
const predFrames = loopTrace(pv, String(ITER));
predFrames.splice(6001, 0, { event: "line", line: 9, source: "        print(i)", locals: { n: "4998", s: "[]", i: "3000" } }); // an invented line
predFrames[8001] = { ...predFrames[8001], locals: { n: "4998", s: "[0]", i: "wrong" } }; // a wrong value
predFrames.splice(predFrames.length - 40); // the model stopped early

const actual: CanonicalTrace = { status: "returned", frames: actualFrames, result: null, error: null, stdout: "" };
const predicted: PredictedTrace = {
  status: "incomplete",
  frames: predFrames,
  result: null,
  error: null,
  stdout: "",
  predictor: { id: "bench", model: null },
  finish: "length",
  valid_format: false,
  valid_json: true,
  raw: "",
};

/** The naive baseline: frame i against frame i, comparing event, source and locals as JSON. */
function positional(a: Frame[], p: Frame[]): number {
  let same = 0;
  const m = Math.min(a.length, p.length);
  for (let k = 0; k < m; k++) {
    const x = a[k];
    const y = p[k];
    if (x.event === y.event && x.source === y.source && JSON.stringify(x.locals ?? x.value) === JSON.stringify(y.locals ?? y.value)) same++;
  }
  return same;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number[] {
  for (let k = 0; k < 3; k++) fn(); // warm-up: JIT
  const out: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

let sink = 0;
const tPositional = median(time(() => (sink += positional(actualFrames, predFrames))));
const tFull = median(time(() => (sink += compareTraces(actual, predicted).alignment.rows.length)));
const interner = new ActInterner();
const A = prepareTrace(actualFrames, interner);
const P = prepareTrace(predFrames, interner);
const tAlign = median(time(() => (sink += alignPrepared(A, P, { freeEndActual: true }).rows.length)));
// Streaming: the comparer already holds the first frames; one more frame arrives.
const comparer = createComparer();
const partial = (k: number): PredictedTrace => ({ ...predicted, frames: predFrames.slice(0, k) });
comparer.compare(actual, partial(predFrames.length - 1));
let grow = predFrames.length - 1;
const tIncr = median(
  time(() => {
    // Alternate between two lengths so every run adds a frame to what the comparer holds.
    grow = grow === predFrames.length ? predFrames.length - 1 : predFrames.length;
    sink += comparer.compare(actual, { ...predicted, frames: predFrames.slice(0, grow) }).alignment.rows.length;
  }),
);

// Scattered: 100 invented lines spread over the run (the exact search's cost grows with edits).
const scattered = loopTrace(values);
for (let k = 0; k < 100; k++) scattered.splice(100 + k * 99, 0, { event: "line", line: 9, source: "        print(i)", locals: { n: "4998" } });
const SA = prepareTrace(actualFrames, interner);
const SP = prepareTrace(scattered, interner);
const tScattered = median(time(() => (sink += alignPrepared(SA, SP).rows.length)));
// Worst case: nothing in common, the search gives up at its edit budget and shows two gap blocks.
const other = actualFrames.map((f) => ({ ...f, source: `${f.source} # other` }));
const OP = prepareTrace(other, interner);
const tWorst = median(time(() => (sink += alignPrepared(SA, OP).rows.length)));

const c = compareTraces(actual, predicted);
const kinds = { match: 0, insert: 0, delete: 0 };
for (const r of c.alignment.rows) kinds[r.kind]++;
console.log(`traces: ${actualFrames.length} real frames, ${predFrames.length} predicted frames; rows ${JSON.stringify(kinds)}, approximate ${c.alignment.approximate}`);
console.log(`runs per measurement: ${RUNS} (median)`);
console.log(`naive positional compare:               ${tPositional.toFixed(2)} ms (baseline)`);
console.log(`alignment alone (Myers + slide + rows): ${tAlign.toFixed(2)} ms  = ${(tAlign / tPositional).toFixed(2)}× positional  (goal ≤ 50 ms: ${tAlign <= 50 ? "met" : "NOT met"})`);
console.log(`full compare (normalise + metrics + alignment): ${tFull.toFixed(2)} ms  = ${(tFull / tPositional).toFixed(2)}× positional`);
console.log(`recompute after one streamed frame (createComparer): ${tIncr.toFixed(2)} ms  = ${(tIncr / tPositional).toFixed(2)}× positional`);
console.log(`alignment with 100 scattered invented lines:  ${tScattered.toFixed(2)} ms  = ${(tScattered / tPositional).toFixed(2)}× positional`);
console.log(`alignment of two unrelated traces (gives up at the edit budget): ${tWorst.toFixed(2)} ms  = ${(tWorst / tPositional).toFixed(2)}× positional`);
if (sink < 0) console.log(sink);
