/**
 * Tracer overhead on all 800 CRUXEval programs, Pyodide in Node. Two measurements, each traced
 * side against a bare side doing the same programs in the same run:
 *
 * (a) in process, per round (Pyodide already loaded):
 *     traced: createNodeTracer().trace() on each program in turn, as `cwm trace --jsonl` calls
 *             it (Pyodide in a worker thread; the final trace parsed and validated on the host);
 *     bare:   compile + exec + main() of the same program under a sys.settrace callback that only
 *             counts events, in Pyodide on the main thread; the program text built the same way.
 *     Each side in its own child process (so each peak RSS is its own), children alternating
 *     (bare, traced, bare, traced…) so load from other processes hits both alike; the best round
 *     of each side is compared.
 * (b) end to end, one process each, Pyodide load included:
 *     traced: `npx tsx cli/main.ts trace --jsonl cruxeval.jsonl --out <tmp>`;
 *     bare:   `npx tsx bench/trace-cruxeval.ts --child bare-e2e`: reads the same file, loads
 *             Pyodide, counts the events of every program, prints the counts.
 *
 *   npx tsx bench/trace-cruxeval.ts [--rounds N] [--pairs N]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SHARED_DATA } from "@/test/shared-data";

const here = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(here), "..");
const dataDir = SHARED_DATA;
const cruxPath = path.join(dataDir, "cruxeval/cruxeval.jsonl");
const tsx = path.join(repo, "node_modules/.bin/tsx");
/** Runs queued on the tracer at once, as cli/trace.ts does. */
const WINDOW = 8;

interface Item {
  id: string;
  code: string;
  input: string;
}
interface ChildReport {
  mode: string;
  ms: number[];
  events: number;
  peakRssMb: number;
}

function loadItems(): Item[] {
  return fs
    .readFileSync(cruxPath, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Item);
}

const BARE = `
import sys, builtins
_count = 0
def _local(frame, event, arg):
    global _count
    _count += 1
    return _local
def _glob(frame, event, arg):
    global _count
    if frame.f_code.co_filename != "<cwm>":
        return None
    _count += 1
    return _local
def bare_run(program):
    global _count
    _count = 0
    ns = {"__name__": "__main__", "__builtins__": builtins}
    exec(compile(program, "<cwm>", "exec"), ns)
    sys.settrace(_glob)
    try:
        ns["main"]()
    except BaseException:
        pass
    finally:
        sys.settrace(None)
    return _count
`;

async function bareRunner(): Promise<(program: string) => number> {
  const { loadPyodide } = await import("pyodide");
  const py = await loadPyodide({ stdout: () => {}, stderr: () => {} });
  py.runPython(BARE);
  return py.globals.get("bare_run") as (p: string) => number;
}

