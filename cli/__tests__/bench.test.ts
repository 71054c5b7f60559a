import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchResult } from "@/lib/compare/summary";
import { startFakeVllm } from "@/test/fakes/vllm";
import { SHARED_DATA } from "@/test/shared-data";
import { runCli } from "./run-cli";

const DATA = SHARED_DATA;
const CRUX = path.join(DATA, "cruxeval/cruxeval.jsonl");
const RECORDED = path.join(DATA, "cwm-recorded/cruxeval-800.jsonl");
// Edge cases (see the data README): exact, a wrong output, a comprehension with an extra
// iteration, a value that is not valid JSON.
const IDS = ["sample_0", "sample_4", "sample_19", "sample_382"];

function hasPython(): boolean {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const ready = existsSync(CRUX) && existsSync(RECORDED) && hasPython();
let dir: string;
let recordedById: Map<string, { correct: boolean }>;
let lines: Map<string, string>;

beforeAll(async () => {
  if (!ready) return;
  dir = await mkdtemp(path.join(os.tmpdir(), "cwm-bench-"));
  lines = new Map((await readFile(CRUX, "utf8")).split("\n").filter(Boolean).map((l) => [JSON.parse(l).id as string, l]));
  recordedById = new Map(
    (await readFile(RECORDED, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; correct: boolean })
      .map((r) => [r.id, r]),
  );
  await writeFile(path.join(dir, "four.jsonl"), IDS.map((id) => lines.get(id)).join("\n"));
  await writeFile(
    path.join(dir, "messy.jsonl"),
    [lines.get("sample_0"), "{not json", JSON.stringify({ id: "no_recording", code: "def f(x):\n    return x", call: "f(1)" }), lines.get("sample_4")].join("\n"),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!ready)("cwm bench --replay (child process, CPython ground truth)", () => {
  it("scores a handful of CRUXEval programs and ends stdout with one JSON summary line", async () => {
    const out = path.join(dir, "results.jsonl");
    const report = path.join(dir, "report.html");
    const r = await runCli(["bench", "--dataset", path.join(dir, "four.jsonl"), "--replay", RECORDED, "--python", "python3", "--out", out, "--report", report, "--json", "--concurrency", "2"]);
    expect(r.stderr).toContain("bench 4/4");
    expect(r.code).toBe(0);
    const stdout = r.stdout.trim().split("\n");
    const summary = JSON.parse(stdout[stdout.length - 1]);
    expect(summary.programs).toBe(4);
    expect(summary.errors).toBe(0);
    // The recorded study executed each predicted output against CRUXEval's: it must agree with ours.
    const expected = IDS.filter((id) => recordedById.get(id)!.correct).length / IDS.length;
    expect(summary.output_correct).toBe(expected);
    for (const k of ["valid_format", "valid_json", "action_exact", "state_exact", "key_match", "key_value_match"]) {
      expect(summary[k]).toBeGreaterThanOrEqual(0);
      expect(summary[k]).toBeLessThanOrEqual(1);
    }
    // sample_382's comprehension returns a value with `\'`, which is not JSON.
    expect(summary.valid_json).toBe(0.75);
    // The table for people comes before the JSON line.
    expect(r.stdout).toContain("output correct");

    const results = (await readFile(out, "utf8")).trim().split("\n").map((l) => BenchResult.parse(JSON.parse(l)));
    expect(results.map((x) => x.id)).toEqual(IDS);
    const byId = new Map(results.map((x) => [x.id, x]));
    expect(byId.get("sample_0")!.metrics!.first_divergence).toBeNull();
    expect(byId.get("sample_4")!.metrics!.output_correct).toBe(false);
    expect(byId.get("sample_19")!.predicted!.frames).toBe(byId.get("sample_19")!.actual!.frames + 1);
    expect(byId.get("sample_0")!.halting!.agreement).toBe("agree");

    const html = await readFile(report, "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("#code=");
    expect(html).not.toMatch(/<script/i);
  });

  it("reports a bad dataset line and a program without a recording, scores the rest and exits 2", async () => {
    const r = await runCli(["bench", "--dataset", path.join(dir, "messy.jsonl"), "--replay", RECORDED, "--python", "python3", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("messy.jsonl line 2: not JSON");
    expect(r.stderr).toContain('no recorded generation for id "no_recording"');
    const stdout = r.stdout.trim().split("\n");
    const summary = JSON.parse(stdout[stdout.length - 1]);
    expect(summary.programs).toBe(2);
    expect(summary.errors).toBe(1);
  });

  it("scores a live vLLM backend (the fake server, real protocol) like the replay of the same generations", async () => {
    const server = await startFakeVllm({ replayFile: RECORDED, rate: Infinity });
    try {
      const r = await runCli(["bench", "--dataset", path.join(dir, "four.jsonl"), "--backend", "vllm", "--python", "python3", "--json", "--concurrency", "2"], {
        env: { CWM_VLLM_URL: server.url, CWM_VLLM_MODEL: "facebook/cwm" },
      });
      expect(r.stderr).toContain("bench 4/4");
      expect(r.code).toBe(0);
      const stdout = r.stdout.trim().split("\n");
      const summary = JSON.parse(stdout[stdout.length - 1]);
      expect(summary.programs).toBe(4);
      expect(summary.output_correct).toBe(IDS.filter((id) => recordedById.get(id)!.correct).length / IDS.length);
      expect(server.requests.filter((q) => q.path === "/v1/completions")).toHaveLength(4);
    } finally {
      await server.close();
    }
  });

  it("runs the embedded syntax-only baseline as a backend", async () => {
    const r = await runCli(["bench", "--dataset", path.join(dir, "four.jsonl"), "--backend", "baseline", "--python", "python3", "--json"]);
    expect(r.code).toBe(0);
    const stdout = r.stdout.trim().split("\n");
    expect(JSON.parse(stdout[stdout.length - 1]).programs).toBe(4);
  });

  it("says how to connect a backend that is not configured, exit 2", async () => {
    const r = await runCli(["bench", "--dataset", path.join(dir, "four.jsonl"), "--backend", "vllm", "--python", "python3"], { env: { CWM_VLLM_URL: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("CWM (vLLM) is not available");
    expect(r.stderr).toContain("CWM_VLLM_URL=");
  });

  it("honours --limit", async () => {
    const r = await runCli(["bench", "--dataset", path.join(dir, "four.jsonl"), "--replay", RECORDED, "--python", "python3", "--json", "--limit", "1"]);
    expect(r.code).toBe(0);
    const stdout = r.stdout.trim().split("\n");
    expect(JSON.parse(stdout[stdout.length - 1]).programs).toBe(1);
  });
});

describe.skipIf(!existsSync(CRUX) || !existsSync(RECORDED))("cwm bench with the default executor (Pyodide)", () => {
  it("scores programs and suggests --ignore-comprehensions for a Python that inlines them", async () => {
    const r = await runCli(["bench", "--dataset", CRUX, "--replay", RECORDED, "--limit", "3", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/ground truth Pyodide .*Python 3\.\d+/);
    const py = /Python 3\.(\d+)/.exec(r.stderr);
    if (py && Number(py[1]) >= 12) expect(r.stderr).toContain("consider --ignore-comprehensions");
    const stdout = r.stdout.trim().split("\n");
    expect(JSON.parse(stdout[stdout.length - 1]).programs).toBe(3);
    const quiet = await runCli(["bench", "--dataset", CRUX, "--replay", RECORDED, "--limit", "1", "--ignore-comprehensions"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain("consider --ignore-comprehensions");
  });
});

describe("cwm bench arguments", () => {
  it("exits 2 when neither or both of --backend and --replay are given", async () => {
    const none = await runCli(["bench", "--dataset", CRUX]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give exactly one of --backend and --replay");
    const both = await runCli(["bench", "--dataset", CRUX, "--backend", "baseline", "--replay", RECORDED]);
    expect(both.code).toBe(2);
  });

  it("exits 2 on an unreadable dataset or an unknown backend", async () => {
    const missing = await runCli(["bench", "--dataset", "/nonexistent/data.jsonl", "--replay", RECORDED]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the dataset /nonexistent/data.jsonl");
    const unknown = await runCli(["bench", "--dataset", CRUX, "--backend", "gpt"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--backend must be one of vllm, fastgen, baseline");
  });
});
