import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { streamPrediction, PredictRequestError } from "@/lib/predictors/client";
import type { PredictEvent, PredictRequest } from "@/lib/predictors/protocol";
import { readJsonl, type RecordedLine } from "@/lib/cwm/__tests__/data";
import { startStack, type Stack } from "@/test/fakes/stack";

const samples = readJsonl<RecordedLine>("cwm-recorded/cruxeval-sample8.jsonl");
const s0 = samples.find((d) => d.id === "sample_0")!;
let stack: Stack;
let n = 0;

const req = (predictor: string, d = s0, extra: Partial<PredictRequest> = {}): PredictRequest => ({
  runId: `run-${++n}`,
  predictor,
  code: d.code,
  call: `f(${d.input})`,
  ...extra,
});

async function run(r: PredictRequest) {
  const events: PredictEvent[] = [];
  const trace = await streamPrediction(r, (e) => events.push(e), undefined, { baseUrl: stack.url });
  return { trace, events };
}

beforeAll(async () => {
  stack = await startStack({ timeouts: { firstTokenMs: 400, idleMs: 400 } });
});
afterAll(async () => stack?.close());
beforeEach(() => {
  stack.vllm.options.mode = "none";
  stack.fastgen.options.mode = "none";
  stack.cache.map.clear();
});

describe("streamPrediction against the fake vLLM through the route", () => {
  it("streams start, every frame and end, and rebuilds the recorded prediction", async () => {
    const { trace, events } = await run(req("cwm-vllm"));
    expect(events[0]).toMatchObject({ type: "start", predictor: { id: "cwm-vllm", model: "facebook/cwm", kind: "cwm" } });
    expect(events.at(-1)).toMatchObject({ type: "end", summary: { finish: "eos", status: "returned", cached: false } });
    expect(events.filter((e) => e.type === "frame")).toHaveLength(s0.n_pred_frames + 1);
    expect(trace).toMatchObject({ status: "returned", result: s0.predicted, valid_format: true, valid_json: true, finish: "eos" });
    expect(trace.frames).toHaveLength(s0.n_pred_frames + 1);
    expect(trace.tokens?.completion).toBeGreaterThan(0);
    expect(trace.raw + "<|end_of_text|>").toBe(s0.generation);
  });

  it("sends the vLLM request the spec asks for", async () => {
    await run(req("cwm-vllm"));
    const body = stack.vllm.requests.filter((r) => r.path === "/v1/completions").at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "facebook/cwm",
      stream: true,
      skip_special_tokens: false,
      spaces_between_special_tokens: false,
      stop_token_ids: [128001],
      temperature: 0,
      max_tokens: 4096,
    });
    expect(body.prompt).toMatch(/^<\|trace_context_start\|>\ndef f\(nums\):/);
    expect(body.prompt).toMatch(/<\|frame_sep\|><\|call_sep\|>\{\}<\|action_sep\|>def main\(\):\n<\|frame_sep\|>$/);
  });

  it("parses a stream whose events split special tokens", async () => {
    stack.vllm.options.splitSpecial = true;
    try {
      const { trace } = await run(req("cwm-vllm"));
      expect(trace).toMatchObject({ status: "returned", result: s0.predicted, valid_format: true });
    } finally {
      stack.vllm.options.splitSpecial = false;
    }
  });

  it("drops events of another run id", async () => {
    const seen: PredictEvent[] = [];
    const r = req("baseline-syntax");
    const fetchOther: typeof fetch = (input, init) => {
      const body = JSON.parse(String(init?.body)) as PredictRequest;
      return fetch(input, { ...init, body: JSON.stringify({ ...body, runId: "someone-else" }) });
    };
    const trace = await streamPrediction(r, (e) => seen.push(e), undefined, { baseUrl: stack.url, fetch: fetchOther });
    expect(seen).toEqual([]);
    expect(trace).toMatchObject({ status: "incomplete", message: expect.stringContaining("closed the stream") });
  });

  it("serves a second greedy request from the cache without calling the backend", async () => {
    await run(req("cwm-vllm"));
    const calls = stack.vllm.requests.length;
    const { trace, events } = await run(req("cwm-vllm"));
    expect(stack.vllm.requests.length).toBe(calls);
    expect(events.at(-1)).toMatchObject({ type: "end", summary: { cached: true } });
    expect(trace).toMatchObject({ status: "returned", result: s0.predicted, cached: true });
    expect(trace.frames).toHaveLength(s0.n_pred_frames + 1);
  });

  it("does not cache sampled predictions", async () => {
    const puts = stack.cache.puts;
    await run(req("cwm-vllm", s0, { settings: { temperature: 0.6, top_p: 0.95 } }));
    expect(stack.cache.puts).toBe(puts);
    expect(stack.cache.map.size).toBe(0);
  });
});

