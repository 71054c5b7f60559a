/**
 * Every predictor's output obeys the executor's budgets (10,000 frames, 1,000 characters per
 * repr) and a total size; what is cut is labelled and what came before is kept. The CWM
 * backends are the fake servers speaking their real protocols, answering with oversized
 * generations.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN_DEF } from "@/lib/cwm/program";
import { TOK } from "@/lib/cwm/tokens";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { OUTPUT_BUDGETS } from "@/lib/predictors/budget";
import { createFastgenPredictor } from "@/lib/predictors/fastgen";
import { createReplayPredictor } from "@/lib/predictors/replay";
import type { Predictor } from "@/lib/predictors/types";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import type { PredictedTrace } from "@/lib/trace/schema";
import { startFakeFastgen, type FakeFastgen } from "@/test/fakes/fastgen";
import { writeFixtureTokenizer } from "@/test/fakes/tokenizer-fixture";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";

const settings = { temperature: 0, max_tokens: 1_000_000 };
const CODE = "x = 1";
const line = (locals: string) => `${TOK.LINE}${locals}${TOK.ACTION}    x = 1\n${TOK.FRAME}`;
const ending = `${TOK.RETURN}${TOK.ACTION}    x = 1\n${TOK.ARG}"None"${TOK.FRAME}${TOK.EOS}`;
/** 12,000 line frames: more than the frame budget. */
const MANY_FRAMES = line("{}").repeat(12_000) + ending;
/** One local of 5,000 characters: more than the repr budget. */
const LONG_REPR = line(`{"x": "${"a".repeat(5_000)}"}`) + ending;
/** Frames of 40,000-character locals: the size budget is reached long before 10,000 frames. */
const HUGE = line(`{"x": "${"b".repeat(999)}", ${Array.from({ length: 40 }, (_, i) => `"v${i}": "${"c".repeat(999)}"`).join(", ")}}`).repeat(150) + ending;

/** What the budget counts: each frame as JSON, and the raw text. */
function jsonSize(p: PredictedTrace): number {
  return p.frames.reduce((n, f) => n + JSON.stringify(f).length, 0) + p.raw.length;
}

function expectCut(p: PredictedTrace, why: RegExp): void {
  expect(p.finish).toBe("length");
  expect(p.status).toBe("incomplete");
  expect(p.message).toMatch(/output budget/);
  expect(p.message).toMatch(why);
  expect(p.frames.length).toBeGreaterThan(1);
  expect(p.frames.length).toBeLessThanOrEqual(OUTPUT_BUDGETS.maxFrames);
  expect(jsonSize(p)).toBeLessThanOrEqual(OUTPUT_BUDGETS.maxOutputChars);
}

let tokenizerPath: string;
const servers: Array<{ close(): Promise<void> }> = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-budgets-"));

