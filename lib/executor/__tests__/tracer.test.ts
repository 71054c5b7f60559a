import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import { CanonicalTrace } from "@/lib/trace/schema";
import { CORPUS } from "./corpus";
import { EXPECTED } from "./expected";
import { frames } from "./helpers";
import { exceptionTypeOfError } from "@/lib/compare/normalise";

let tracer: NodeTracer;
beforeAll(async () => {
  tracer = await createNodeTracer();
});
afterAll(async () => {
  await tracer?.close();
});

const trace = (code: string, call: string | null = null, budgets = {}) => tracer.trace({ code, call, budgets });

describe("tracer corpus (exact frames)", () => {
  for (const c of CORPUS) {
    it(`traces ${c.name}`, async () => {
      const t = await tracer.trace(c.input);
      const want = EXPECTED[c.name];
      expect(frames(t)).toEqual(want.frames);
      expect({ status: t.status, result: t.result, error: t.error, stdout: t.stdout }).toEqual({
        status: want.status,
        result: want.result,
        error: want.error,
        stdout: want.stdout,
      });
      expect(t.notes).toBeUndefined();
      expect(t.stop_reason).toBeUndefined();
      expect({ integrity: t.integrity, introspection: t.introspection }).toEqual({ integrity: "ok", introspection: false });
      expect(CanonicalTrace.safeParse(t).success).toBe(true);
    });
  }
});

