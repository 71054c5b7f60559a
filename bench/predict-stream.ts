/**
 * Streaming overhead of the predict path. The fake vLLM streams a long generation at a fixed
 * token rate; in the same run we measure (1) a bare reader of the raw SSE stream and (2) the full
 * path: route handler over real HTTP, parser, NDJSON to a client. Prints both, their ratio
 * (goal ≤ 1.05) and the delay from a frame's last token leaving the fake to that frame reaching
 * the client (p50/p99).
 *
 *   npx tsx bench/predict-stream.ts [--rate 2000] [--frames 600] [--runs 3]
 */
import { performance } from "node:perf_hooks";
import { serializeTrace } from "@/lib/cwm/serialize";
import { buildPrompt } from "@/lib/cwm/prompt";
import { streamPrediction } from "@/lib/predictors/client";
import { createPredictHandler } from "@/lib/predictors/handler";
import { createRegistry } from "@/lib/predictors/registry";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import type { Frame } from "@/lib/trace/schema";
import { serveRoutes } from "@/test/http-harness";
import { startFakeVllm } from "@/test/fakes/vllm";
import { argValue } from "@/test/fakes/common";
import { percentile } from "./server";

const argv = process.argv.slice(2);
const RATE = Number(argValue(argv, "--rate") ?? 2000);
const FRAMES = Number(argValue(argv, "--frames") ?? 600);
const RUNS = Number(argValue(argv, "--runs") ?? 3);

// A loop of FRAMES line frames: long enough to stream for a few seconds at RATE.
const code = "def f(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total";
const call = `f(${FRAMES})`;
const frames: Frame[] = [
  { event: "call", line: 6, source: "def main():", locals: {} },
  { event: "line", line: 7, source: `    return ${call}`, locals: {} },
  { event: "call", line: 1, source: "def f(n):", locals: { n: String(FRAMES) } },
  { event: "line", line: 2, source: "    total = 0", locals: { n: String(FRAMES) } },
];
let total = 0;
for (let i = 0; i < FRAMES / 2; i++) {
  frames.push({ event: "line", line: 3, source: "    for i in range(n):", locals: { n: String(FRAMES), total: String(total), ...(i ? { i: String(i - 1) } : {}) } });
  frames.push({ event: "line", line: 4, source: "        total += i", locals: { n: String(FRAMES), total: String(total), i: String(i) } });
  total += i;
}
frames.push({ event: "line", line: 5, source: "    return total", locals: { n: String(FRAMES), total: String(total), i: String(FRAMES / 2 - 1) } });
frames.push({ event: "return", line: 5, source: "    return total", value: String(total) });
frames.push({ event: "return", line: 7, source: `    return ${call}`, value: String(total) });
const generation = serializeTrace({ frames, status: "returned" });


async function main() {
  const prompt = buildPrompt(code, call);
  const script = { lookup: null, fallback: generation };
  // Every write of the fake's stream, as (generated characters sent so far, time): the moment a
  // frame's last token left the server is the first write that covered that frame's end.
  let writes: Array<[number, number]> = [];
  const fake = await startFakeVllm({ script, rate: RATE, onWrite: (chars, at) => writes.push([chars, at]) });
  const registry = createRegistry([createVllmPredictor({ url: fake.url, model: "facebook/cwm", timeouts: { connectMs: 10_000, firstTokenMs: 10_000, idleMs: 10_000 } })], {
    maxConcurrent: 4,
    queueLength: 4,
  });
  const server = await serveRoutes({ "POST /api/predict": createPredictHandler({ registry, defaultMaxTokens: 100_000 }) });

  async function bare(): Promise<number> {
    const t0 = performance.now();
    const res = await fetch(`${fake.url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "facebook/cwm", prompt: prompt.text, stream: true, max_tokens: 100_000 }),
    });
    const reader = res.body!.getReader();
    for (;;) if ((await reader.read()).done) break;
    return performance.now() - t0;
  }

  async function full(delays: number[]): Promise<number> {
    const ends: number[] = [];
    for (let at = 0; ; ) {
      const i = generation.indexOf("<|frame_sep|>", at);
      if (i < 0) break;
      ends.push(i + "<|frame_sep|>".length);
      at = i + 1;
    }
    writes = [];
    const t0 = performance.now();
    await streamPrediction(
      { runId: "bench", predictor: "cwm-vllm", code, call, settings: { temperature: 0.5 } },
      (e) => {
        // Frame 0 is main's call frame, seeded in the prompt; frame k ends at ends[k - 1].
        if (e.type !== "frame" || e.index === 0) return;
        const now = performance.now();
        const end = ends[e.index - 1];
        const sent = writes.find(([chars]) => chars >= end);
        if (sent) delays.push(now - sent[1]);
      },
      undefined,
      { baseUrl: server.url },
    );
    return performance.now() - t0;
  }

  const bareTimes: number[] = [];
  const fullTimes: number[] = [];
  const delays: number[] = [];
  await bare(); // warm-up
  await full([]);
  for (let r = 0; r < RUNS; r++) {
    bareTimes.push(await bare());
    fullTimes.push(await full(delays));
  }
  const b = bareTimes.reduce((a, x) => a + x, 0) / RUNS;
  const f = fullTimes.reduce((a, x) => a + x, 0) / RUNS;
  console.log(`generation: ${frames.length} frames, ${generation.length} chars, ~${approxTokens(generation)} tokens at ${RATE} tokens/s, ${RUNS} runs`);
  console.log(`bare SSE reader      : ${b.toFixed(0)} ms (mean)`);
  console.log(`route+parser+NDJSON  : ${f.toFixed(0)} ms (mean)`);
  console.log(`ratio full/bare      : ${(f / b).toFixed(3)} (goal <= 1.05)`);
  console.log(`frame delay (last token leaves the server -> frame event at the client, ${delays.length} frames): p50 ${percentile(delays, 50).toFixed(1)} ms, p99 ${percentile(delays, 99).toFixed(1)} ms`);
  await server.close();
  await fake.close();
}

function approxTokens(text: string): number {
  // The fake cuts plain text into pieces of 1-4 characters (mean 2.5) and specials into one each.
  const specials = (text.match(/<\|[a-z_]+\|>/g) ?? []).length;
  const plain = text.replace(/<\|[a-z_]+\|>/g, "").length;
  return specials + plain / 2.5;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
