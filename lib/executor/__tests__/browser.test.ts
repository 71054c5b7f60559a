import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrowserExecutor, type WorkerLike } from "@/lib/executor/browser";
import type { Executor, ExecutorEvent } from "@/lib/executor/types";
import { createNodeTracer } from "@/lib/executor/node";
import { PYODIDE_INDEX, bundleWorker, threadWorker, type ThreadWorker } from "./thread-worker";

let bundle: string;
beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(() => fs.rmSync(path.dirname(bundle), { recursive: true, force: true }));

function setup(opts: { stopGraceMs?: number; watchdogGraceMs?: number; snapshotURL?: string | null; holdWorker?: number } = {}) {
  const { holdWorker, ...executorOpts } = opts;
  const workers: ThreadWorker[] = [];
  const events: ExecutorEvent[] = [];
  let release: () => void = () => {};
  const ex: Executor = createBrowserExecutor({
    indexURL: PYODIDE_INDEX,
    ...executorOpts,
    createWorker: () => {
      const w = threadWorker(bundle);
      // The worker with this index stays loading until the test releases it.
      if (workers.length === holdWorker) release = w.hold();
      workers.push(w);
      return w as WorkerLike;
    },
  });
  ex.subscribe((e) => events.push(e));
  return { ex, workers, events, release: () => release() };
}

function phasesOf(events: ExecutorEvent[]): string[] {
  return events.flatMap((e) => (e.type === "phase" ? [e.state.phase] : []));
}

function readyReported(w: ThreadWorker): boolean {
  return w.received.some((m) => (m as { type?: string }).type === "ready");
}

const LOOP = "i = 0\nwhile True:\n    i += 1\n";
// Loops inside C: the tracer never runs, only terminate() ends it.
const C_LOOP = "x = sum(range(10 ** 12))\n";

