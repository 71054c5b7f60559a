/**
 * `npm run cwm -- predict FILE.py [--call EXPR] --backend vllm|fastgen|chat|chat:NAME|baseline [--url URL]
 *   [--model NAME] [--api-key KEY] [--server NAME] [--tokenizer PATH] [--max-tokens N] [--temperature T]
 *   [--format json|cwm] [--stepwise]`
 * `npm run cwm -- predict --jsonl IN.jsonl (--backend … | --replay RECORDED.jsonl)
 *   [--concurrency N] [--out OUT.jsonl]`
 */
import fs from "node:fs";
import { z } from "zod";
import { CHAT_PREFIX, loadPredictorConfig } from "@/lib/config/predictors";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { createChatPredictor } from "@/lib/predictors/chat";
import { createFastgenPredictor } from "@/lib/predictors/fastgen";
import { callOf, loadReplay, parseGeneration } from "@/lib/predictors/replay";
import { canStep } from "@/lib/predictors/step";
import { predictStepwise } from "@/lib/predictors/stepwise";
import type { PredictInput, Predictor } from "@/lib/predictors/types";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import { SamplingSettings, type PredictedTrace } from "@/lib/trace/schema";
import { zodMessage } from "@/lib/http/errors";

const USAGE = `usage:
  npm run cwm -- predict FILE.py [--call EXPR] --backend vllm|fastgen|chat|chat:NAME|baseline [--url URL]
      [--model NAME] [--api-key KEY] [--server NAME] [--tokenizer PATH] [--max-tokens N] [--temperature T]
      [--top-p P] [--format json|cwm] [--stepwise]
  npm run cwm -- predict --jsonl IN.jsonl (--backend vllm|fastgen|chat|chat:NAME|baseline | --replay RECORDED.jsonl)
      [--concurrency N] [--out OUT.jsonl] [--stepwise]
--stepwise predicts one frame per request, as the debugger does (vllm and fastgen only); with
greedy decoding (--temperature 0, the default) it gives exactly the one-shot prediction.
Defaults for --url/--model/--api-key/--tokenizer come from CWM_VLLM_URL, CWM_VLLM_MODEL,
CWM_VLLM_API_KEY, CWM_FASTGEN_URL, CWM_TOKENIZER_PATH.
--backend chat asks any OpenAI-compatible chat model (--url of the server, --model required,
--api-key when it needs one, --server names it in the label); --backend chat:NAME uses the
model NAME of CHAT_MODELS.
`;

const BOOLEAN_FLAGS = new Set(["--stepwise"]);
const VALUE_FLAGS = new Set(["--call", "--backend", "--url", "--model", "--api-key", "--server", "--tokenizer", "--max-tokens", "--temperature", "--top-p", "--format", "--jsonl", "--replay", "--concurrency", "--out"]);

export class UsageError extends Error {}

/** Flags (a value after each of `valueFlags`; `booleanFlags` stand alone) and the file arguments. */
export function parseArgs(argv: string[], valueFlags: ReadonlySet<string> = VALUE_FLAGS, booleanFlags: ReadonlySet<string> = BOOLEAN_FLAGS): { flags: Map<string, string>; files: string[] } {
  const flags = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (valueFlags.has(a)) {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      flags.set(a, v);
    } else if (booleanFlags.has(a)) flags.set(a, "true");
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  return { flags, files };
}

const BatchInput = z.union([
  z.object({ id: z.string(), code: z.string(), call: z.string().nullable().optional() }).passthrough(),
  z.object({ id: z.string(), code: z.string(), input: z.string() }).passthrough(),
]);

export function makePredictor(flags: Map<string, string>): Predictor {
  const backend = flags.get("--backend");
  const env = loadPredictorConfig(process.env);
  const timeouts = env.timeouts;
  switch (backend) {
    case "baseline":
      return createBaselinePredictor();
    case "vllm": {
      const url = flags.get("--url") ?? env.vllm?.url;
      if (!url) throw new UsageError("--backend vllm needs --url (or CWM_VLLM_URL)");
      const tokenizerPath = flags.get("--tokenizer") ?? process.env.CWM_TOKENIZER_PATH;
      return createVllmPredictor({ url, model: flags.get("--model") ?? env.vllm?.model, apiKey: flags.get("--api-key") ?? env.vllm?.apiKey, tokenizerPath, timeouts });
    }
    case "fastgen": {
      const url = flags.get("--url") ?? process.env.CWM_FASTGEN_URL;
      const tokenizerPath = flags.get("--tokenizer") ?? process.env.CWM_TOKENIZER_PATH;
      if (!url || !tokenizerPath) throw new UsageError("--backend fastgen needs --url and --tokenizer (or CWM_FASTGEN_URL and CWM_TOKENIZER_PATH)");
      return createFastgenPredictor({ url, tokenizerPath, model: flags.get("--model"), timeouts: { requestMs: timeouts.fastgenMs } });
    }
    case "chat": {
      const url = flags.get("--url");
      const model = flags.get("--model");
      if (!url || !model) throw new UsageError("--backend chat needs --url (the server's base URL) and --model");
      if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
      return createChatPredictor({ id: "chat", name: "chat", url, model, apiKey: flags.get("--api-key"), server: flags.get("--server"), keyHint: "--api-key", timeouts });
    }
    default: {
      if (backend?.startsWith(CHAT_PREFIX)) {
        const c = env.chat.find((m) => `${CHAT_PREFIX}${m.name}` === backend);
        if (!c) throw new UsageError(`--backend ${backend}: no chat model "${backend.slice(CHAT_PREFIX.length)}" in CHAT_MODELS${env.chat.length ? ` (configured: ${env.chat.map((m) => m.name).join(", ")})` : ""}`);
        return createChatPredictor({ id: backend, name: c.name, url: c.url, model: c.model, apiKey: flags.get("--api-key") ?? c.apiKey, server: c.server, keyHint: c.keyVar, timeouts });
      }
      throw new UsageError(`--backend must be vllm, fastgen or baseline, or chat or chat:NAME for a chat model${backend ? ` (got "${backend}")` : ""}`);
    }
  }
}

