/** Edits through the browser executor (browser.ts → the real worker bundle → tracer.py). */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrowserExecutor, type WorkerLike } from "@/lib/executor/browser";
import { createNodeTracer } from "@/lib/executor/node";
import type { Executor, ExecutorEvent } from "@/lib/executor/types";
import { CanonicalTrace } from "@/lib/trace/schema";
import { PYODIDE_INDEX, bundleWorker, threadWorker } from "./thread-worker";

let bundle: string;
beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(() => fs.rmSync(path.dirname(bundle), { recursive: true, force: true }));

function setup(opts: { watchdogGraceMs?: number } = {}): { ex: Executor; events: ExecutorEvent[] } {
  const events: ExecutorEvent[] = [];
  const ex = createBrowserExecutor({ indexURL: PYODIDE_INDEX, ...opts, createWorker: () => threadWorker(bundle) as WorkerLike });
  ex.subscribe((e) => events.push(e));
  return { ex, events };
}

const SUM = "def f(xs):\n    s = 0\n    for n in xs:\n        s += n\n    return s\n";

describe("browser executor: run({ ..., edit })", () => {
  it("applies the edit in the worker, streams the edited frames and matches the Node tracer", async () => {
    const { ex, events } = setup();
    try {
      const input = { code: SUM, call: "f([1, 2, 3])", edit: { at: 7, name: "s", value: "100" } };
      const { runId, done } = ex.run(input);
      const t = await done;
      expect(t.result).toBe("105");
      expect(t.edit).toEqual({ at: 7, name: "s", value: "100", applied: true, repr: "100" });
      expect(t.frames[7].locals?.s).toBe("100");
      expect(CanonicalTrace.safeParse(t).success).toBe(true);
      const streamed = events.flatMap((e) => (e.type === "frames" && e.runId === runId ? e.frames : []));
      expect(streamed).toEqual(t.frames);
      const node = await createNodeTracer();
      const want = await node.trace(input);
      await node.close();
      expect(t).toEqual(want);
      // The next run on this executor (a fresh worker) is unedited.
      const plain = await ex.run({ code: SUM, call: "f([1, 2, 3])" }).done;
      expect(plain.result).toBe("6");
      expect(plain.edit).toBeUndefined();
    } finally {
      ex.dispose();
    }
  }, 90_000);

  it("ends a malformed edit as an error trace without starting the run", async () => {
    const { ex } = setup();
    try {
      const t = await ex.run({ code: SUM, call: "f([1])", edit: { at: -2, name: "s", value: "1" } }).done;
      expect(t.status).toBe("error");
      expect(t.error).toMatch(/^Bad edit/);
      expect(t.frames).toEqual([]);
    } finally {
      ex.dispose();
    }
  }, 60_000);

  it("says the edit's fate is unknown when the watchdog had to end the run", async () => {
    const { ex } = setup({ watchdogGraceMs: 300 });
    try {
      const code = "x = 1\ny = sum(range(10 ** 12))\n";
      const t = await ex.run({ code, budgets: { timeoutMs: 200 }, edit: { at: 1, name: "x", value: "2" } }).done;
      expect(t.stop_reason).toBe("watchdog");
      expect(t.edit?.applied).toBe(false);
      expect(t.edit?.error).toMatch(/^the run was ended from outside before the tracer reported on the edit \(frame 1 was (recorded|not reached)\)$/);
    } finally {
      ex.dispose();
    }
  }, 60_000);
});
