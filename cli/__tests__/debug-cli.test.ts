/**
 * `cwm debug --script` and `cwm predict --stepwise` as a person runs them, against a fake vLLM
 * that continues a recorded generation frame by frame, with reality traced in Pyodide.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOK } from "@/lib/cwm/tokens";
import { PredictedTrace } from "@/lib/trace/schema";
import { parseCommand, splitScript, type Entry } from "@/cli/debug";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";
import { runCli } from "./run-cli";

const CODE = "def sq(x):\n    return x * x\n\ndef f(n):\n    t = sq(n)\n    return t + 1\n";
// The model gets sq right but adds 2 at the end: a divergence the session must show.
const GENERATION = [
  `${TOK.LINE}{}${TOK.ACTION}    return f(3)\n${TOK.FRAME}`,
  `${TOK.CALL}{"n": "3"}${TOK.ACTION}def f(n):\n${TOK.FRAME}`,
  `${TOK.LINE}{"n": ".."}${TOK.ACTION}    t = sq(n)\n${TOK.FRAME}`,
  `${TOK.CALL}{"x": "3"}${TOK.ACTION}def sq(x):\n${TOK.FRAME}`,
  `${TOK.LINE}{"x": ".."}${TOK.ACTION}    return x * x\n${TOK.FRAME}`,
  `${TOK.RETURN}${TOK.ACTION}    return x * x\n${TOK.ARG}"9"${TOK.FRAME}`,
  `${TOK.LINE}{"n": "..", "t": "9"}${TOK.ACTION}    return t + 1\n${TOK.FRAME}`,
  `${TOK.RETURN}${TOK.ACTION}    return t + 1\n${TOK.ARG}"11"${TOK.FRAME}`,
  `${TOK.RETURN}${TOK.ACTION}    return f(3)\n${TOK.ARG}"11"${TOK.FRAME}`,
  TOK.EOS,
].join("");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-debug-cli-"));
const file = path.join(tmp, "two.py");
const replay = path.join(tmp, "replay.jsonl");
fs.writeFileSync(file, CODE);
fs.writeFileSync(replay, `${JSON.stringify({ id: "two", code: CODE, call: "f(3)", generation: GENERATION })}\n`);

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeVllm({ replayFile: replay, seed: 3 });
});
afterAll(async () => fake?.close());

const entries = (stdout: string): Entry[] =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Entry);

describe("cwm debug --script", () => {
  it("runs cwmdbg's verbs and prints model and reality side by side as JSON lines", async () => {
    const r = await runCli(["debug", file, "--call", "f(3)", "--backend", "vllm", "--url", fake.url, "--script", "s,s,s,n,p t,o,b,c"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const e = entries(r.stdout);
    expect(e.map((x) => x.cmd)).toEqual(["s", "s", "s", "n", "p t", "o", "b", "c"]);
    expect(e[2]).toMatchObject({ ok: true, index: 3, model: { event: "line", line: 5, locals: { n: "3" } }, real: { event: "line", line: 5, locals: { n: "3" } } });
    // next steps over sq: the model's call frame, its predicted return, then f's next line.
    expect(e[3]).toMatchObject({ index: 6, model: { event: "line", line: 6, locals: { t: "9" } }, real: { event: "line", line: 6, locals: { t: "9" } } });
    expect(e[4]).toMatchObject({ value: { model: "9", real: "9" } });
    expect(e[5]).toMatchObject({ model: { event: "return", source: "    return f(3)", value: "11" }, real: { event: "return", value: "10" } });
    expect(e[6].index).toBe(e[5].index! - 1);
    expect(e[7]).toMatchObject({ done: true });
  }, 120_000);

  it("set writes a value on both sides: reality re-runs with it, the model continues from it", async () => {
    const r = await runCli(["debug", file, "--call", "f(3)", "--backend", "vllm", "--url", fake.url, "--script", "s,s,s,set n=5,n,p t"]);
    expect(r.code).toBe(0);
    const e = entries(r.stdout);
    expect(e[3]).toMatchObject({ ok: true, edit: { name: "n", repr: "5", real: { applied: true, repr: "5" } }, model: { locals: { n: "5" } }, real: { locals: { n: "5" } } });
    // Reality computed sq(5); the fake model keeps following its recording (9): both futures shown.
    expect(e[5]).toMatchObject({ value: { model: "9", real: "25" } });
    expect(fake.prompts.some((p) => typeof p === "string" && p.includes(`{"n": "5"}${TOK.ACTION}    t = sq(n)`))).toBe(true);
  }, 120_000);

  it("reports a bad command on its line and goes on (exit 1)", async () => {
    const r = await runCli(["debug", file, "--call", "f(3)", "--backend", "vllm", "--url", fake.url, "--script", "s,jump,set 9=1,s"]);
    expect(r.code).toBe(1);
    const e = entries(r.stdout);
    expect(e[1]).toMatchObject({ ok: false, error: expect.stringMatching(/unknown command/) });
    expect(e[2]).toMatchObject({ ok: false, error: expect.stringMatching(/NAME=EXPR/) });
    expect(e[3]).toMatchObject({ ok: true, index: 2 });
  }, 120_000);

  it("refuses the syntax baseline with a reason (exit 2)", async () => {
    const r = await runCli(["debug", file, "--call", "f(3)", "--backend", "baseline", "--script", "s"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be driven one frame at a time/);
  }, 60_000);
});

describe("cwm predict --stepwise", () => {
  it("predicts one frame per request and prints the same trace as the one-shot path", async () => {
    const completions = () => fake.requests.filter((r) => r.path === "/v1/completions").length;
    const before = completions();
    const one = await runCli(["predict", file, "--call", "f(3)", "--backend", "vllm", "--url", fake.url]);
    const step = await runCli(["predict", file, "--call", "f(3)", "--backend", "vllm", "--url", fake.url, "--stepwise"]);
    expect(step.code).toBe(0);
    const a = PredictedTrace.parse(JSON.parse(one.stdout));
    const b = PredictedTrace.parse(JSON.parse(step.stdout));
    expect(b.frames).toEqual(a.frames);
    expect({ ...b, elapsed_ms: 0, tokens: undefined }).toEqual({ ...a, elapsed_ms: 0, tokens: undefined });
    // One one-shot request, then one per frame plus the one that read EOS.
    expect(completions() - before).toBe(1 + (a.frames.length - 1) + 1);
  }, 120_000);
});

describe("debug commands", () => {
  it("reads the cwmdbg verbs and their long forms", () => {
    expect(parseCommand("n")).toEqual({ kind: "verb", verb: { verb: "next" } });
    expect(parseCommand("continue 12")).toEqual({ kind: "verb", verb: { verb: "continue", line: 12 } });
    expect(parseCommand("print xs")).toEqual({ kind: "print", name: "xs" });
    expect(parseCommand("set xs = [1, 2]")).toEqual({ kind: "set", name: "xs", expr: "[1, 2]" });
  });

  it("splits a script at commas outside brackets and quotes", () => {
    expect(splitScript("s, set xs=[1, 2], set s='a,b', c 4")).toEqual(["s", "set xs=[1, 2]", "set s='a,b'", "c 4"]);
  });
});