export function settingsOf(flags: Map<string, string>): SamplingSettings {
  const r = SamplingSettings.safeParse({
    temperature: Number(flags.get("--temperature") ?? 0),
    // The server's default (CWM_MAX_TOKENS) when --max-tokens is not given.
    max_tokens: Number(flags.get("--max-tokens") ?? loadPredictorConfig(process.env).defaultMaxTokens),
    ...(flags.has("--top-p") ? { top_p: Number(flags.get("--top-p")) } : {}),
  });
  if (!r.success) throw new UsageError(`bad sampling settings: ${zodMessage(r.error, "settings")}`);
  return r.data;
}

function predictWith(predictor: Predictor, flags: Map<string, string>, input: PredictInput): Promise<PredictedTrace> {
  if (!flags.has("--stepwise")) return predictor.predict(input, () => {});
  if (!canStep(predictor)) throw new UsageError(`--stepwise needs a model backend (vllm or fastgen); ${predictor.label} cannot be driven one frame at a time`);
  // The request count is for benchmarks; the output stays a plain predicted trace.
  return predictStepwise(predictor, input).then(({ requests: _requests, ...trace }) => trace);
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const { flags, files } = parseArgs(argv);
    if (flags.has("--jsonl")) return await batch(flags);
    if (files.length !== 1) throw new UsageError("give one Python file (or --jsonl)");
    const format = flags.get("--format") ?? "json";
    if (format !== "json" && format !== "cwm") throw new UsageError("--format must be json or cwm");
    let code: string;
    try {
      code = fs.readFileSync(files[0], "utf8");
    } catch (err) {
      throw new UsageError(`cannot read ${files[0]}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const predictor = makePredictor(flags);
    const trace = await predictWith(predictor, flags, { code, call: flags.get("--call") ?? null, settings: settingsOf(flags) });
    process.stdout.write(format === "cwm" ? `${trace.raw}\n` : `${JSON.stringify(trace, null, 2)}\n`);
    if (trace.finish === "error") {
      process.stderr.write(`cwm predict: ${trace.message ?? "prediction failed"}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`cwm predict: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`cwm predict: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function batch(flags: Map<string, string>): Promise<number> {
  const inPath = flags.get("--jsonl")!;
  let text: string;
  try {
    text = fs.readFileSync(inPath, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${inPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const inputs = text
    .split("\n")
    .map((l, i) => [l, i + 1] as const)
    .filter(([l]) => l.trim() !== "")
    .map(([l, n]) => {
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch {
        throw new UsageError(`${inPath} line ${n}: not JSON`);
      }
      const r = BatchInput.safeParse(json);
      if (!r.success) throw new UsageError(`${inPath} line ${n}: needs "id", "code" and "call" (or CRUXEval "input")`);
      return { id: r.data.id, code: r.data.code, call: callOf(r.data as { call?: string; input?: string }) };
    });
  const replayPath = flags.get("--replay");
  const replay = replayPath ? await loadReplay(replayPath) : null;
  if (replay && flags.has("--stepwise")) throw new UsageError("--stepwise needs a model backend (--backend vllm or fastgen), not --replay");
  const predictor = replay ? null : makePredictor(flags);
  const settings = settingsOf(flags);
  const concurrency = Math.max(1, Number(flags.get("--concurrency") ?? 4) || 1);
  const outPath = flags.get("--out");
  const out = outPath ? fs.createWriteStream(outPath) : process.stdout;
  const results: Array<string | undefined> = new Array(inputs.length);
  let next = 0;
  let written = 0;
  let done = 0;
  let failed = 0;
  const flush = () => {
    // Output keeps input order even though predictions finish out of order.
    while (written < results.length && results[written] !== undefined) out.write(`${results[written++]}\n`);
  };
  const one = async (i: number): Promise<PredictedTrace> => {
    const x = inputs[i];
    if (replay) {
      const rec = replay.get(x.id) ?? replay.find(x.code, x.call);
      const info = { id: "replay", model: "facebook/cwm (recorded)" };
      if (!rec) return { ...parseGeneration("", x, info), finish: "error", message: `no recorded generation for id ${x.id}` };
      return parseGeneration(rec.generation, x, info);
    }
    return predictWith(predictor!, flags, { code: x.code, call: x.call, settings });
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, inputs.length) }, async () => {
      while (next < inputs.length) {
        const i = next++;
        const t = await one(i);
        if (t.finish === "error") failed++;
        results[i] = JSON.stringify({ id: inputs[i].id, ...t });
        flush();
        done++;
        if (done % 25 === 0 || done === inputs.length) process.stderr.write(`predict: ${done}/${inputs.length} (${failed} failed)\n`);
      }
    }),
  );
  if (outPath) await new Promise<void>((r) => (out as fs.WriteStream).end(() => r()));
  return failed > 0 ? 1 : 0;
}
