/**
 * Counterfactual edits in the real executor: an edit equals writing the value at that frame by
 * hand. The reference is a separate Pyodide (same Python as the tracer) running a few lines of
 * sys.settrace that write the value through frame.f_locals at frame K and record every frame
 * afterwards; nothing of tracer.py is used there.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPyodide } from "pyodide";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import { buildProgram } from "@/lib/cwm/program";
import type { EditSpec } from "@/lib/executor/protocol";
import { CanonicalTrace, type Frame } from "@/lib/trace/schema";
import { PYODIDE_INDEX } from "./thread-worker";

const REFERENCE = `
import ast, json, re, sys

def r(v):
    # spec/cwm-trace-format.md §3: reprs are written without their memory address.
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(v))

def reference(program, entry, at, name, value_text):
    value = ast.literal_eval(value_text)
    ns = {"__name__": "__main__"}
    exec(compile(program, "<ref>", "exec"), ns)
    frames = []

    def tr(frame, event, arg):
        if frame.f_code.co_filename != "<ref>":
            return None
        if len(frames) == at:
            frame.f_locals[name] = value
        if event in ("call", "line"):
            frames.append([event, frame.f_lineno, {k: r(v) for k, v in frame.f_locals.items()}])
        elif event == "return":
            frames.append([event, frame.f_lineno, r(arg)])
        elif event == "exception":
            frames.append([event, frame.f_lineno, r(arg[1])])
        return tr

    sys.settrace(tr)
    try:
        result, error = r(ns[entry]()), None
    except Exception as e:
        result, error = None, type(e).__name__
    finally:
        sys.settrace(None)
    return json.dumps({"frames": frames, "result": result, "error": error})
`;

type RefFrame = [string, number, Record<string, string> | string];
interface Reference {
  frames: RefFrame[];
  result: string | null;
  error: string | null;
}

let tracer: NodeTracer;
let reference: (program: string, entry: string, at: number, name: string, value: string) => Reference;

beforeAll(async () => {
  const [t, py] = await Promise.all([createNodeTracer(), loadPyodide({ indexURL: PYODIDE_INDEX, stdout: () => {}, stderr: () => {} })]);
  tracer = t;
  py.runPython(REFERENCE);
  const fn = py.globals.get("reference") as (...a: unknown[]) => string;
  reference = (program, entry, at, name, value) => JSON.parse(fn(program, entry, at, name, value)) as Reference;
}, 120_000);
afterAll(async () => {
  await tracer?.close();
});

/** Our frame in the reference's shape: program line numbers, locals or value. */
function asRef(f: Frame, lineOffset: number): RefFrame {
  return [f.event, (f.line ?? -1) + lineOffset, f.locals ?? f.value ?? ""];
}

/** Runs the edit through the executor and the reference; asserts they agree and returns ours. */
async function editedMatchesReference(code: string, call: string | null, edit: EditSpec): Promise<CanonicalTrace> {
  const t = await tracer.trace({ code, call, edit });
  expect(CanonicalTrace.safeParse(t).success).toBe(true);
  const p = buildProgram(code, call);
  const ref = reference(p.program, p.entry ?? "main", edit.at, edit.name, edit.value);
  expect(t.frames.map((f) => asRef(f, p.lineOffset))).toEqual(ref.frames);
  expect(t.result).toBe(ref.result);
  expect(t.error === null ? null : t.error.split(":")[0]).toBe(ref.error);
  expect(t.edit).toMatchObject({ ...edit, applied: true });
  expect(t.edit?.error).toBeUndefined();
  expect(t.integrity).toBe("ok");
  return t;
}

/** Frames before K are the unedited run's; frame K differs only where the edit wrote. */
async function expectSamePrefix(code: string, call: string | null, edited: CanonicalTrace, at: number): Promise<CanonicalTrace> {
  const plain = await tracer.trace({ code, call });
  expect(plain.edit).toBeUndefined();
  expect(edited.frames.slice(0, at)).toEqual(plain.frames.slice(0, at));
  return plain;
}

const SUM = "def f(xs):\n    s = 0\n    for n in xs:\n        s += n\n    return s\n";

function index(t: CanonicalTrace, pred: (f: Frame) => boolean, nth = 0): number {
  const hits = t.frames.flatMap((f, i) => (pred(f) ? [i] : []));
  expect(hits.length).toBeGreaterThan(nth);
  return hits[nth];
}

