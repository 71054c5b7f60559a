import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";
import { startFakeFastgen, type FakeFastgen } from "@/test/fakes/fastgen";
import { parseTokenizerModel } from "@/lib/cwm/tokenizer";
import { writeFixtureTokenizer } from "@/test/fakes/tokenizer-fixture";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import { createFastgenPredictor } from "@/lib/predictors/fastgen";
import { predictStepwise } from "@/lib/predictors/stepwise";
import { callOf } from "@/lib/predictors/replay";
import type { Predictor } from "@/lib/predictors/types";
import { requireSharedData } from "@/test/shared-data";

const RECORDED = requireSharedData("cwm-recorded/cruxeval-800.jsonl");
const lines = fs
  .readFileSync(RECORDED, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; code: string; input: string });
// Every 8th program keeps the suite quick; `npm run cwm -- predict --jsonl … --stepwise` checks all 800.
const SAMPLE = lines.filter((_, i) => i % 8 === 0);
const timeouts = { connectMs: 5000, firstTokenMs: 5000, idleMs: 5000 };
const settings = { temperature: 0, max_tokens: 8192 };

/** Timing and token counts differ by nature; a server may or may not write the EOS it stopped on. */
function strip<T extends { elapsed_ms?: number; tokens?: unknown; requests?: number; raw: string }>(t: T) {
  const { elapsed_ms: _e, tokens: _t, requests: _r, ...rest } = t;
  return { ...rest, raw: rest.raw.replace(/<\|end_of_text\|>$/, "") };
}

async function sameAsOneShot(p: Predictor, ids: typeof SAMPLE): Promise<number> {
  let requests = 0;
  for (const x of ids) {
    const input = { code: x.code, call: callOf(x), settings };
    const one = await p.predict(input, () => {});
    const step = await predictStepwise(p, input);
    expect(strip(step), x.id).toEqual(strip(one));
    requests += step.requests;
  }
  return requests;
}

describe.each([
  { name: "vLLM, stop token text absent, stop_reason given", stopTokenText: false, reportStopReason: true },
  { name: "vLLM, stop token text written, no stop_reason", stopTokenText: true, reportStopReason: false },
  { name: "vLLM, neither text nor stop_reason", stopTokenText: false, reportStopReason: false },
])("stepwise = one-shot over $name", ({ stopTokenText, reportStopReason }) => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeVllm({ replayFile: RECORDED, stopTokenText, reportStopReason, seed: 7 });
  });
  afterAll(async () => fake?.close());

  it(`gives the one-shot trace on ${SAMPLE.length} recorded CRUXEval programs, one request per frame`, async () => {
    const p = createVllmPredictor({ url: fake.url, model: "facebook/cwm", timeouts });
    const requests = await sameAsOneShot(p, SAMPLE);
    expect(requests).toBeGreaterThan(SAMPLE.length * 3);
    const step = fake.requests.filter((r) => (r.body as { stop_token_ids?: number[] }).stop_token_ids?.includes(128100));
    expect(step.length).toBe(requests);
    for (const r of step) expect(r.body).toMatchObject({ stop_token_ids: [128001, 128100], skip_special_tokens: false, temperature: 0 });
  }, 120_000);
});

describe("stepwise = one-shot over Fastgen (token ids, stop id kept in the reply's tokens)", () => {
  let fake: FakeFastgen;
  let tokPath: string;
  beforeAll(async () => {
    tokPath = writeFixtureTokenizer();
    fake = await startFakeFastgen({ tokenizerPath: tokPath, replayFile: RECORDED });
  });
  afterAll(async () => fake?.close());

  it("gives the one-shot trace on the first 20 sampled programs and sends stop as cwmdbg does", async () => {
    const p = createFastgenPredictor({ url: fake.url, tokenizerPath: tokPath, timeouts: { requestMs: 5000 } });
    await sameAsOneShot(p, SAMPLE.slice(0, 20));
    const step = fake.requests.filter((r) => (r.body as { stop?: unknown }).stop !== undefined);
    expect(step.length).toBeGreaterThan(20);
    // The fixture tokenizer is small, so its <|frame_sep|> id is its own, not 128100.
    const frameSep = parseTokenizerModel(fs.readFileSync(tokPath, "utf8")).specialIds.get("<|frame_sep|>");
    for (const r of step) expect((r.body as { stop: unknown }).stop).toBe(frameSep);
  }, 120_000);
});
