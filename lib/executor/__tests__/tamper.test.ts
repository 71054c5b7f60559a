/**
 * Issue 9, "the ground truth does not lie": every way a traced program can reach the tracer
 * either changes nothing (the trace is still right) or ends with integrity "tampered" and a note
 * saying why; and what one program does never reaches the next one in the same interpreter.
 * Each attack is a real program run by the real tracer (Pyodide in Node, and CPython where the
 * attack does not need sys.monitoring).
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import type { CanonicalTrace } from "@/lib/trace/schema";

let tracer: NodeTracer;
beforeAll(async () => {
  tracer = await createNodeTracer();
});
afterAll(async () => {
  await tracer?.close();
});

const ADD = (body: string, prelude = "") => `${prelude}def add(a, b):\n${body}    return a + b\n`;
const trace = (code: string, budgets = {}) => tracer.trace({ code, call: "add(2, 2)", budgets });

function expectTampered(t: CanonicalTrace, why: RegExp): void {
  expect(t.integrity).toBe("tampered");
  expect(t.integrity_notes?.some((n) => why.test(n)), JSON.stringify(t.integrity_notes)).toBe(true);
}

describe("tamper vectors (Pyodide)", () => {
  it("marks a run that turns tracing off with sys.settrace(None) as tampered", async () => {
    const t = await trace(ADD("    sys.settrace(None)\n    c = 1\n", "import sys\n"));
    expectTampered(t, /sys\.settrace/);
    expect(t.introspection).toBe(true);
  });

  it("marks a run that replaces the trace function as tampered", async () => {
    const t = await trace(ADD("    sys.settrace(lambda *a: None)\n", "import sys\n"));
    expectTampered(t, /sys\.settrace/);
  });

  it("reports a raise of the tracer's own stop exception as raised and tampered, never as returned None", async () => {
    const code = ADD(
      "    for o in gc.get_objects():\n        if isinstance(o, type) and o.__name__ == 'StopRun':\n            raise o('forged')\n",
      "import gc\n",
    );
    const t = await trace(code);
    expect(t.status).toBe("raised");
    expect(t.result).toBeNull();
    expectTampered(t, /stop exception/);
  });

  it("cannot make add(2, 2) return 5 by rewriting the locals of every frame above it (sys._getframe)", async () => {
    const body =
      "    f = sys._getframe().f_back\n    while f is not None:\n        for k in list(f.f_locals):\n            try:\n                f.f_locals[k] = 5\n            except Exception:\n                pass\n        f = f.f_back\n";
    const t = await trace(ADD(body, "import sys\n"));
    expect(t.status).toBe("returned");
    expect(t.result).toBe("4");
    expect(t.frames.at(-1)).toMatchObject({ event: "return", value: "4" });
    // Nothing above the program is the tracer's but its clean entry: no tamper to report, only the label.
    expect(t.integrity).toBe("ok");
    expect(t.introspection).toBe(true);
  });

  it("marks a run that rewrites the tracer's repr cache through gc.get_objects (add(2, 2) 'returns 5') as tampered", async () => {
    const body = "    for o in gc.get_objects():\n        if type(o) is dict and o.get(4) == '\"4\"':\n            o[4] = '\"5\"'\n";
    const t = await trace(ADD(body, "import gc\n"), { maxSteps: 100_000 });
    expectTampered(t, /gc\.get_objects/);
  });

  it("marks a __repr__ that looks at the tracer's frames as tampered", async () => {
    const code = "import sys\nclass R:\n    def __repr__(self):\n        sys._getframe(1)\n        return 'R'\n" + ADD("    r = R()\n");
    const t = await trace(code);
    expectTampered(t, /frame that leads into the tracer/);
    expect(t.result).toBe("4");
  });

  it("marks a run that reads the trace function (sys.gettrace) as tampered", async () => {
    const t = await trace(ADD("    sys.gettrace()\n", "import sys\n"));
    expectTampered(t, /sys\.gettrace/);
  });

  it("marks a run that touches sys.monitoring as tampered", async () => {
    const t = await trace(ADD("    sys.monitoring.use_tool_id(0, 'mine')\n", "import sys\n"));
    expectTampered(t, /sys\.monitoring/);
  });

  it("marks patched builtins as tampered, and the next program in the same interpreter is clean and correct", async () => {
    const bad = await tracer.trace({ code: "import builtins\nbuiltins.repr = lambda v: '999'\nprint(repr(5))\n" });
    expectTampered(bad, /builtins: repr/);
    expect(bad.stdout).toBe("999\n");
    const next = await tracer.trace({ code: "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\n", call: "fact(3)" });
    expect(next.result).toBe("6");
    expect(next.stdout).toBe("");
    expect(next.integrity).toBe("ok");
    expect(next.introspection).toBe(false);
  });

  it("undoes a library attribute a program replaced before the next program runs", async () => {
    const bad = await tracer.trace({ code: "import json\njson.dumps = lambda *a, **k: 'forged'\n" });
    expect(bad.status).toBe("returned");
    const next = await tracer.trace({ code: "import json\ndef f():\n    return json.dumps([1])\n", call: "f()" });
    expect(next.result).toBe("'[1]'");
  });

  it("does not let a callback a program leaves behind run after it", async () => {
    const code = [
      "import js",
      "from pyodide.ffi import create_proxy",
      "def cb(*a):",
      "    open('/tmp/cwm-late', 'w').write('ran')",
      "js.setTimeout(create_proxy(cb), 0)",
      "js.Promise.resolve(0).then(create_proxy(cb))",
    ].join("\n");
    const first = await tracer.trace({ code });
    expect(first.status).toBe("returned");
    await new Promise((r) => setTimeout(r, 200));
    const probe = await tracer.trace({ code: "import os\ndef f():\n    return os.path.exists('/tmp/cwm-late')\n", call: "f()" });
    expect(probe.result).toBe("False");
  });

  it("keeps the tracer's modules out of the program's reach by name", async () => {
    const t = await tracer.trace({ code: "import sys\ndef f():\n    return ('cwm_tracer' in sys.modules, 'tracer_guard' in sys.modules)\n", call: "f()" });
    expect(t.result).toBe("(False, False)");
  });

  it("refuses a result with more frames than the step budget allows (a program that stuffed the tracer's frame list)", async () => {
    const code = [
      "import gc, sys",
      "sys.settrace(None)",
      "for o in gc.get_objects():",
      "    if type(o) is list and o and type(o[0]) is str and o[0].startswith('{\"event\"'):",
      "        o.extend([o[0]] * 5000)",
    ].join("\n");
    const t = await tracer.trace({ code, budgets: { maxSteps: 100 } });
    expect(t.status).toBe("error");
    expect(t.stop_reason).toBe("crash");
    expectTampered(t, /flooded/);
    expect(t.frames.length).toBeLessThanOrEqual(100);
    const next = await tracer.trace({ code: "def f():\n    return 7\n", call: "f()" });
    expect(next.result).toBe("7");
  });

  it("gives clean programs integrity ok and no introspection label", async () => {
    const t = await tracer.trace({ code: "def f(xs):\n    return sorted(xs)\n", call: "f([3, 1])" });
    expect(t.integrity).toBe("ok");
    expect(t.integrity_notes).toBeUndefined();
    expect(t.introspection).toBe(false);
  });

  it("labels a program that inspects the interpreter even when nothing was tampered with", async () => {
    const t = await tracer.trace({ code: "import inspect\ndef f():\n    return inspect.currentframe() is not None\n", call: "f()" });
    expect(t.result).toBe("True");
    expect(t.integrity).toBe("ok");
    expect(t.introspection).toBe(true);
  });
});

const hasPython = spawnSync("python3", ["--version"], { encoding: "utf8" }).status === 0;

describe.skipIf(!hasPython)("tamper vectors (local CPython, --python)", () => {
  let py: NodeTracer;
  beforeAll(async () => {
    py = await createNodeTracer({ python: "python3" });
  });
  afterAll(async () => {
    await py?.close();
  });

  it("marks sys.settrace(None) as tampered", async () => {
    const t = await py.trace({ code: ADD("    sys.settrace(None)\n", "import sys\n"), call: "add(2, 2)" });
    expectTampered(t, /sys\.settrace/);
  });

  it("marks gc.get_objects as tampered", async () => {
    const t = await py.trace({ code: ADD("    gc.get_objects()\n", "import gc\n"), call: "add(2, 2)" });
    expectTampered(t, /gc\.get_objects/);
  });

  it("marks patched builtins as tampered and runs the next program clean", async () => {
    const bad = await py.trace({ code: "import builtins\nbuiltins.repr = lambda v: '999'\n" });
    expectTampered(bad, /builtins: repr/);
    const next = await py.trace({ code: "def f():\n    return repr(5)\n", call: "f()" });
    expect(next.result).toBe("'5'");
    expect(next.integrity).toBe("ok");
  });
});