describe("an edit equals writing the value at that frame by hand", () => {
  it("sets an accumulator in a loop: every later s follows from the new value, and so does the result", async () => {
    const plain = await tracer.trace({ code: SUM, call: "f([1, 2, 3])" });
    // The frame of `s += n` in the second iteration (n = 2): s is 1 there.
    const at = index(plain, (f) => f.source === "        s += n", 1);
    expect(plain.frames[at].locals).toEqual({ xs: "[1, 2, 3]", s: "1", n: "2" });
    const t = await editedMatchesReference(SUM, "f([1, 2, 3])", { at, name: "s", value: "100" });
    await expectSamePrefix(SUM, "f([1, 2, 3])", t, at);
    expect(t.frames[at].locals).toEqual({ xs: "[1, 2, 3]", s: "100", n: "2" });
    // Computed here: 100 + 2, then + 3.
    const later = t.frames.slice(at + 1).flatMap((f) => (f.locals ? [f.locals.s] : []));
    expect(later).toEqual(["102", "102", "105", "105"]);
    expect(t.result).toBe("105");
    expect(t.edit).toEqual({ at, name: "s", value: "100", applied: true, repr: "100" });
  });

  it("sets a while-loop counter: the loop runs the iterations the new value leaves", async () => {
    const code = "def f(k):\n    i = 0\n    steps = 0\n    while i < k:\n        i += 1\n        steps += 1\n    return steps\n";
    const plain = await tracer.trace({ code, call: "f(10)" });
    expect(plain.result).toBe("10");
    const at = index(plain, (f) => f.source === "        i += 1", 2);
    expect(plain.frames[at].locals?.i).toBe("2");
    const t = await editedMatchesReference(code, "f(10)", { at, name: "i", value: "7" });
    // i: 7 -> 8 -> 9 -> 10: three more iterations after the two done, then steps = 2 + 3.
    expect(t.result).toBe("5");
    expect(t.frames.length).toBeLessThan(plain.frames.length);
  });

  it("sets an argument at the call frame of the user's function", async () => {
    const plain = await tracer.trace({ code: SUM, call: "f([1, 2, 3])" });
    const at = index(plain, (f) => f.event === "call" && f.source === "def f(xs):");
    expect(at).toBe(2);
    const t = await editedMatchesReference(SUM, "f([1, 2, 3])", { at, name: "xs", value: "[10, 20]" });
    expect(t.frames[at].locals).toEqual({ xs: "[10, 20]" });
    expect(t.result).toBe("30");
    await expectSamePrefix(SUM, "f([1, 2, 3])", t, at);
  });

  it("writes a real object: a list set by the edit is mutated by the lines after it", async () => {
    const code = "def f(xs):\n    xs.append(4)\n    return len(xs), xs\n";
    const t = await editedMatchesReference(code, "f([1])", { at: 2, name: "xs", value: "[7, 8]" });
    expect(t.result).toBe("(3, [7, 8, 4])");
  });

  it("takes any literal: dicts of tuples, sets, None, bytes, negative numbers", async () => {
    const code = "def f(v):\n    w = v\n    return w\n";
    for (const value of ["{'a': (1, 2)}", "{1, 2}", "None", "b'x\\x00'", "-3", "1.5e3", "'caf\\u00e9'", "(1, [2, {3: 'x'}])"]) {
      const t = await editedMatchesReference(code, "f(0)", { at: 2, name: "v", value });
      expect(t.edit?.repr).toBe(t.result);
    }
  });

  it("makes the next line raise when a number becomes a string", async () => {
    const plain = await tracer.trace({ code: SUM, call: "f([1, 2, 3])" });
    const at = index(plain, (f) => f.source === "        s += n");
    const t = await editedMatchesReference(SUM, "f([1, 2, 3])", { at, name: "s", value: "'a'" });
    expect(t.status).toBe("raised");
    expect(t.error).toMatch(/^TypeError: can only concatenate str/);
    expect(t.frames[at + 1].event).toBe("exception");
    expect(t.result).toBeNull();
  });

  it("edits a recursive call at depth 3: only that call's n changes, the callers go on with theirs", async () => {
    const code = "def fact(n):\n    if n <= 1:\n        return 1\n    r = n * fact(n - 1)\n    return r\n";
    const plain = await tracer.trace({ code, call: "fact(5)" });
    expect(plain.result).toBe("120");
    // fact(5) -> fact(4) -> fact(3): the third call frame of fact.
    const at = index(plain, (f) => f.event === "call" && f.source === "def fact(n):", 2);
    expect(plain.frames[at].locals).toEqual({ n: "3" });
    const t = await editedMatchesReference(code, "fact(5)", { at, name: "n", value: "1" });
    expect(t.result).toBe("20");
    // The callers' frames after it still hold their own n (4, then 5).
    const returns = t.frames.slice(at).flatMap((f) => (f.source === "    return r" && f.event === "line" ? [f.locals?.n] : []));
    expect(returns).toEqual(["4", "5"]);
    await expectSamePrefix(code, "fact(5)", t, at);
  });

  it("edits a line frame inside the recursion (a local of that depth only)", async () => {
    const code = "def fact(n):\n    if n <= 1:\n        return 1\n    r = n * fact(n - 1)\n    return r\n";
    const plain = await tracer.trace({ code, call: "fact(4)" });
    // `return r` of the innermost call that computed r (fact(2): r = 2).
    const at = index(plain, (f) => f.source === "    return r");
    expect(plain.frames[at].locals).toEqual({ n: "2", r: "2" });
    const t = await editedMatchesReference(code, "fact(4)", { at, name: "r", value: "10" });
    expect(t.result).toBe("120"); // 4 * 3 * 10
  });

  it("edits a script's variable (script mode: the wrapper main's locals)", async () => {
    const code = "x = 1\ny = x * 2\nprint(y)\n";
    const plain = await tracer.trace({ code });
    const at = index(plain, (f) => f.source === "    y = x * 2");
    const t = await editedMatchesReference(code, null, { at, name: "x", value: "41" });
    expect(t.stdout).toBe("82\n");
    expect(plain.stdout).toBe("2\n");
    expect(t.frames[at].locals).toEqual({ x: "41" });
  });

  it("writes a variable a closure reads (a cell): the closure sees the new value", async () => {
    const code = "def f(n):\n    g = lambda: n * 10\n    return g()\n";
    const plain = await tracer.trace({ code, call: "f(1)" });
    const at = index(plain, (f) => f.source === "    return g()");
    const t = await editedMatchesReference(code, "f(1)", { at, name: "n", value: "5" });
    expect(t.result).toBe("50");
  });

  it("binds a local that has no value yet at that frame, as an assignment there would", async () => {
    const t = await editedMatchesReference(SUM, "f([1, 2])", { at: 3, name: "n", value: "9" });
    expect(t.frames[3].locals).toEqual({ xs: "[1, 2]", n: "9" });
  });
});