describe("tracer details", () => {
  it("names the executor", async () => {
    const t = await trace("def f():\n    return 1\n", "f()");
    expect(t.executor).toMatch(/^Pyodide 314\.\d+\.\d+ \(Python 3\.14\.\d+\)$/);
    expect(tracer.version).toBe(t.executor);
  });

  it("reports script mode's def main() as line 0 and keeps the indented source", async () => {
    const t = await trace("a = 1\n");
    expect(t.frames[0]).toEqual({ event: "call", line: 0, source: "def main():", locals: {}, stdout_len: 0 });
    expect(t.frames[1]).toEqual({ event: "line", line: 1, source: "    a = 1", locals: {}, stdout_len: 0 });
  });

  it("never shows module globals, imports or builtins in locals", async () => {
    const t = await trace("import os\nSECRET = 42\ndef f(x):\n    y = x\n    return y\n", "f(1)");
    for (const f of t.frames) {
      if (!f.locals) continue;
      expect(Object.keys(f.locals)).not.toContain("SECRET");
      expect(Object.keys(f.locals)).not.toContain("os");
      expect(Object.keys(f.locals)).not.toContain("__builtins__");
    }
  });

  it("does not trace standard-library frames", async () => {
    const t = await trace("import json\ndef f():\n    return json.dumps([1])\n", "f()");
    expect(t.frames.map((f) => f.line)).toEqual([4, 5, 2, 3, 3, 5]);
  });

  it("strips memory addresses from nested reprs", async () => {
    const t = await trace("class A:\n    pass\ndef f():\n    return {'k': [A(), iter('ab')]}\n", "f()");
    expect(t.result).toBe("{'k': [<__main__.A object>, <str_ascii_iterator object>]}");
  });

  it("calls the user's own main in call mode, not the entry wrapper", async () => {
    const t = await trace("def main(n):\n    return n + 1\n", "main(1)");
    expect(t.result).toBe("2");
    expect(t.frames[0]).toMatchObject({ event: "call", line: 3, source: "def main_():" });
  });

  it("names an exception class defined in script mode without its main.<locals> path", async () => {
    const t = await trace("class MyError(Exception):\n    pass\nraise MyError('bad')\n");
    expect(t.status).toBe("raised");
    expect(t.error).toBe("MyError: bad");
    expect(exceptionTypeOfError(t.error!)).toBe("MyError");
  });

  it("tells two local exception classes apart by name", async () => {
    const code = "def f(k):\n    class A(Exception):\n        pass\n    class B(Exception):\n        pass\n    raise (A if k else B)('x')\n";
    const [a, b] = [await trace(code, "f(1)"), await trace(code, "f(0)")];
    expect([a.error, b.error]).toEqual(["A: x", "B: x"]);
    expect(exceptionTypeOfError(a.error!)).not.toBe(exceptionTypeOfError(b.error!));
  });

  it("reports an uncaught exception of a user class with its message", async () => {
    const t = await trace("class Boom(Exception):\n    pass\ndef f():\n    raise Boom('bad')\n", "f()");
    expect(t.status).toBe("raised");
    expect(t.error).toBe("Boom: bad");
    expect(t.frames.at(-2)).toMatchObject({ event: "exception", value: "Boom('bad')" });
  });

  it("turns deep recursion into a normal raised RecursionError with every frame", async () => {
    const t = await trace("def f(n):\n    return f(n + 1)\n", "f(0)", { maxSteps: 100_000 });
    expect(t.status).toBe("raised");
    expect(t.error).toBe("RecursionError: maximum recursion depth exceeded");
    const calls = t.frames.filter((f) => f.event === "call").length;
    const returns = t.frames.filter((f) => f.event === "return").length;
    expect(calls).toBe(returns);
    expect(t.frames.at(-1)).toMatchObject({ event: "return", line: 4, value: "None" });
  });

  it("lets a program catch RecursionError and go on", async () => {
    const t = await trace(
      "def f(n):\n    return f(n + 1)\ndef g():\n    try:\n        f(0)\n    except RecursionError:\n        return 'caught'\n",
      "g()",
      { maxSteps: 100_000 },
    );
    expect(t.status).toBe("returned");
    expect(t.result).toBe("'caught'");
  });

  it("reports a syntax error with the user's line", async () => {
    const t = await trace("def f(:\n    return 1\n", "f()");
    expect(t).toMatchObject({ status: "error", frames: [], result: null });
    expect(t.error).toMatch(/^SyntaxError: .+ \(line 1\)$/);
  });

  it("reports a syntax error in script mode with the user's own line number", async () => {
    const t = await trace("x = 1\ny = = 2\n");
    expect(t.error).toMatch(/^SyntaxError: .+ \(line 2\)$/);
  });

  it("reports a bad call expression as such", async () => {
    const t = await trace("def f(x):\n    return x\n", "f((1,)");
    expect(t.status).toBe("error");
    expect(t.error).toMatch(/^SyntaxError: .+ \(in the call expression\)$/);
  });

  it("reports an error in the program's top-level code", async () => {
    const t = await trace("x = 1 / 0\ndef f():\n    return 1\n", "f()");
    expect(t.status).toBe("error");
    expect(t.error).toBe("ZeroDivisionError: division by zero (while running the program's top-level code)");
    expect(t.frames).toEqual([]);
  });

  it("gives input() an empty stdin", async () => {
    const t = await trace("x = input()\n");
    expect(t.status).toBe("raised");
    expect(t.error).toMatch(/^EOFError/);
  });

  it("captures print and stderr output in order", async () => {
    const t = await trace("import sys\nprint('a')\nprint('b', file=sys.stderr)\nprint('c', end='')\n");
    expect(t.stdout).toBe("a\nb\nc");
  });

  it("keeps state apart between runs in one interpreter", async () => {
    await trace("import builtins\nx = 1\n");
    const t = await trace("def f():\n    return 'x' in globals()\n", "f()");
    expect(t.result).toBe("False");
  });
});