describe("failures keep what was predicted and say what happened", () => {
  it("backend down", async () => {
    stack.vllm.options.mode = "down";
    const { trace } = await run(req("cwm-vllm"));
    expect(trace).toMatchObject({ status: "incomplete", finish: "error", message: expect.stringMatching(/cannot reach the CWM server/) });
    expect(trace.frames).toHaveLength(1); // the seeded main frame
  });

  it("refused key (401)", async () => {
    stack.vllm.options.mode = "401";
    const { trace } = await run(req("cwm-vllm"));
    expect(trace.message).toMatch(/refused the request \(401\); check CWM_VLLM_API_KEY/);
    expect(trace.finish).toBe("error");
  });

  it("busy backend (429) and server error (500)", async () => {
    stack.vllm.options.mode = "429";
    expect((await run(req("cwm-vllm"))).trace.message).toMatch(/busy \(429\), retry after 3 s/);
    stack.vllm.options.mode = "500";
    expect((await run(req("cwm-vllm"))).trace.message).toMatch(/failed \(500\).*CUDA out of memory/);
  });

  it("first-token timeout closes the upstream request", async () => {
    stack.vllm.options.mode = "slow-first-token";
    stack.vllm.options.firstTokenDelayMs = 3_000;
    const aborted = stack.vllm.aborted;
    const { trace } = await run(req("cwm-vllm"));
    expect(trace).toMatchObject({ finish: "error", status: "incomplete", message: expect.stringMatching(/no token within 400 ms/) });
    await expect.poll(() => stack.vllm.aborted).toBe(aborted + 1);
  });

  it("stream cut mid-frame keeps the frames before the cut", async () => {
    stack.vllm.options.mode = "cut";
    const { trace } = await run(req("cwm-vllm"));
    expect(trace).toMatchObject({ finish: "error", status: "incomplete", message: expect.stringMatching(/closed the connection in the middle/) });
    expect(trace.frames.length).toBe(2);
    expect(trace.frames[1]).toMatchObject({ event: "line", source: `    return f(${s0.input})` });
    expect(trace.raw.length).toBeGreaterThan(0);
  });

  it("malformed output is kept as invalid frames", async () => {
    stack.vllm.options.mode = "garbage";
    const { trace } = await run(req("cwm-vllm"));
    expect(trace.valid_format).toBe(false);
    expect(trace.frames.some((f) => f.invalid && f.raw)).toBe(true);
    expect(trace.status).toBe("incomplete");
  });

  it("a bad request is an HTTP error with a clear message", async () => {
    await expect(run(req("no-such"))).rejects.toThrow(/unknown predictor "no-such"/);
    const err = await run({ ...req("cwm-vllm"), code: "x".repeat(70_000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PredictRequestError);
    expect((err as PredictRequestError).status).toBe(422);
  });

  it("the user stopping a prediction closes the upstream request", async () => {
    stack.vllm.options.mode = "slow-first-token";
    stack.vllm.options.firstTokenDelayMs = 3_000;
    const ac = new AbortController();
    const aborted = stack.vllm.aborted;
    const p = streamPrediction(req("cwm-vllm"), () => ac.abort(), ac.signal, { baseUrl: stack.url }).catch((e: unknown) => e);
    const out = await p;
    expect(out).toMatchObject({ status: "incomplete", finish: "stopped" });
    await expect.poll(() => stack.vllm.aborted, { timeout: 3_000 }).toBe(aborted + 1);
  });
});

describe("other predictors through the same route", () => {
  it("Fastgen: token ids in, tokens decoded, never temperature 0", async () => {
    const { trace } = await run(req("cwm-fastgen"));
    expect(trace).toMatchObject({ status: "returned", result: s0.predicted, finish: "eos", valid_format: true });
    const body = stack.fastgen.requests.at(-1)!.body as { prompt: number[]; temperature: number };
    expect(Array.isArray(body.prompt)).toBe(true);
    expect(body.temperature).toBeGreaterThan(0);
    expect(body.temperature).toBeLessThan(0.001);
  });

  it("Fastgen failures: down and cut reply", async () => {
    stack.fastgen.options.mode = "down";
    expect((await run(req("cwm-fastgen"))).trace.message).toMatch(/cannot reach/);
    stack.fastgen.options.mode = "cut";
    expect((await run(req("cwm-fastgen"))).trace.message).toMatch(/not JSON|closed/);
  });

  it("baseline: labelled as not a model, same shape", async () => {
    const { trace, events } = await run(req("baseline-syntax"));
    expect(events[0]).toMatchObject({ predictor: { label: "Syntax-only baseline (not a model)", kind: "baseline" } });
    expect(trace).toMatchObject({ status: "returned", valid_format: true, predictor: { id: "baseline-syntax" } });
  });

  it("replay: the recorded generation for the code", async () => {
    const d = samples.find((x) => x.id === "sample_19")!;
    const { trace } = await run(req("replay", d));
    expect(trace.frames).toHaveLength(d.n_pred_frames + 1);
    expect(trace.result).toBe(d.predicted);
  });

  it("lists the predictors for the chooser", async () => {
    const res = await fetch(`${stack.url}/api/predictors`);
    const body = (await res.json()) as { predictors: Array<{ id: string; available: boolean; kind: string }> };
    expect(body.predictors.map((p) => p.id)).toEqual(["cwm-vllm", "cwm-fastgen", "baseline-syntax", "replay"]);
    expect(body.predictors.every((p) => p.available)).toBe(true);
  });
});