beforeAll(() => {
  tokenizerPath = writeFixtureTokenizer(tmp);
});
afterAll(async () => {
  for (const s of servers) await s.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function vllmAnswering(generation: string): Promise<{ fake: FakeServer; predictor: Predictor }> {
  const fake = await startFakeVllm({ script: { lookup: null, fallback: generation }, rate: Infinity });
  servers.push(fake);
  const predictor = createVllmPredictor({ url: fake.url, timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 } });
  return { fake, predictor };
}

async function fastgenAnswering(generation: string): Promise<{ fake: FakeFastgen; predictor: Predictor }> {
  const fake = await startFakeFastgen({ tokenizerPath, script: { lookup: null, fallback: generation } });
  servers.push(fake);
  return { fake, predictor: createFastgenPredictor({ url: fake.url, tokenizerPath, timeouts: { requestMs: 30_000 } }) };
}

function replayOf(generation: string): Predictor {
  const file = path.join(tmp, `replay-${Math.random().toString(36).slice(2)}.jsonl`);
  fs.writeFileSync(file, `${JSON.stringify({ id: "big", code: CODE, generation })}\n`);
  return createReplayPredictor(file);
}

async function predictWith(p: Predictor, code = CODE): Promise<{ trace: PredictedTrace; streamed: number }> {
  let streamed = 0;
  const trace = await p.predict({ code, settings }, (e) => {
    if (e.type === "frame") streamed++;
  });
  return { trace, streamed };
}

describe("the frame budget", () => {
  it("cuts a vLLM stream at 10,000 frames, keeps them, and closes the upstream request", async () => {
    const { fake, predictor } = await vllmAnswering(MANY_FRAMES);
    const { trace, streamed } = await predictWith(predictor);
    expectCut(trace, /10,000 frames/);
    expect(trace.frames).toHaveLength(OUTPUT_BUDGETS.maxFrames);
    expect(streamed).toBe(OUTPUT_BUDGETS.maxFrames);
    expect(trace.frames[0].source).toBe(MAIN_DEF);
    // The close reaches the fake a moment later; on a loaded machine, more than a moment.
    await expect.poll(() => fake.active, { timeout: 5_000 }).toBe(0);
  });

  it("cuts a Fastgen reply at 10,000 frames", async () => {
    const { predictor } = await fastgenAnswering(MANY_FRAMES);
    expectCut((await predictWith(predictor)).trace, /10,000 frames/);
  });

  it("cuts a recorded generation at 10,000 frames", async () => {
    expectCut((await predictWith(replayOf(MANY_FRAMES))).trace, /10,000 frames/);
  });

  it("cuts the baseline on 30,000 identical lines at 10,000 frames", async () => {
    const { trace } = await predictWith(createBaselinePredictor(), "x\n".repeat(30_000));
    expectCut(trace, /10,000 frames/);
  });
});

describe("the repr budget", () => {
  it.each([
    ["vLLM", async () => (await vllmAnswering(LONG_REPR)).predictor],
    ["Fastgen", async () => (await fastgenAnswering(LONG_REPR)).predictor],
    ["replay", async () => replayOf(LONG_REPR)],
  ])("truncates a 5,000-character value from %s the way the executor does", async (_name, make) => {
    const { trace } = await predictWith(await make());
    const v = trace.frames[1].locals!.x;
    expect(v).toBe(`${"a".repeat(OUTPUT_BUDGETS.maxReprChars)}…[truncated 4000 chars]`);
    expect(trace.finish).toBe("eos");
    expect(trace.status).toBe("returned");
  });

  it("truncates the baseline's long literal", async () => {
    const { trace } = await predictWith(createBaselinePredictor(), `x = '${"q".repeat(3_000)}'`);
    expect(trace.frames.at(-1)!.value ?? trace.frames[2].locals!.x).toBeDefined();
    for (const f of trace.frames) for (const v of Object.values(f.locals ?? {})) expect(v.length).toBeLessThanOrEqual(OUTPUT_BUDGETS.maxReprChars + 40);
  });
});

describe("the total size budget", () => {
  it("cuts a recorded generation of huge frames at 4 MiB and keeps what came before", async () => {
    const { trace } = await predictWith(replayOf(HUGE));
    expectCut(trace, /MiB of output/);
    expect(trace.frames.length).toBeLessThan(150);
  });

  it("answers 1,500 lines of v{i}=1 with the baseline in 4 MiB, not 32 MB", async () => {
    const code = Array.from({ length: 1500 }, (_, i) => `v${i}=1`).join("\n");
    const { trace } = await predictWith(createBaselinePredictor(), code);
    expectCut(trace, /MiB of output/);
  });

  it("leaves a prediction inside the budgets untouched", async () => {
    const { trace } = await predictWith(createBaselinePredictor(), "a = 1\nb = 'x'\nc = a");
    expect(trace).toMatchObject({ finish: "eos", status: "returned", valid_format: true });
    expect(trace.message).toBeUndefined();
  });
});