describe("browser executor (real worker bundle in a thread)", () => {
  it("runs code and returns the same trace as the Node tracer, streaming frames", async () => {
    const { ex, events } = setup();
    try {
      const input = { code: "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    print(s)\n    return s\n", call: "f(3)" };
      const { runId, done } = ex.run(input);
      const t = await done;
      const node = await createNodeTracer();
      const want = await node.trace(input);
      await node.close();
      expect(t).toEqual(want);
      const streamed = events.flatMap((e) => (e.type === "frames" && e.runId === runId ? e.frames : []));
      expect(streamed).toEqual(t.frames);
      expect(events.some((e) => e.type === "stdout" && e.text === "3\n")).toBe(true);
      expect(phasesOf(events)).toEqual(expect.arrayContaining(["idle", "loading", "ready", "running"]));
      // The next run's interpreter loads in the background; once it is up the phase says ready.
      await waitFor(() => events.at(-1)?.type === "phase" && phasesOf(events).at(-1) === "ready", 20);
      expect(events.at(-1)).toEqual({ type: "phase", state: { phase: "ready", version: t.executor } });
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("stops a Python loop through the shared stop flag: the tracer ends the run itself", async () => {
    const { ex, workers } = setup({ stopGraceMs: 5000 });
    try {
      const first = ex.run({ code: LOOP, budgets: { maxSteps: 10_000_000, timeoutMs: 30_000 } });
      await waitFor(() => first.runId !== "", 10);
      await sleepUntilRunning(ex, first.runId);
      ex.stop();
      const t = await first.done;
      expect(t.status).toBe("time_limit");
      expect(t.notes?.[0]).toMatch(/^stopped by the user after \d+ ms$/);
      expect(t.stop_reason).toBe("user");
      expect(t.frames.length).toBeGreaterThan(0);
      // The interpreter the loop ran in is not reused.
      await withTimeout(workers[0].exited, 10_000);
      const next = await ex.run({ code: "def f():\n    return 1\n", call: "f()" }).done;
      expect(next.result).toBe("1");
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("terminates a worker stuck in C code on Stop, keeps the frames, and the next run works", async () => {
    const { ex, workers } = setup({ stopGraceMs: 300 });
    try {
      const first = ex.run({ code: `a = 1\nb = 2\n${C_LOOP}`, budgets: { timeoutMs: 60_000 } });
      await sleepUntilRunning(ex, first.runId);
      await new Promise((r) => setTimeout(r, 300));
      ex.stop();
      const t = await first.done;
      expect(t.status).toBe("time_limit");
      expect(t.notes?.[0]).toBe("stopped by the user; the worker did not answer within 300 ms and was terminated");
      expect(t.stop_reason).toBe("user");
      expect(t.frames.map((f) => f.line)).toEqual([0, 1, 2, 3]);
      await workers[0].exited;
      const next = await ex.run({ code: "def f():\n    return 2\n", call: "f()" }).done;
      expect(next.result).toBe("2");
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("terminates a run past timeoutMs + grace (watchdog)", async () => {
    const { ex } = setup({ watchdogGraceMs: 300 });
    try {
      const t = await ex.run({ code: C_LOOP, budgets: { timeoutMs: 200 } }).done;
      expect(t.status).toBe("time_limit");
      expect(t.notes?.[0]).toMatch(/^the run passed its 200 ms budget and the worker did not answer for 300 ms more/);
      expect(t.stop_reason).toBe("watchdog");
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("reports a worker that dies as an error and recovers with a fresh worker", async () => {
    const { ex, workers } = setup();
    try {
      const t = await ex.run({ code: "import js\njs.process.exit(3)\n" }).done;
      expect(t.status).toBe("error");
      expect(t.error).toMatch(/^The Python worker crashed \(out of memory\?\): worker exited with code 3/);
      expect(t.stop_reason).toBe("crash");
      const next = await ex.run({ code: "def f():\n    return 3\n", call: "f()" }).done;
      expect(next.result).toBe("3");
      expect(workers.length).toBeGreaterThanOrEqual(2);
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("queues a run requested while loading and drops the events of a superseded run", async () => {
    const { ex, events } = setup({ stopGraceMs: 5000 });
    try {
      const a = ex.run({ code: LOOP, budgets: { maxSteps: 10_000_000, timeoutMs: 30_000 } });
      await sleepUntilRunning(ex, a.runId);
      const asked = events.length;
      const b = ex.run({ code: "def f():\n    return 'b'\n", call: "f()" });
      const [ta, tb] = await Promise.all([a.done, b.done]);
      expect(ta.status).toBe("time_limit");
      expect(ta.notes?.[0]).toMatch(/^stopped because a new run was started, after \d+ ms$/);
      expect(ta.stop_reason).toBe("user");
      expect(tb.result).toBe("'b'");
      const late = events.slice(asked).filter((e) => (e.type === "frames" || e.type === "stdout") && e.runId !== b.runId);
      expect(late).toEqual([]);
      expect(events.slice(asked).some((e) => e.type === "done" && e.runId === a.runId)).toBe(true);
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("runs every program in a fresh interpreter: what one run patches does not reach the next", async () => {
    const { ex, workers } = setup();
    try {
      const tamper = [
        "import builtins, sys, js",
        "from pyodide.ffi import create_proxy",
        "builtins.repr = lambda o: '999'",
        "builtins.LEAK = 'leaked'",
        "sys.modules['json'] = None",
        "sys.setrecursionlimit(50)",
        "js.setInterval(create_proxy(lambda: setattr(builtins, 'TICKED', True)), 5)",
        "",
      ].join("\n");
      await ex.run({ code: tamper }).done;
      // The worker that ran it is gone, and with it the interval it registered.
      await expect(withTimeout(workers[0].exited, 10_000)).resolves.toBeTypeOf("number");
      const code = "import builtins, sys\ndef f(n):\n    x = n + 0\n    return (x, hasattr(builtins, 'LEAK'), hasattr(builtins, 'TICKED'), sys.modules.get('json') is not None)\n";
      const t = await ex.run({ code, call: "f(5)" }).done;
      expect(t.status).toBe("returned");
      expect(t.result).toBe("(5, False, False, True)");
      const node = await createNodeTracer();
      const want = await node.trace({ code, call: "f(5)" });
      await node.close();
      expect(t.frames).toEqual(want.frames);
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("after Stop on a loop inside C, says restarting while the next interpreter loads, then ready", async () => {
    const { ex, workers, events, release } = setup({ stopGraceMs: 300, holdWorker: 1 });
    try {
      const first = ex.run({ code: C_LOOP, budgets: { timeoutMs: 60_000 } });
      await sleepUntilRunning(ex, first.runId);
      ex.stop();
      await first.done;
      const after = events.length;
      expect(events.at(-1)).toEqual({ type: "phase", state: { phase: "restarting", progress: 0, message: "Starting the Python worker" } });
      release();
      await waitFor(() => phasesOf(events.slice(after)).includes("ready"), 20);
      expect(phasesOf(events.slice(after)).every((p) => p === "restarting" || p === "ready")).toBe(true);
      expect(events.slice(after).some((e) => e.type === "phase" && e.state.phase === "restarting" && e.state.progress > 0)).toBe(true);
      const next = await ex.run({ code: "def f():\n    return 5\n", call: "f()" }).done;
      expect(next.result).toBe("5");
      expect(workers.length).toBeGreaterThanOrEqual(2);
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("after Stop on a loop inside C with a spare ready, the next run starts at once", async () => {
    const { ex, workers, events } = setup({ stopGraceMs: 300 });
    try {
      const first = ex.run({ code: C_LOOP, budgets: { timeoutMs: 60_000 } });
      await sleepUntilRunning(ex, first.runId);
      await waitFor(() => workers.length === 2 && readyReported(workers[1]), 20, 60_000);
      ex.stop();
      await first.done;
      expect(events.at(-1)).toMatchObject({ type: "phase", state: { phase: "ready" } });
      const next = ex.run({ code: "def f():\n    return 6\n", call: "f()" });
      expect(events.at(-1)).toEqual({ type: "phase", state: { phase: "running", runId: next.runId } });
      expect((await next.done).result).toBe("6");
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("a worker that cannot load Python fails the waiting run and says so; only the next run tries again", async () => {
    const workers: ThreadWorker[] = [];
    const events: ExecutorEvent[] = [];
    const ex = createBrowserExecutor({
      indexURL: `${PYODIDE_INDEX}missing/`,
      createWorker: () => {
        const w = threadWorker(bundle);
        workers.push(w);
        return w as WorkerLike;
      },
    });
    ex.subscribe((e) => events.push(e));
    try {
      const t = await ex.run({ code: "x = 1\n" }).done;
      expect(t.status).toBe("error");
      expect(t.error).toMatch(/^Python could not be loaded: /);
      expect(events.at(-1)).toMatchObject({ type: "phase", state: { phase: "failed" } });
      await new Promise((r) => setTimeout(r, 500));
      expect(workers).toHaveLength(1);
      expect((await ex.run({ code: "x = 1\n" }).done).status).toBe("error");
      expect(workers).toHaveLength(2);
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("boots Python when the snapshot cannot be fetched, and says so", async () => {
    const { ex, events } = setup({ snapshotURL: "http://127.0.0.1:9/no-snapshot.bin" });
    try {
      const t = await ex.run({ code: "def f():\n    return 7\n", call: "f()" }).done;
      expect(t.result).toBe("7");
      const messages = events.flatMap((e) => (e.type === "phase" && e.state.phase === "loading" ? [e.state.message] : []));
      expect(messages).toContain("Restoring Python");
      expect(messages.some((m) => m.startsWith("Starting Python (the snapshot could not be used:"))).toBe(true);
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("ignores messages that do not match the protocol", async () => {
    const { ex, workers } = setup();
    try {
      ex.load();
      await waitFor(() => workers.length === 1, 10);
      workers[0].onmessage?.({ data: { type: "done", runId: "nope", result: "{}" } });
      workers[0].onmessage?.({ data: "garbage" });
      const t = await ex.run({ code: "def f():\n    return 4\n", call: "f()" }).done;
      expect(t.result).toBe("4");
    } finally {
      ex.dispose();
    }
  }, 60_000);
});

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);
}

describe("browser executor against a program that attacks its worker", () => {
  it("ends a run whose program floods the page with frames as a crash, tampered, within the step budget", async () => {
    const { ex } = setup();
    try {
      // The program turns tracing off (so no step budget stops it), digs the tracer's emit
      // callback out of its closure and calls it in a loop.
      const code = [
        "import gc, sys",
        "sys.settrace(None)",
        "emit = None",
        "for o in gc.get_objects():",
        "    if type(o).__name__ == 'function' and o.__name__ == 'flush' and o.__closure__:",
        "        for name, cell in zip(o.__code__.co_freevars, o.__closure__):",
        "            if name == 'emit':",
        "                emit = cell.cell_contents",
        "batch = '[' + ', '.join(['{\"event\": \"line\", \"line\": 1, \"source\": \"x\", \"locals\": {}}'] * 1000) + ']'",
        "for i in range(50):",
        "    emit(batch, '')",
      ].join("\n");
      const t = await ex.run({ code, budgets: { maxSteps: 100, timeoutMs: 20_000 } }).done;
      expect(t.status).toBe("error");
      expect(t.stop_reason).toBe("crash");
      expect(t.integrity).toBe("tampered");
      expect(t.integrity_notes?.some((n) => /flooded/.test(n))).toBe(true);
      expect(t.frames.length).toBeLessThanOrEqual(100 + 16);
      const next = await ex.run({ code: "def f():\n    return 5\n", call: "f()" }).done;
      expect(next.result).toBe("5");
      expect(next.integrity).toBe("ok");
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("marks a run that replaces js.postMessage as tampered and still receives every frame", async () => {
    const { ex } = setup();
    try {
      const code = "import js\nfrom pyodide.ffi import create_proxy\njs.postMessage = create_proxy(lambda *a: None)\nx = 1\ny = 2\n";
      const t = await ex.run({ code }).done;
      expect(t.status).toBe("returned");
      expect(t.frames.map((f) => f.line)).toEqual([0, 1, 2, 3, 4, 5, 5]);
      expect(t.integrity).toBe("tampered");
      expect(t.integrity_notes).toContain("the program replaced the worker's postMessage");
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("takes the interpreter's label from the worker's load, not from a message the program sends", async () => {
    const { ex } = setup();
    try {
      const forged = "import js\njs.postMessage(js.JSON.parse('{\"type\": \"ready\", \"version\": \"CPython 9.9.9\"}'))\n";
      const t = await ex.run({ code: forged }).done;
      expect(t.executor).toMatch(/^Pyodide /);
      expect(t.status).toBe("returned");
    } finally {
      ex.dispose();
    }
  }, 90_000);
});

async function waitFor(cond: () => boolean, stepMs: number, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Resolves once the executor reports the run as running and a first frame batch arrived. */
function sleepUntilRunning(ex: Executor, runId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = ex.subscribe((e) => {
      if (e.type === "frames" && e.runId === runId) {
        off();
        resolve();
      }
    });
  });
}