describe("an edit that cannot be applied: the run completes normally and the trace says why", () => {
  async function notApplied(edit: EditSpec, code = SUM, call: string | null = "f([1, 2, 3])"): Promise<CanonicalTrace> {
    const [t, plain] = await Promise.all([tracer.trace({ code, call, edit }), tracer.trace({ code, call })]);
    expect(CanonicalTrace.safeParse(t).success).toBe(true);
    const { edit: report, ...rest } = t;
    expect(rest).toEqual(plain);
    expect(report).toMatchObject({ ...edit, applied: false });
    return t;
  }

  it("refuses a return frame", async () => {
    const plain = await tracer.trace({ code: SUM, call: "f([1, 2, 3])" });
    const at = index(plain, (f) => f.event === "return");
    const t = await notApplied({ at, name: "s", value: "1" });
    expect(t.edit?.error).toBe(`frame ${at} is a return frame: only a call or line frame has locals to edit`);
    expect(t.edit?.repr).toBe("1");
  });

  it("refuses an exception frame", async () => {
    const code = "def f():\n    x = 1\n    return 1 // 0\n";
    const plain = await tracer.trace({ code, call: "f()" });
    const at = index(plain, (f) => f.event === "exception");
    const t = await notApplied({ at, name: "x", value: "2" }, code, "f()");
    expect(t.edit?.error).toMatch(new RegExp(`^frame ${at} is an exception frame`));
  });

  it("refuses a name that is not a variable of that function, and lists the ones that are", async () => {
    const t = await notApplied({ at: 5, name: "total", value: "1" });
    expect(t.edit?.error).toBe("total is not a variable of f() at frame 5 (its variables: xs, s, n)");
  });

  it("refuses a name of another function (main's frame has no xs)", async () => {
    const t = await notApplied({ at: 1, name: "xs", value: "[1]" });
    expect(t.edit?.error).toMatch(/^xs is not a variable of main\(\) at frame 1/);
  });

  it("says 'the script' for a script-mode name it does not know", async () => {
    const t = await notApplied({ at: 1, name: "zz", value: "1" }, "x = 1\nprint(x)\n", null);
    expect(t.edit?.error).toBe("zz is not a variable of the script at frame 1 (its variables: x)");
  });

  it("refuses a value that is not a literal, without running it", async () => {
    const code = "def f(v):\n    return v\n";
    const t = await notApplied({ at: 2, name: "v", value: "__import__('os').getcwd()" }, code, "f(0)");
    expect(t.edit?.error).toMatch(/is not a Python literal: only literals are allowed/);
    expect(t.edit?.repr).toBeUndefined();
    const names = await notApplied({ at: 2, name: "v", value: "v" }, code, "f(0)");
    expect(names.edit?.error).toMatch(/is not a Python literal/);
    const syntax = await notApplied({ at: 2, name: "v", value: "1 +" }, code, "f(0)");
    expect(syntax.edit?.error).toMatch(/is not a Python literal: it is not valid Python/);
  });

  it("refuses a name that is not an identifier", async () => {
    const t = await notApplied({ at: 2, name: "1x", value: "1" });
    expect(t.edit?.error).toBe('"1x" is not a Python name');
  });

  it("says when frame K is beyond the end of the run", async () => {
    const t = await notApplied({ at: 1000, name: "s", value: "1" });
    expect(t.edit?.error).toBe(`the run ended after ${t.frames.length} frames: frame 1000 was never reached`);
  });

  it("says when the step budget ended the run before frame K", async () => {
    const code = "def f():\n    i = 0\n    while True:\n        i += 1\n";
    const t = await tracer.trace({ code, call: "f()", budgets: { maxSteps: 50 }, edit: { at: 80, name: "i", value: "0" } });
    expect(t.status).toBe("step_limit");
    expect(t.edit).toMatchObject({ applied: false, error: "the run ended after 50 frames: frame 80 was never reached" });
  });

  it("says when the code never reached its entry (top-level code raised)", async () => {
    const t = await tracer.trace({ code: "def f():\n    return 1\nraise ValueError('x')\n", call: "f()", edit: { at: 0, name: "a", value: "1" } });
    expect(t.status).toBe("error");
    expect(t.edit?.error).toBe("the run ended after 0 frames: frame 0 was never reached");
  });

  it("rejects a malformed edit before running (negative frame, empty name)", async () => {
    await expect(tracer.trace({ code: SUM, call: "f([1])", edit: { at: -1, name: "s", value: "1" } })).rejects.toThrow(/^Bad edit/);
    await expect(tracer.trace({ code: SUM, call: "f([1])", edit: { at: 1, name: "", value: "1" } })).rejects.toThrow(/^Bad edit/);
    // The tracer still works afterwards.
    expect((await tracer.trace({ code: SUM, call: "f([1])" })).result).toBe("1");
  });

  it("leaves the next run unedited", async () => {
    await tracer.trace({ code: SUM, call: "f([1, 2, 3])", edit: { at: 5, name: "s", value: "100" } });
    const t = await tracer.trace({ code: SUM, call: "f([1, 2, 3])" });
    expect(t.result).toBe("6");
    expect(t.edit).toBeUndefined();
  });
});