describe("budgets", () => {
  it("stops at maxSteps with exactly that many frames", async () => {
    const t = await trace("i = 0\nwhile True:\n    i += 1\n", null, { maxSteps: 25 });
    expect(t.status).toBe("step_limit");
    expect(t.frames).toHaveLength(25);
    expect(t.result).toBeNull();
    expect(t.notes).toEqual(["stopped after 25 frames (maxSteps budget)"]);
    expect(t.stop_reason).toBe("steps");
    expect(t.integrity).toBe("ok");
  });

  it("stops at timeoutMs and keeps the frames so far", async () => {
    const t = await trace("i = 0\nwhile True:\n    i += 1\n", null, { maxSteps: 10_000_000, timeoutMs: 300 });
    expect(t.status).toBe("time_limit");
    expect(t.frames.length).toBeGreaterThan(10);
    expect(t.notes?.[0]).toMatch(/^stopped after \d+ ms \(timeoutMs budget\)$/);
    expect(t.stop_reason).toBe("time");
    expect(t.integrity).toBe("ok");
  });

  it("cannot be swallowed by except: in nested loops", async () => {
    const code =
      "i = 0\nwhile True:\n    try:\n        while True:\n            try:\n                i += 1\n            except BaseException:\n                pass\n    except BaseException:\n        pass\n";
    const t = await trace(code, null, { maxSteps: 40 });
    expect(t.status).toBe("step_limit");
    expect(t.frames).toHaveLength(40);
  });

  it("cannot be swallowed by a finally that loops", async () => {
    const t = await trace("try:\n    while True:\n        pass\nfinally:\n    while True:\n        pass\n", null, { maxSteps: 30 });
    expect(t.status).toBe("step_limit");
  });

  it("applies the time budget to top-level code in call mode", async () => {
    const t = await trace("while True:\n    pass\ndef f():\n    return 1\n", "f()", { timeoutMs: 200 });
    expect(t.status).toBe("time_limit");
    expect(t.frames).toEqual([]);
  });

  it("truncates stdout at maxStdoutBytes with a marker and a note", async () => {
    const t = await trace("for i in range(100):\n    print('é' * 10)\n", null, { maxStdoutBytes: 50 });
    expect(t.status).toBe("returned");
    expect(t.stdout.startsWith("éééééééééé\néééééééééé\n")).toBe(true);
    expect(t.stdout).toContain("…[stdout truncated at 50 bytes]");
    expect(Buffer.byteLength(t.stdout.split("\n…[stdout")[0], "utf8")).toBeLessThanOrEqual(50);
    expect(t.notes?.some((n) => /^stdout truncated at 50 bytes \(maxStdoutBytes budget\); \d+ bytes dropped$/.test(n))).toBe(true);
  });

  it("truncates a long repr with a visible marker and a note", async () => {
    const t = await trace("s = 'x' * 5000\nn = 1\n", null, { maxReprChars: 100 });
    const line = t.frames.find((f) => f.locals?.s)!;
    expect(line.locals!.s).toBe(`'${"x".repeat(99)}…[truncated 4902 chars]`);
    expect(t.notes).toEqual(["1 values longer than 100 characters truncated (maxReprChars budget)"]);
  });
});

describe("output per step", () => {
  it("gives every frame the length of stdout written before it, in JavaScript string units", async () => {
    const t = await trace("print('ab')\nx = 1\nprint('🙂', end='')\ny = 2\n");
    expect(t.stdout).toBe("ab\n🙂");
    expect(t.frames.map((f) => [f.line, f.stdout_len])).toEqual([[0, 0], [1, 0], [2, 3], [3, 3], [4, 5], [4, 5]]);
    const before = (i: number) => t.stdout.slice(0, t.frames[i].stdout_len);
    expect(before(3)).toBe("ab\n");
    expect(before(4)).toBe("ab\n🙂");
  });

  it("counts the truncation marker as output", async () => {
    const t = await trace("print('x' * 100)\ny = 1\n", null, { maxStdoutBytes: 10 });
    expect(t.frames.at(-1)?.stdout_len).toBe(t.stdout.length);
  });
});

