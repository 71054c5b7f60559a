/** The Node executor's worker thread: watchdog, frames kept from the recorder, fresh thread after a kill. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import { CanonicalTrace } from "@/lib/trace/schema";
import { frames } from "./helpers";

// Hangs inside a C builtin: tracer.py never gets control back, only terminate() ends it.
const HANG = "def f(n):\n    a = n + 1\n    print('before', a)\n    return sum(range(10 ** 14))\n";

let tracer: NodeTracer;
beforeAll(async () => {
  tracer = await createNodeTracer({ killGraceMs: 300 });
});
afterAll(async () => {
  await tracer?.close();
});

describe("Node tracer in a worker thread", () => {
  it("kills a program stuck in C, keeps its frames and stdout, and traces the next programs in a fresh thread", async () => {
    const first = { code: "def f(x):\n    y = x * 2\n    return y\n", call: "f(4)" };
    const third = { code: "def f(s):\n    return s[::-1]\n", call: "f('abc')" };
    // Queued at once, as the batch CLI does: the third waits behind the stuck one.
    const [a, b, c] = await Promise.all([
      tracer.trace(first),
      tracer.trace({ code: HANG, call: "f(1)", budgets: { timeoutMs: 300 } }),
      tracer.trace(third),
    ]);
    expect(a.status).toBe("returned");
    expect(a.result).toBe("8");
    expect(b.status).toBe("time_limit");
    expect(b.result).toBeNull();
    expect(frames(b)).toEqual([
      "call@5 def main(): | {}",
      "line@6     return f(1) | {}",
      'call@1 def f(n): | {"n":"1"}',
      'line@2     a = n + 1 | {"n":"1"}',
      'line@3     print(\'before\', a) | {"n":"1","a":"2"}',
      'line@4     return sum(range(10 ** 14)) | {"n":"1","a":"2"}',
    ]);
    expect(b.stdout).toBe("before 2\n");
    expect(b.notes?.[0]).toMatch(/^the run passed its 300 ms budget and did not stop within 300 ms more/);
    expect(b.stop_reason).toBe("watchdog");
    expect(b.executor).toBe(tracer.version);
    expect(CanonicalTrace.safeParse(b).success).toBe(true);
    expect(c.status).toBe("returned");
    expect(c.result).toBe("'cba'");
    // The same programs one at a time give the same traces.
    expect(await tracer.trace(first)).toEqual(a);
    expect(await tracer.trace(third)).toEqual(c);
  }, 60_000);

  it("gives the same trace in a worker thread whether runs are queued or awaited one by one", async () => {
    const inputs = [
      { code: "def f(n):\n    return [i * i for i in range(n)]\n", call: "f(3)" },
      { code: "x = {'a': [1, 2]}\nprint(x)\n" },
      { code: "def f():\n    raise ValueError('no')\n", call: "f()" },
    ];
    const queued = await Promise.all(inputs.map((i) => tracer.trace(i)));
    const oneByOne = [];
    for (const i of inputs) oneByOne.push(await tracer.trace(i));
    expect(queued).toEqual(oneByOne);
    expect(queued.map((t) => t.status)).toEqual(["returned", "returned", "raised"]);
  }, 60_000);

  it("does not let a slow but finishing run be killed before its budget plus grace", async () => {
    const t = await tracer.trace({ code: "i = 0\nwhile True:\n    i += 1\n", budgets: { timeoutMs: 200, maxSteps: 10_000_000 } });
    // tracer.py's own budget ends it: the note is the tracer's, not the watchdog's.
    expect(t.status).toBe("time_limit");
    expect(t.notes?.[0]).toMatch(/^stopped after \d+ ms \(timeoutMs budget\)$/);
  }, 60_000);

  it("rejects a trace requested after close", async () => {
    const own = await createNodeTracer();
    await own.close();
    await expect(own.trace({ code: "x = 1\n" })).rejects.toThrow("tracer closed");
  }, 60_000);
});
