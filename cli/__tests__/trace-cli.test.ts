import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { CanonicalTrace } from "@/lib/trace/schema";
import { createNodeTracer } from "@/lib/executor/node";
import { repoRoot } from "@/lib/executor/__tests__/helpers";
import { SHARED_DATA as sharedData, sharedDataPresent } from "@/test/shared-data";

const run = promisify(execFile);
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-trace-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(tsx, ["cli/main.ts", "trace", ...args], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

describe.skipIf(!sharedDataPresent)("cwm trace --jsonl on CRUXEval", () => {
  it("reproduces every expected output (800/800)", async () => {
    const input = path.join(sharedData, "cruxeval/cruxeval.jsonl");
    const expected = new Map<string, string>();
    for (const line of fs.readFileSync(input, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { id: string; output: string };
      expected.set(r.id, r.output);
    }
    expect(expected.size).toBe(800);
    const out = path.join(tmp, "crux.jsonl");
    const r = await cli(["--jsonl", input, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("traced 800/800");
    const lines = fs.readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(800);
    const wrong: string[] = [];
    for (const line of lines) {
      const { id, ...trace } = JSON.parse(line) as { id: string } & Record<string, unknown>;
      const t = CanonicalTrace.parse(trace);
      if (t.status !== "returned" || t.result !== expected.get(id)) wrong.push(`${id}: ${t.status} ${t.result} != ${expected.get(id)}`);
      if (t.integrity !== "ok" || t.introspection !== false) wrong.push(`${id}: integrity ${t.integrity}, introspection ${t.introspection}`);
    }
    expect(wrong).toEqual([]);
  }, 180_000);
});

describe("cwm trace --jsonl runs every line from a clean interpreter", () => {
  it("marks a line that patches builtins.repr as tampered and traces the next line clean and correct", async () => {
    const input = write(
      "patch.jsonl",
      [
        JSON.stringify({ id: "bad", code: "import builtins\nbuiltins.repr = lambda v: '999'\ndef f(n):\n    return n\n", call: "f(5)" }),
        JSON.stringify({ id: "next", code: "def f(n):\n    k = n * 2\n    return k\n", call: "f(5)" }),
      ].join("\n"),
    );
    const r = await cli(["--jsonl", input]);
    expect(r.code).toBe(0);
    const [bad, next] = r.stdout
      .trim()
      .split("\n")
      .map((l) => {
        const { id: _id, ...trace } = JSON.parse(l) as { id: string } & Record<string, unknown>;
        return CanonicalTrace.parse(trace);
      });
    expect(bad.integrity).toBe("tampered");
    expect(bad.integrity_notes).toContain("the program replaced builtins: repr");
    expect(bad.introspection).toBe(true);
    expect(next).toMatchObject({ status: "returned", result: "10", integrity: "ok", introspection: false });
    expect(next.frames.filter((f) => f.event === "line").map((f) => f.locals)).toEqual([{}, { n: "5" }, { n: "5", k: "10" }]);
  }, 60_000);
});

describe("cwm trace input errors", () => {
  it("names a bad JSON line on stderr, exits 2 and still traces the other lines", async () => {
    const input = write(
      "mixed.jsonl",
      [
        JSON.stringify({ id: "a", code: "def f(x):\n    return x + 1\n", call: "f(1)" }),
        "{not json",
        JSON.stringify({ id: "b", code: "print(3)\n" }),
        JSON.stringify({ id: "c", nothing: true }),
        JSON.stringify({ id: 7, code: "def f(s):\n    return s[::-1]\n", input: "'ab'" }),
      ].join("\n"),
    );
    const r = await cli(["--jsonl", input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${input}:2: bad JSON`);
    expect(r.stderr).toContain(`${input}:4: expected {id, code, call} or {id, code, input}`);
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string | number; result: string | null; stdout: string });
    expect(out.map((o) => o.id)).toEqual(["a", "b", 7]);
    expect(out[0].result).toBe("2");
    expect(out[1].stdout).toBe("3\n");
    expect(out[2].result).toBe("'ba'");
  }, 60_000);

  it("reports an unreadable batch file and exits 2", async () => {
    const r = await cli(["--jsonl", path.join(tmp, "missing.jsonl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*missing\.jsonl: ENOENT/);
  });

  it("reports an unreadable program file and exits 2", async () => {
    const r = await cli([path.join(tmp, "missing.py")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*missing\.py: ENOENT/);
  });

  it("rejects a bad budget flag with exit 2", async () => {
    const r = await cli([write("a.py", "x = 1\n"), "--max-steps", "lots"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-steps needs a positive integer, got "lots"');
  });
});

describe("cwm trace FILE.py", () => {
  it("prints the canonical trace of a call", async () => {
    const r = await cli([write("f.py", "def f(a):\n    b = a * 2\n    return b\n"), "--call", "f(4)"]);
    expect(r.code).toBe(0);
    const t = CanonicalTrace.parse(JSON.parse(r.stdout));
    expect(t.status).toBe("returned");
    expect(t.result).toBe("8");
    expect(t.frames.map((f) => f.event)).toEqual(["call", "line", "call", "line", "line", "return", "return"]);
  }, 60_000);

  it("applies --max-steps", async () => {
    const r = await cli([write("loop.py", "while True:\n    pass\n"), "--max-steps", "7"]);
    const t = CanonicalTrace.parse(JSON.parse(r.stdout));
    expect(t.status).toBe("step_limit");
    expect(t.frames).toHaveLength(7);
  }, 60_000);

  it("prints CWM trace text with --format cwm", async () => {
    const r = await cli([write("g.py", "def f(a):\n    return a\n"), "--call", "f('x')", "--format", "cwm"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("<|call_sep|>{\"a\": \"'x'\"}<|action_sep|>def f(a):\n<|frame_sep|>");
    expect(r.stdout.trim().endsWith("<|end_of_text|>")).toBe(true);
  }, 60_000);

  it("says in --help that --python runs the code on the user's own machine", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--python PATH");
    expect(r.stdout).toContain("YOUR machine");
    expect(r.stdout).toContain('"integrity": "tampered"');
  });
});

const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
const hasPython = python.status === 0;

describe.skipIf(!hasPython)("--python (local CPython)", () => {
  // Programs whose events do not differ between Python 3.11 and 3.14 (no comprehensions).
  const programs = [
    { code: "def f(n):\n    if n <= 1:\n        return 1\n    return n * f(n - 1)\n", call: "f(3)" },
    { code: "def f(s):\n    out = ''\n    for ch in s:\n        out = ch + out\n    return out\n", call: "f('abc')" },
    { code: "def f(x):\n    try:\n        return 1 / x\n    except ZeroDivisionError:\n        return None\n", call: "f(0)" },
    { code: "d = {}\nd['k'] = [1, 2]\nprint(d)\n", call: null },
  ];

  it("gives the same frames, result and stdout as Pyodide", async () => {
    const py = await createNodeTracer({ python: "python3" });
    const pyo = await createNodeTracer();
    try {
      expect(py.version).toMatch(/^CPython 3\.\d+\.\d+$/);
      for (const p of programs) {
        const a = await py.trace(p);
        const b = await pyo.trace(p);
        expect({ ...a, executor: undefined }).toEqual({ ...b, executor: undefined });
      }
    } finally {
      await py.close();
      await pyo.close();
    }
  }, 60_000);

  it("stops a swallowed budget stop by killing the process and keeps the frames", async () => {
    const py = await createNodeTracer({ python: "python3", killGraceMs: 300 });
    try {
      const code = "i = 0\nwhile True:\n    try:\n        while True:\n            i += 1\n    except BaseException:\n        pass\n";
      const t = await py.trace({ code, budgets: { maxSteps: 20, timeoutMs: 300 } });
      if (/^CPython 3\.1[01]\./.test(py.version)) {
        // Without sys.monitoring the tracer cannot re-raise; the host kills the process.
        expect(t.status).toBe("time_limit");
        expect(t.notes?.[0]).toMatch(/^killed after \d+ ms/);
      } else {
        expect(t.status).toBe("step_limit");
      }
      expect(t.frames).toHaveLength(20);
      const next = await py.trace({ code: "def f():\n    return 5\n", call: "f()" });
      expect(next.result).toBe("5");
    } finally {
      await py.close();
    }
  }, 60_000);
});
