import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRIC_KEYS } from "@/lib/compare/metrics";
import { actual, inlined, predicted, sumTrace, withListcomp } from "@/lib/compare/__tests__/build";
import { runCli } from "./run-cli";

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cwm-compare-"));
  await writeFile(file("actual.json"), JSON.stringify(actual(sumTrace(2))));
  // The model predicts a third iteration (the golden "extra loop iteration" case).
  await writeFile(file("predicted.json"), JSON.stringify(predicted(sumTrace(2, [0, 1, 2]))));
  await writeFile(file("same-canonical.json"), JSON.stringify(actual(sumTrace(2))));
  await writeFile(file("jsonl-line.json"), JSON.stringify({ id: "sample_1", ...actual(sumTrace(2)) }));
  await writeFile(file("inlined.json"), JSON.stringify(actual(inlined())));
  await writeFile(file("listcomp.json"), JSON.stringify(predicted(withListcomp())));
  await writeFile(file("not-json.json"), "{ this is not json");
  await writeFile(file("wrong-shape.json"), JSON.stringify({ frames: "nope" }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("cwm compare (child process)", () => {
  it("prints one JSON object with exactly comparison.md's keys", async () => {
    const r = await runCli(["compare", "--actual", file("actual.json"), "--predicted", file("predicted.json")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const m = JSON.parse(lines[0]);
    expect(Object.keys(m)).toEqual([...METRIC_KEYS]);
    // Same figures as the golden test: 9/14 actions and states, 10/14 keys, 9.5/14 pairs.
    expect(m.action_exact).toBeCloseTo(9 / 14, 12);
    expect(m.state_exact).toBeCloseTo(9 / 14, 12);
    expect(m.key_match).toBeCloseTo(10 / 14, 12);
    expect(m.key_value_match).toBeCloseTo(9.5 / 14, 12);
    expect(m.first_divergence).toBe(9);
    expect(m.output_correct).toBe(false);
  });

  it("accepts a bare canonical trace as the prediction, with valid format and JSON", async () => {
    const r = await runCli(["compare", "--actual", file("actual.json"), "--predicted", file("same-canonical.json")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      valid_format: true,
      valid_json: true,
      action_exact: 1,
      state_exact: 1,
      key_match: 1,
      key_value_match: 1,
      output_correct: true,
      first_divergence: null,
    });
  });

  it("accepts a line of `cwm trace --jsonl` output (a trace with its id)", async () => {
    const r = await runCli(["compare", "--actual", file("jsonl-line.json"), "--predicted", file("same-canonical.json")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).first_divergence).toBeNull();
  });

  it("exits 2 naming the file when it is not JSON", async () => {
    const r = await runCli(["compare", "--actual", file("not-json.json"), "--predicted", file("predicted.json")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("not-json.json is not JSON");
  });

  it("exits 2 saying which field is wrong when the JSON is not a trace", async () => {
    const r = await runCli(["compare", "--actual", file("actual.json"), "--predicted", file("wrong-shape.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("wrong-shape.json is neither a predicted trace");
    expect(r.stderr).toContain("frames");
  });

  it("exits 2 when a file cannot be read or a flag is missing", async () => {
    const missing = await runCli(["compare", "--actual", file("nope.json"), "--predicted", file("predicted.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the actual file");
    const noFlag = await runCli(["compare", "--actual", file("actual.json")]);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain("--actual and --predicted are both required");
  });

  it("ignores comprehension frames when asked", async () => {
    const args = ["compare", "--actual", file("inlined.json"), "--predicted", file("listcomp.json")];
    const plain = await runCli(args);
    expect(JSON.parse(plain.stdout).first_divergence).toBe(4);
    const ignoring = await runCli([...args, "--ignore-comprehensions"]);
    expect(ignoring.code).toBe(0);
    expect(JSON.parse(ignoring.stdout).first_divergence).toBeNull();
  });
});
