import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrowserExecutor, type WorkerLike } from "@/lib/executor/browser";
import type { Executor, ExecutorEvent } from "@/lib/executor/types";
import { createNodeTracer } from "@/lib/executor/node";
import { PYODIDE_INDEX, bundleWorker, threadWorker } from "./thread-worker";

let bundle: string;
beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(() => fs.rmSync(path.dirname(bundle), { recursive: true, force: true }));

function setup(opts: { stopGraceMs?: number; watchdogGraceMs?: number } = {}) {
  const workers: ReturnType<typeof threadWorker>[] = [];
  const events: ExecutorEvent[] = [];
  const ex: Executor = createBrowserExecutor({
    indexURL: PYODIDE_INDEX,
    ...opts,
    createWorker: () => {
      const w = threadWorker(bundle);
      workers.push(w);
      return w as WorkerLike;
    },
  });
  ex.subscribe((e) => events.push(e));
  return { ex, workers, events };
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
      const phases = events.flatMap((e) => (e.type === "phase" ? [e.state.phase] : []));
      expect(phases).toEqual(expect.arrayContaining(["idle", "loading", "ready", "running"]));
      expect(events.at(-1)).toEqual({ type: "phase", state: { phase: "ready", version: t.executor } });
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("stops a Python loop through the shared stop flag without terminating the worker", async () => {
    const { ex, workers } = setup({ stopGraceMs: 5000 });
    try {
      const first = ex.run({ code: LOOP, budgets: { maxSteps: 10_000_000, timeoutMs: 30_000 } });
      await waitFor(() => first.runId !== "", 10);
      await sleepUntilRunning(ex, first.runId);
      ex.stop();
      const t = await first.done;
      expect(t.status).toBe("time_limit");
      expect(t.notes?.[0]).toMatch(/^stopped by the user after \d+ ms$/);
      expect(t.frames.length).toBeGreaterThan(0);
      const next = await ex.run({ code: "def f():\n    return 1\n", call: "f()" }).done;
      expect(next.result).toBe("1");
      expect(workers).toHaveLength(1);
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
      expect(t.frames.map((f) => f.line)).toEqual([0, 1, 2, 3]);
      await workers[0].exited;
      const next = await ex.run({ code: "def f():\n    return 2\n", call: "f()" }).done;
      expect(next.result).toBe("2");
      expect(workers).toHaveLength(2);
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
      const next = await ex.run({ code: "def f():\n    return 3\n", call: "f()" }).done;
      expect(next.result).toBe("3");
      expect(workers).toHaveLength(2);
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
      expect(tb.result).toBe("'b'");
      const late = events.slice(asked).filter((e) => (e.type === "frames" || e.type === "stdout") && e.runId !== b.runId);
      expect(late).toEqual([]);
      expect(events.slice(asked).some((e) => e.type === "done" && e.runId === a.runId)).toBe(true);
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
