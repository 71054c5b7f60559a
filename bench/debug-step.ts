/**
 * What a debugger step through our route costs on top of the backend. The fake vLLM generates at
 * a fixed token rate; in the same run, at several depths of a long trace (frames so far), we time
 * (1) the same one-frame request sent straight to the fake and (2) POST /api/predict/step over
 * real HTTP (validation, prompt rebuilt from the frames, the step, the frame read in context).
 * Prints the overhead (route − backend) per depth, p50/p99, and the ratio; goal ≤ 20 ms.
 *
 *   npx tsx bench/debug-step.ts [--rate 500] [--frames 2000] [--reps 20]
 */
import { performance } from "node:perf_hooks";
import { buildPrompt } from "@/lib/cwm/prompt";
import { serializeTrace } from "@/lib/cwm/serialize";
import { EOS_ID, FRAME_SEP_ID, TOK } from "@/lib/cwm/tokens";
import { readFrameText, type StepFrame } from "@/lib/debugger/frames";
import { StepResponse } from "@/lib/debugger/protocol";
import { createRegistry } from "@/lib/predictors/registry";
import { createStepHandler } from "@/lib/predictors/step-handler";
import { stepSegments } from "@/lib/predictors/step";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import type { Frame } from "@/lib/trace/schema";
import { argValue } from "@/test/fakes/common";
import { startFakeVllm } from "@/test/fakes/vllm";
import { serveRoutes } from "@/test/http-harness";
import { percentile } from "./server";

const argv = process.argv.slice(2);
const RATE = Number(argValue(argv, "--rate") ?? 500);
const FRAMES = Number(argValue(argv, "--frames") ?? 2000);
const REPS = Number(argValue(argv, "--reps") ?? 20);
const DEPTHS = [1, 10, 100, 1000, FRAMES - 10].filter((d) => d < FRAMES);

// A loop with a few locals: a long trace whose frames look like real ones.
const code = "def f(n):\n    total = 0\n    seen = []\n    for i in range(n):\n        total += i\n        seen.append(i % 7)\n    return total";
const call = `f(${FRAMES})`;
const frames: Frame[] = [
  { event: "call", line: 8, source: "def main():", locals: {} },
  { event: "line", line: 9, source: `    return ${call}`, locals: {} },
  { event: "call", line: 1, source: "def f(n):", locals: { n: String(FRAMES) } },
];
let total = 0;
const seen: number[] = [];
for (let i = 0; frames.length < FRAMES; i++) {
  const base = { n: String(FRAMES), total: String(total), seen: `[${seen.slice(-20).join(", ")}]` };
  frames.push({ event: "line", line: 4, source: "    for i in range(n):", locals: { ...base, ...(i ? { i: String(i - 1) } : {}) } });
  frames.push({ event: "line", line: 5, source: "        total += i", locals: { ...base, i: String(i) } });
  total += i;
  frames.push({ event: "line", line: 6, source: "        seen.append(i % 7)", locals: { ...base, total: String(total), i: String(i) } });
  seen.push(i % 7);
}
const generation = serializeTrace({ frames, status: "incomplete" as never });
const written: StepFrame[] = generation
  .split(TOK.FRAME)
  .slice(0, -1)
  .map((t) => readFrameText(`${t}${TOK.FRAME}`)!);

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;

async function main() {
  const prompt = buildPrompt(code, call);
  const fake = await startFakeVllm({ script: { lookup: null, fallback: generation }, rate: RATE });
  const registry = createRegistry([createVllmPredictor({ url: fake.url, model: "facebook/cwm", timeouts: { connectMs: 10_000, firstTokenMs: 10_000, idleMs: 10_000 } })], {
    maxConcurrent: 4,
    queueLength: 4,
  });
  const server = await serveRoutes({ "POST /api/predict/step": createStepHandler({ registry, defaultMaxTokens: 4096 }) });

  /** The backend alone: the very request the route would make, read to its end. */
  async function bare(depth: number): Promise<number> {
    const text = stepSegments(prompt, written.slice(0, depth), null)
      .slice(1)
      .map((s) => ("special" in s ? s.special : s.text))
      .join("");
    const t0 = performance.now();
    const res = await fetch(`${fake.url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "facebook/cwm",
        prompt: text,
        stream: true,
        max_tokens: 4096,
        temperature: 0,
        skip_special_tokens: false,
        spaces_between_special_tokens: false,
        stop_token_ids: [EOS_ID, FRAME_SEP_ID],
      }),
    });
    const reader = res.body!.getReader();
    for (;;) if ((await reader.read()).done) break;
    return performance.now() - t0;
  }

  async function routed(depth: number): Promise<{ ms: number; server: StepResponse }> {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/predict/step`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runId: "bench", predictor: "cwm-vllm", code, call, frames: written.slice(0, depth) }),
    });
    const body = StepResponse.parse(await res.json());
    if (body.end !== "frame") throw new Error(`step at depth ${depth} ended with ${body.end}`);
    return { ms: performance.now() - t0, server: body };
  }

  console.log(`trace: ${written.length} frames; fake vLLM at ${RATE} tokens/s; ${REPS} steps per depth, alternating backend-alone and route`);
  console.log("depth  request KiB  backend ms (mean)  route ms (mean)  overhead p50  overhead p99  ratio");
  const all: number[] = [];
  await bare(1);
  await routed(1);
  for (const depth of DEPTHS) {
    const b: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < REPS; i++) {
      b.push(await bare(depth));
      r.push((await routed(depth)).ms);
    }
    const over = r.map((x, i) => x - b[i]);
    all.push(...over);
    const kib = JSON.stringify(written.slice(0, depth)).length / 1024;
    console.log(
      `${String(depth).padStart(5)}  ${kib.toFixed(1).padStart(11)}  ${mean(b).toFixed(1).padStart(17)}  ${mean(r).toFixed(1).padStart(15)}  ${percentile(over, 50).toFixed(1).padStart(12)}  ${percentile(over, 99).toFixed(1).padStart(12)}  ${(mean(r) / mean(b)).toFixed(3)}`,
    );
  }
  console.log(`overhead over all depths: p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms (goal: at most 20 ms on top of the backend)`);
  await server.close();
  await fake.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