const hasPython = spawnSync("python3", ["--version"], { encoding: "utf8" }).status === 0;

describe.skipIf(!hasPython)("edits under a local CPython (--python)", () => {
  let py: NodeTracer;
  beforeAll(async () => {
    py = await createNodeTracer({ python: "python3" });
  }, 60_000);
  afterAll(async () => {
    await py?.close();
  });

  // CPython before 3.13 writes the edit with ctypes (PyFrame_LocalsToFast), which the tamper
  // guard watches: the tracer's own call must not mark the trace tampered.
  it("gives the same frames, result and report as Pyodide, untampered", async () => {
    const cases: { code: string; call: string | null; edit: EditSpec }[] = [
      { code: SUM, call: "f([1, 2, 3])", edit: { at: 7, name: "s", value: "100" } },
      { code: SUM, call: "f([1, 2, 3])", edit: { at: 2, name: "xs", value: "[10, 20]" } },
      { code: "def f(n):\n    g = lambda: n * 10\n    return g()\n", call: "f(1)", edit: { at: 4, name: "n", value: "5" } },
      { code: "x = 1\ny = x * 2\nprint(y)\n", call: null, edit: { at: 2, name: "x", value: "41" } },
      { code: SUM, call: "f([1, 2, 3])", edit: { at: 5, name: "q", value: "1" } },
    ];
    for (const c of cases) {
      const [a, b] = await Promise.all([py.trace(c), tracer.trace(c)]);
      expect(a.integrity_notes).toBeUndefined();
      expect(a.integrity).toBe("ok");
      expect({ frames: a.frames, result: a.result, stdout: a.stdout, edit: a.edit }).toEqual({ frames: b.frames, result: b.result, stdout: b.stdout, edit: b.edit });
    }
  }, 60_000);
});