async function child(mode: string, rounds: number): Promise<void> {
  const items = loadItems();
  const { buildProgram } = await import("@/lib/cwm/program");
  const ms: number[] = [];
  let events = 0;
  if (mode === "bare-e2e") {
    const bareRun = await bareRunner();
    const counts = items.map((it) => `${it.id}\t${bareRun(buildProgram(it.code, `f(${it.input})`).program)}`);
    process.stdout.write(`${counts.join("\n")}\n`);
    return;
  }
  if (mode === "traced" || mode === "traced-seq") {
    const { createNodeTracer } = await import("@/lib/executor/node");
    const tracer = await createNodeTracer();
    // "traced" keeps WINDOW runs queued on the tracer, as `cwm trace --jsonl` does;
    // "traced-seq" waits for each trace before asking for the next.
    const window = mode === "traced" ? WINDOW : 1;
    for (let r = 0; r < rounds; r++) {
      events = 0;
      const t0 = performance.now();
      const inFlight: Promise<{ frames: unknown[] }>[] = [];
      for (const it of items) {
        inFlight.push(tracer.trace({ code: it.code, call: `f(${it.input})` }));
        if (inFlight.length >= window) events += (await inFlight.shift()!).frames.length;
      }
      for (const p of inFlight) events += (await p).frames.length;
      ms.push(performance.now() - t0);
    }
    await tracer.close();
  } else {
    const bareRun = await bareRunner();
    for (let r = 0; r < rounds; r++) {
      events = 0;
      const t0 = performance.now();
      for (const it of items) events += bareRun(buildProgram(it.code, `f(${it.input})`).program);
      ms.push(performance.now() - t0);
    }
  }
  const report: ChildReport = { mode, ms, events, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChild(mode: string, rounds: number): ChildReport {
  const r = spawnSync(process.execPath, [...process.execArgv, here, "--child", mode, "--rounds", String(rounds)], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${mode} child failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  const last = r.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as ChildReport;
}

/** Wall time of one whole process (npx tsx startup, Pyodide load, the 800 programs). */
function timeProcess(args: string[], check: (stdout: string) => void): number {
  const t0 = performance.now();
  const r = spawnSync(tsx, args, { cwd: repo, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  check(r.stdout);
  return ms;
}

function endToEnd(pairs: number): { traced: number[]; bare: number[] } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cwm-bench-trace-")), "crux.jsonl");
  const traced: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < pairs; i++) {
      bare.push(timeProcess([here, "--child", "bare-e2e"], (s) => expectLines(s, 800, "bare-e2e")));
      traced.push(timeProcess(["cli/main.ts", "trace", "--jsonl", cruxPath, "--out", out], () => expectLines(fs.readFileSync(out, "utf8"), 800, "trace CLI")));
    }
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
  return { traced, bare };
}

function expectLines(text: string, n: number, what: string): void {
  const got = text.trim().split("\n").length;
  if (got !== n) throw new Error(`${what} wrote ${got} lines, expected ${n}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string, dflt: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) || dflt : dflt;
  };
  const rounds = flag("--rounds", 3);
  const ci = argv.indexOf("--child");
  if (ci >= 0) return child(argv[ci + 1], rounds);
  const pairs = flag("--pairs", 2);
  const runs: ChildReport[] = [];
  for (let i = 0; i < pairs; i++) runs.push(runChild("bare", rounds), runChild("traced", rounds), runChild("traced-seq", rounds));
  const merge = (mode: string): ChildReport => {
    const rs = runs.filter((r) => r.mode === mode);
    return { mode, ms: rs.flatMap((r) => r.ms), events: rs[0].events, peakRssMb: Math.max(...rs.map((r) => r.peakRssMb)) };
  };
  const bare = merge("bare");
  const traced = merge("traced");
  const seq = merge("traced-seq");
  for (const t of [traced, seq]) if (bare.events !== t.events) throw new Error(`event counts differ: bare ${bare.events}, ${t.mode} ${t.events} frames`);
  const best = (ms: number[]) => Math.min(...ms);
  const fmt = (x: ChildReport) =>
    `  ${x.mode.padEnd(10)} best ${best(x.ms).toFixed(0).padStart(6)} ms of ${x.ms.map((m) => m.toFixed(0)).join(", ")}  peak RSS ${x.peakRssMb.toFixed(0)} MB`;
  console.log(`CRUXEval: 800 programs, ${traced.events} frames (= settrace events), Pyodide 314 in Node ${process.version}, ${os.cpus().length} cores`);
  console.log(`(a) in process, per round, ${pairs} child processes x ${rounds} rounds per side (best round compared):`);
  console.log(fmt(bare));
  console.log(fmt(traced));
  console.log(fmt(seq));
  console.log(`  traced:     ${WINDOW} runs queued on the tracer, as the batch CLI does (the host parses one result while the thread runs the next)`);
  console.log(`  traced-seq: one run at a time (each trace awaited before the next is asked for)`);
  console.log(`  ratio traced/bare: ${(best(traced.ms) / best(bare.ms)).toFixed(2)}x (goal <= 1.5x); traced-seq/bare: ${(best(seq.ms) / best(bare.ms)).toFixed(2)}x`);
  console.log(`  per program: ${((best(traced.ms) * 1000) / 800).toFixed(0)} us traced, ${((best(seq.ms) * 1000) / 800).toFixed(0)} us traced-seq, ${((best(bare.ms) * 1000) / 800).toFixed(0)} us bare`);
  const e2e = endToEnd(pairs);
  console.log(`(b) end to end, whole process incl. npx tsx start and Pyodide load, ${pairs} runs per side alternating (best compared):`);
  console.log(`  bare       best ${best(e2e.bare).toFixed(0).padStart(6)} ms of ${e2e.bare.map((m) => m.toFixed(0)).join(", ")}  (tsx ${path.relative(repo, here)} --child bare-e2e)`);
  console.log(`  traced     best ${best(e2e.traced).toFixed(0).padStart(6)} ms of ${e2e.traced.map((m) => m.toFixed(0)).join(", ")}  (tsx cli/main.ts trace --jsonl … --out …)`);
  console.log(`  ratio traced/bare: ${(best(e2e.traced) / best(e2e.bare)).toFixed(2)}x`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