describe("objects", () => {
  it("records the attributes of an object whose repr is object's default", async () => {
    const t = await trace("class Counter:\n    def __init__(self):\n        self.n = 0\n        self.tag = 'a'\nc = Counter()\nz = 1\n");
    const last = t.frames.find((f) => f.event === "line" && f.locals?.z === undefined && f.locals?.c !== undefined);
    expect(last?.locals?.c).toBe("<__main__.main.<locals>.Counter object>");
    expect(last?.attrs).toEqual({ c: { n: "0", tag: "'a'" } });
  });

  it("reads __slots__ and leaves objects with their own repr alone", async () => {
    const code =
      "class P:\n    __slots__ = ('x', 'y')\n    def __init__(self):\n        self.x = 1\nclass Q:\n    def __repr__(self):\n        return 'Q!'\ndef f():\n    p = P()\n    q = Q()\n    return 0\n";
    const t = await trace(code, "f()");
    const line = t.frames.at(-3)!;
    expect(line.locals).toEqual({ p: "<__main__.P object>", q: "Q!" });
    expect(line.attrs).toEqual({ p: { x: "1" } });
  });

  it("bounds attributes per object and objects per frame", async () => {
    const code = "class O:\n    pass\ndef f():\n    os = [O() for _ in range(12)]\n    for o in os:\n        for i in range(30):\n            setattr(o, 'a%d' % i, i)\n    " +
      Array.from({ length: 12 }, (_, i) => `o${i}`).join(", ") + " = os\n    return 0\n";
    const t = await trace(code, "f()", { maxSteps: 100_000 });
    const line = t.frames.at(-3)!;
    expect(Object.keys(line.attrs ?? {})).toHaveLength(10);
    expect(Object.keys(Object.values(line.attrs!)[0])).toHaveLength(20);
  });

  it("never calls the program's own __repr__ for an attribute (it may recurse without end)", async () => {
    const code = "class Loop:\n    def __repr__(self):\n        return repr(self)\nclass O:\n    pass\ndef f():\n    o = O()\n    o.l = Loop()\n    return 1\n";
    const t = await trace(code, "f()", { maxSteps: 100_000 });
    expect(t.result).toBe("1");
    expect(t.frames.at(-3)?.attrs).toEqual({ o: { l: "<__main__.Loop object>" } });
  });
});

describe("reprs reused between frames stay exact", () => {
  it("tells -0.0 from 0.0 and True from 1", async () => {
    const t = await trace("def f():\n    a = -0.0\n    b = 0.0\n    c = 1\n    d = True\n    return (a, b, c, d)\n", "f()");
    expect(t.frames.at(-3)?.locals).toEqual({ a: "-0.0", b: "0.0", c: "1", d: "True" });
    expect(t.result).toBe("(-0.0, 0.0, 1, True)");
  });

  it("follows the int digit limit set by the program between frames", async () => {
    const code = "import sys\ndef f():\n    n = 10 ** 700\n    sys.set_int_max_str_digits(640)\n    k = 1\n    sys.set_int_max_str_digits(0)\n    return k\n";
    const t = await trace(code, "f()");
    const n = t.frames.filter((f) => f.event === "line" && f.locals?.n !== undefined).map((f) => f.locals!.n);
    expect(n).toEqual([`1${"0".repeat(700)}`, "<repr raised ValueError>", "<repr raised ValueError>", `1${"0".repeat(700)}`]);
  });

  it("shows a tuple again when a list inside it changed", async () => {
    const t = await trace("def f():\n    l = [1]\n    t = (l, 2)\n    l.append(3)\n    return t\n", "f()");
    expect(t.frames.filter((f) => f.locals?.t).map((f) => f.locals!.t)).toEqual(["([1], 2)", "([1, 3], 2)"]);
  });

  it("counts a truncated value at every frame it appears in", async () => {
    const t = await trace("def f():\n    s = 'x' * 50\n    t = s\n    return 1\n", "f()", { maxReprChars: 20 });
    expect(t.frames.at(-3)?.locals).toEqual({ s: "'xxxxxxxxxxxxxxxxxxx…[truncated 32 chars]", t: "'xxxxxxxxxxxxxxxxxxx…[truncated 32 chars]" });
    expect(t.notes).toEqual(["3 values longer than 20 characters truncated (maxReprChars budget)"]);
  });
});
