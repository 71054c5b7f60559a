/**
 * The executor in Node, for the CLI, tests and benchmarks: the same tracer.py, run by Pyodide
 * from node_modules (default) or by a local CPython (`python`). Never used by the Next server:
 * it runs the caller's own code on the caller's machine (see spec/architecture.md).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { buildProgram } from "@/lib/cwm/program";
import { CanonicalTrace, type Frame } from "@/lib/trace/schema";
import type { Budgets, RunInput } from "@/lib/executor/types";
import { DriverLine, TracerResult, resolveBudgets } from "@/lib/executor/protocol";

export interface NodeTracer {
  trace(input: RunInput): Promise<CanonicalTrace>;
  /** e.g. "Pyodide 314.0.7 (Python 3.14.2)" or "CPython 3.11.7". */
  version: string;
  close(): Promise<void>;
}

export interface NodeTracerOptions {
  /** Path of a Python interpreter: run tracer.py there instead of Pyodide. */
  python?: string;
  /** CPython only: a run silent for timeoutMs + this long is killed (a loop inside C code). */
  killGraceMs?: number;
}

export const TRACER_PATH = fileURLToPath(new URL("./tracer.py", import.meta.url));

export async function createNodeTracer(opts: NodeTracerOptions = {}): Promise<NodeTracer> {
  return opts.python ? createPythonTracer(opts.python, opts.killGraceMs ?? 2000) : createPyodideTracer();
}

/** The program the tracer runs, from the user's code and call (lib/cwm/program.ts decides). */
export function runRequest(input: RunInput): { program: string; lineOffset: 0 | 1; budgets: Budgets } {
  const p = buildProgram(input.code, input.call);
  return { program: p.program, lineOffset: p.lineOffset, budgets: resolveBudgets(input.budgets) };
}

/** `result` is already validated (TracerResult) and `frames` came validated in batches. */
function finish(result: TracerResult, frames: Frame[] | null, executor: string): CanonicalTrace {
  const { frameCount: _count, ...rest } = result;
  return { ...rest, frames: frames ?? rest.frames, executor };
}

interface PyodideRun {
  (program: string, lineOffset: number, budgets: string): string;
}

async function createPyodideTracer(): Promise<NodeTracer> {
  const { loadPyodide } = await import("pyodide");
  // The tracer captures the program's output itself; nothing Pyodide prints belongs on our stdout.
  const py = await loadPyodide({ stdout: () => {}, stderr: () => {} });
  py.FS.writeFile("/home/pyodide/cwm_tracer.py", fs.readFileSync(TRACER_PATH, "utf8"));
  const mod = py.pyimport("cwm_tracer");
  const run = mod.run as unknown as PyodideRun & { destroy(): void };
  const pyVersion = String(mod.version());
  const version = `Pyodide ${py.version} (${pyVersion.replace(/^CPython/, "Python")})`;
  let closed = false;
  return {
    version,
    async trace(input) {
      if (closed) throw new Error("tracer closed");
      const req = runRequest(input);
      const text = run(req.program, req.lineOffset, JSON.stringify(req.budgets));
      return finish(TracerResult.parse(JSON.parse(text)), null, version);
    },
    async close() {
      if (closed) return;
      closed = true;
      run.destroy();
      mod.destroy();
    },
  };
}

interface Pending {
  id: string;
  frames: Frame[];
  stdout: string;
  resolve: (t: CanonicalTrace) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  child: ChildProcessWithoutNullStreams;
}

/** One CPython process reused for a batch; replaced after it is killed or dies. */
async function createPythonTracer(python: string, killGraceMs: number): Promise<NodeTracer> {
  let proc: ChildProcessWithoutNullStreams | null = null;
  let version = "";
  let pending: Pending | null = null;
  let stderrTail = "";
  let seq = 0;
  let chain: Promise<unknown> = Promise.resolve();

  function start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(python, ["-u", TRACER_PATH, "--serve"], { stdio: ["pipe", "pipe", "pipe"] });
      proc = child;
      let hello = false;
      child.stderr.on("data", (d: Buffer) => {
        stderrTail = (stderrTail + d.toString("utf8")).slice(-2000);
      });
      child.on("error", (err) => {
        if (!hello) reject(new Error(`cannot start ${python}: ${err.message}`));
      });
      child.on("exit", (code, signal) => {
        if (proc === child) proc = null;
        if (!hello) reject(new Error(`${python} exited (${code ?? signal}) before starting the tracer: ${stderrTail.trim()}`));
        const p = pending;
        if (p && p.child === child) {
          pending = null;
          clearTimeout(p.timer);
          p.resolve(synthesise(p, "error", `The Python process exited (${code ?? signal}) during the run: ${stderrTail.trim().slice(-500)}`));
        }
      });
      const rl = readline.createInterface({ input: child.stdout });
      rl.on("line", (line) => {
        let msg: DriverLine;
        try {
          msg = DriverLine.parse(JSON.parse(line));
        } catch (err) {
          stderrTail += `\nbad driver line: ${line.slice(0, 200)}`;
          return;
        }
        if (msg.type === "hello") {
          hello = true;
          version = msg.version;
          resolve();
          return;
        }
        const p = pending;
        if (!p || p.id !== msg.id) return;
        if (msg.type === "frames") {
          for (const f of msg.frames) p.frames.push(f);
          p.stdout += msg.stdout;
        } else {
          pending = null;
          clearTimeout(p.timer);
          try {
            p.resolve(finish(msg.trace, p.frames, version));
          } catch (err) {
            p.reject(err instanceof Error ? err : new Error(String(err)));
          }
        }
      });
    });
  }

  function synthesise(p: Pending, status: "error" | "time_limit", message: string): CanonicalTrace {
    return CanonicalTrace.parse({
      status,
      frames: p.frames,
      result: null,
      error: status === "error" ? message : null,
      stdout: p.stdout,
      notes: [message, "frames after the last batch received may be missing"],
      executor: version,
    });
  }

  await start();

  async function traceOne(input: RunInput): Promise<CanonicalTrace> {
    if (!proc) await start();
    const child = proc!;
    const req = runRequest(input);
    const id = `r${++seq}`;
    return new Promise<CanonicalTrace>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = pending;
        if (!p || p.id !== id) return;
        pending = null;
        if (proc === child) proc = null;
        child.kill("SIGKILL");
        resolve(synthesise(p, "time_limit", `killed after ${req.budgets.timeoutMs + killGraceMs} ms without an answer (a loop inside C code?)`));
      }, req.budgets.timeoutMs + killGraceMs);
      pending = { id, frames: [], stdout: "", resolve, reject, timer, child };
      child.stdin.write(`${JSON.stringify({ id, ...req })}\n`);
    });
  }

  return {
    get version() {
      return version;
    },
    trace(input) {
      const next = chain.then(() => traceOne(input));
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      await chain;
      const child = proc;
      proc = null;
      if (!child) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill("SIGKILL"), 2000).unref();
      });
    },
  };
}
