/**
 * Tracer overhead on all 800 CRUXEval programs, Pyodide in Node:
 *   traced: the batch path (createNodeTracer().trace, as `cwm trace --jsonl` runs it);
 *   bare:   the same compile + exec + main() under a sys.settrace callback that only counts events.
 * Each runs in its own child process, so each peak RSS is its own. Also measures, in the traced
 * child, the final trace handed to JS as JSON text + JSON.parse versus a converted PyProxy (toJs).
 *
 *   npx tsx bench/trace-cruxeval.ts [--rounds N] [--pairs N]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(here), "..");
const dataDir = process.env.CWM_SHARED_DATA ?? path.resolve(repo, "../shared/data");
const cruxPath = path.join(dataDir, "cruxeval/cruxeval.jsonl");

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
  extra?: Record<string, number>;
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

async function child(mode: string, rounds: number): Promise<void> {
  const items = loadItems();
  const { buildProgram } = await import("@/lib/cwm/program");
  const ms: number[] = [];
  let events = 0;
  const extra: Record<string, number> = {};
  if (mode === "traced") {
    const { createNodeTracer } = await import("@/lib/executor/node");
    const tracer = await createNodeTracer();
    for (let r = 0; r < rounds; r++) {
      events = 0;
      const t0 = performance.now();
      for (const it of items) events += (await tracer.trace({ code: it.code, call: `f(${it.input})` })).frames.length;
      ms.push(performance.now() - t0);
    }
    await tracer.close();
    Object.assign(extra, await transferCost(items));
  } else {
    const { loadPyodide } = await import("pyodide");
    const py = await loadPyodide({ stdout: () => {}, stderr: () => {} });
    py.runPython(BARE);
    const bareRun = py.globals.get("bare_run") as (p: string) => number;
    for (let r = 0; r < rounds; r++) {
      events = 0;
      const t0 = performance.now();
      for (const it of items) events += bareRun(buildProgram(it.code, `f(${it.input})`).program);
      ms.push(performance.now() - t0);
    }
  }
  const report: ChildReport = { mode, ms, events, peakRssMb: process.resourceUsage().maxRSS / 1024, extra };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** JSON text + JSON.parse versus PyProxy.toJs() for the same 800 final traces. */
async function transferCost(items: Item[]): Promise<Record<string, number>> {
  const { loadPyodide } = await import("pyodide");
  const { TRACER_PATH, runRequest } = await import("@/lib/executor/node");
  const py = await loadPyodide({ stdout: () => {}, stderr: () => {} });
  py.FS.writeFile("/home/pyodide/cwm_tracer.py", fs.readFileSync(TRACER_PATH, "utf8"));
  py.runPython("import cwm_tracer, json\ndef as_dict(p, o, b):\n    return json.loads(cwm_tracer.run(p, o, b))");
  const asText = py.runPython("cwm_tracer.run") as (p: string, o: number, b: string) => string;
  const asDict = py.globals.get("as_dict") as (p: string, o: number, b: string) => { toJs(o: object): unknown; destroy(): void };
  const reqs = items.map((it) => runRequest({ code: it.code, call: `f(${it.input})` }));
  let t0 = performance.now();
  for (const r of reqs) JSON.parse(asText(r.program, r.lineOffset, JSON.stringify(r.budgets)));
  const jsonMs = performance.now() - t0;
  t0 = performance.now();
  for (const r of reqs) {
    const d = asDict(r.program, r.lineOffset, JSON.stringify(r.budgets));
    d.toJs({ dict_converter: Object.fromEntries });
    d.destroy();
  }
  const toJsMs = performance.now() - t0;
  return { jsonTextMs: jsonMs, toJsMs };
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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const rounds = Number(argv[argv.indexOf("--rounds") + 1] || 3) || 3;
  const ci = argv.indexOf("--child");
  if (ci >= 0) return child(argv[ci + 1], rounds);
  // Children alternate (bare, traced, bare, traced…) so load from other processes on the
  // machine hits both sides alike; the best round of each side is compared.
  const pairs = Number(argv[argv.indexOf("--pairs") + 1] || 2) || 2;
  const runs: ChildReport[] = [];
  for (let i = 0; i < pairs; i++) runs.push(runChild("bare", rounds), runChild("traced", rounds));
  const merge = (mode: string): ChildReport => {
    const rs = runs.filter((r) => r.mode === mode);
    return { mode, ms: rs.flatMap((r) => r.ms), events: rs[0].events, peakRssMb: Math.max(...rs.map((r) => r.peakRssMb)), extra: rs.at(-1)?.extra };
  };
  const bare = merge("bare");
  const traced = merge("traced");
  const best = (x: ChildReport) => Math.min(...x.ms);
  const fmt = (x: ChildReport) =>
    `${x.mode.padEnd(7)} best ${best(x).toFixed(0).padStart(6)} ms of ${x.ms.map((m) => m.toFixed(0)).join(", ")}  events ${x.events}  peak RSS ${x.peakRssMb.toFixed(0)} MB`;
  console.log(`CRUXEval: 800 programs, Pyodide in Node, ${pairs} child processes x ${rounds} rounds per side (best round compared)`);
  console.log(fmt(bare));
  console.log(fmt(traced));
  console.log(`ratio traced/bare: ${(best(traced) / best(bare)).toFixed(2)}x (goal <= 1.5x)`);
  console.log(`per frame: ${((best(traced) * 1000) / traced.events).toFixed(1)} us traced, ${((best(bare) * 1000) / bare.events).toFixed(1)} us per event bare`);
  const x = traced.extra ?? {};
  if (x.jsonTextMs !== undefined) {
    console.log(`final trace to JS: JSON text + JSON.parse ${x.jsonTextMs.toFixed(0)} ms, PyProxy.toJs ${x.toJsMs.toFixed(0)} ms (ratio ${(x.toJsMs / x.jsonTextMs).toFixed(2)}x)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
