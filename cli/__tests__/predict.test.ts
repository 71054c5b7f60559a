import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PredictedTrace } from "@/lib/trace/schema";
import { DATA_DIR, readJsonl, type RecordedLine } from "@/lib/cwm/__tests__/data";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";

const run = promisify(execFile);
const repo = path.resolve(__dirname, "../..");
const SAMPLE8 = path.join(DATA_DIR, "cwm-recorded/cruxeval-sample8.jsonl");
const samples = readJsonl<RecordedLine>("cwm-recorded/cruxeval-sample8.jsonl");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-predict-cli-"));

function cli(args: string[]) {
  return run("npx", ["tsx", "cli/main.ts", "predict", ...args], { cwd: repo, env: { ...process.env, CWM_VLLM_URL: "" } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe("cwm predict", () => {
  let vllm: FakeServer;
  beforeAll(async () => {
    vllm = await startFakeVllm({ replayFile: SAMPLE8 });
  });
  afterAll(async () => vllm?.close());

  it("predicts a file with the fake vLLM and prints the trace JSON", async () => {
    const d = samples[0];
    const file = path.join(tmp, "s0.py");
    fs.writeFileSync(file, d.code);
    const r = await cli([file, "--call", `f(${d.input})`, "--backend", "vllm", "--url", vllm.url]);
    expect(r.code).toBe(0);
    const t = PredictedTrace.parse(JSON.parse(r.stdout));
    expect(t).toMatchObject({ status: "returned", result: d.predicted, predictor: { id: "cwm-vllm", model: "facebook/cwm" }, finish: "eos", valid_format: true, valid_json: true });
  }, 60_000);

  it("prints the model's own text with --format cwm", async () => {
    const d = samples[0];
    const file = path.join(tmp, "s0.py");
    fs.writeFileSync(file, d.code);
    const r = await cli([file, "--call", `f(${d.input})`, "--backend", "vllm", "--url", vllm.url, "--format", "cwm"]);
    expect(`${r.stdout.trimEnd()}<|end_of_text|>`).toBe(d.generation);
  }, 60_000);

  it("runs the baseline on a script", async () => {
    const file = path.join(tmp, "script.py");
    fs.writeFileSync(file, "x = 1\nfor i in range(3):\n    x += i\nprint(x)\n");
    const r = await cli([file, "--backend", "baseline"]);
    const t = PredictedTrace.parse(JSON.parse(r.stdout));
    expect(t.predictor.label).toBe("Syntax-only baseline (not a model)");
    expect(t.frames.map((f) => f.line)).toEqual([0, 1, 2, 3, 4, 4]);
    expect(t.frames[2].locals).toEqual({ x: "1" });
  }, 60_000);

  it("replays a CRUXEval batch in input order with one line per input", async () => {
    const out = path.join(tmp, "out.jsonl");
    const r = await cli(["--jsonl", SAMPLE8, "--replay", SAMPLE8, "--concurrency", "3", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/predict: 8\/8/);
    const lines = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; result: string | null; frames: unknown[] });
    expect(lines.map((l) => l.id)).toEqual(samples.map((d) => d.id));
    expect(lines.map((l) => l.result)).toEqual(samples.map((d) => d.predicted));
  }, 60_000);

  it("explains a bad invocation with exit code 2", async () => {
    const file = path.join(tmp, "ok.py");
    fs.writeFileSync(file, "x = 1\n");
    const r = await cli([file, "--backend", "gpt"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--backend must be vllm, fastgen or baseline/);
    const r2 = await cli(["--jsonl", path.join(tmp, "missing.jsonl"), "--backend", "baseline"]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/cannot read/);
  }, 60_000);
});
