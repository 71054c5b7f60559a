/**
 * A fake vLLM OpenAI-compatible server on 127.0.0.1 for tests, e2e runs and benchmarks. It
 * speaks the real protocol (/v1/models; /v1/completions streamed as SSE `data: {json}` events
 * with choices[0].text and finish_reason, usage when asked, then `data: [DONE]`) and answers any
 * prompt with the scripted generation of the code in its context. Like vLLM, `prompt` may be a
 * string (whose special token texts vLLM would read as tokens) or a list of token ids, which
 * the fake decodes with its tokenizer (--tokenizer) to find the code.
 *
 *   npx tsx test/fakes/vllm.ts --port 8000 --replay FILE.jsonl --rate 200 [--model NAME]
 *     [--api-key KEY] [--tokenizer tokenizer.model] [--mode none|down|401|429|500|slow-first-token|cut|garbage]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import fs from "node:fs";
import { parseTokenizerModel, type Tokenizer } from "@/lib/cwm/tokenizer";
import { TOK } from "@/lib/cwm/tokens";
import { specialTextOf } from "@/lib/predictors/complete";
import { chatGenerationFor } from "./halt";
import { argValue, continueGeneration, cutAtStop, cutMidFrame, FAILURE_MODES, GARBAGE, generationFor, loadScript, pieces, rng, type FailureMode, type Script } from "./common";

export interface FakeVllmOptions {
  port?: number;
  replayFile?: string;
  script?: Script;
  /** Tokens per second; Infinity sends everything at once. */
  rate?: number;
  model?: string;
  apiKey?: string;
  mode?: FailureMode;
  firstTokenDelayMs?: number;
  seed?: number;
  /** Also split special tokens' texts between events (vLLM never does; tests the parser). */
  splitSpecial?: boolean;
  /** A tokenizer.model to read token-id prompts with. */
  tokenizerPath?: string;
  /** Write the stop token's text at the end of a stopped generation (vLLM does not; some servers do). */
  stopTokenText?: boolean;
  /** Say which stop token id ended a generation in `stop_reason` (vLLM does; default true). */
  reportStopReason?: boolean;
  /** Called after each write of a stream with the generated characters sent so far (benchmarks time frames with it). */
  onWrite?: (charsSent: number, at: number) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface FakeServer {
  url: string;
  port: number;
  options: Required<Omit<FakeVllmOptions, "replayFile" | "port" | "apiKey" | "onWrite" | "tokenizerPath">> & { apiKey?: string };
  requests: RecordedRequest[];
  /** Every completion prompt as received: a string, or the token ids. */
  prompts: Array<string | number[]>;
  /** Completions whose client went away before the end. */
  aborted: number;
  /** Completions currently streaming. */
  active: number;
  close(): Promise<void>;
}

export async function startFakeVllm(opts: FakeVllmOptions = {}): Promise<FakeServer> {
  const options = {
    script: opts.script ?? loadScript(opts.replayFile),
    rate: opts.rate ?? Infinity,
    model: opts.model ?? "facebook/cwm",
    apiKey: opts.apiKey,
    mode: opts.mode ?? "none",
    firstTokenDelayMs: opts.firstTokenDelayMs ?? 5_000,
    seed: opts.seed ?? 1,
    splitSpecial: opts.splitSpecial ?? false,
    stopTokenText: opts.stopTokenText ?? false,
    reportStopReason: opts.reportStopReason ?? true,
  };
  const state: FakeServer = { url: "", port: 0, options, requests: [], prompts: [], aborted: 0, active: 0, close: async () => {} };
  const tok: Tokenizer | null = opts.tokenizerPath ? parseTokenizerModel(fs.readFileSync(opts.tokenizerPath, "utf8")) : null;
  let seq = 0;

  const server = http.createServer(async (req, res) => {
    // A pooled keep-alive connection outlives a switch to "down": drop it here too.
    if (options.mode === "down") return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      return json(res, 400, { object: "error", message: "invalid JSON body", type: "BadRequestError", code: 400 });
    }
    const path = (req.url ?? "/").split("?")[0];
    state.requests.push({ method: req.method ?? "", path, headers: req.headers, body });
    const mode = options.mode;
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return json(res, 401, { error: "Unauthorized" });
    if (mode === "401") return json(res, 401, { error: "Unauthorized" });
    if (mode === "429") return json(res, 429, { object: "error", message: "Too many requests", code: 429 }, { "retry-after": "3" });
    if (mode === "500") return json(res, 500, { object: "error", message: "CUDA out of memory", type: "InternalServerError", code: 500 });
    if (req.method === "GET" && path === "/v1/models")
      return json(res, 200, { object: "list", data: [{ id: options.model, object: "model", owned_by: "vllm", max_model_len: 131072 }] });
    if (req.method !== "POST" || path !== "/v1/completions") return json(res, 404, { detail: "Not Found" });
    const b = body as { prompt?: unknown; max_tokens?: unknown; stream?: unknown; stream_options?: { include_usage?: boolean }; model?: unknown; stop_token_ids?: unknown };
    let promptText: string;
    if (typeof b?.prompt === "string") promptText = b.prompt;
    else if (Array.isArray(b?.prompt) && b.prompt.length > 0 && b.prompt.every((x) => Number.isInteger(x) && x >= 0)) {
      if (!tok) return json(res, 400, { object: "error", message: "this fake needs --tokenizer to read token-id prompts", code: 400 });
      try {
        promptText = tok.decode(b.prompt as number[]);
      } catch {
        return json(res, 400, { object: "error", message: "prompt holds a token id outside the vocabulary", code: 400 });
      }
    } else return json(res, 400, { object: "error", message: "prompt must be a string or a list of token ids", code: 400 });
    state.prompts.push(b.prompt as string | number[]);
    const promptLength = typeof b.prompt === "string" ? b.prompt.length : (b.prompt as number[]).length;
    if (b.model !== undefined && b.model !== options.model)
      return json(res, 404, { object: "error", message: `The model \`${String(b.model)}\` does not exist.`, type: "NotFoundError", code: 404 });

    let generation =
      mode === "garbage" ? GARBAGE : promptText.includes(TOK.START_HEADER) ? chatGenerationFor(promptText) : continueGeneration(generationFor(options.script, promptText), promptText);
    if (mode === "cut") generation = cutMidFrame(generation);
    // The generation ends at the first stop token asked for (EOS always). vLLM does not write a
    // special stop token into the text (stopTokenText plays a server that does); it says
    // finish_reason "stop" and, for a stop_token_ids hit, stop_reason = that id (null for EOS).
    const stopIds: number[] = Array.isArray(b.stop_token_ids) ? b.stop_token_ids.filter((x): x is number => Number.isInteger(x)) : [];
    const stopTexts = [TOK.EOS, ...stopIds.map((id) => specialTextOf(id)).filter((t): t is string => t !== undefined)];
    const cut = mode === "cut" ? { text: generation, stop: null } : cutAtStop(generation, stopTexts);
    generation = cut.text + (cut.stop && options.stopTokenText ? cut.stop : "");
    const eos = cut.stop !== null;
    const stopReason = cut.stop === null || cut.stop === TOK.EOS || !options.reportStopReason ? null : stopIds.find((id) => specialTextOf(id) === cut.stop)!;
    const rand = rng(options.seed + seq++);
    let toks = pieces(generation, rand);
    if (options.splitSpecial) toks = toks.flatMap((t) => (t.startsWith("<|") && t.length > 4 ? [t.slice(0, 5), t.slice(5)] : [t]));
    const maxTokens = typeof b.max_tokens === "number" ? b.max_tokens : 16;
    let finish: string | null = eos ? "stop" : null;
    if (toks.length > maxTokens) {
      toks = toks.slice(0, maxTokens);
      finish = "length";
    }
    if (finish === null && mode !== "cut") finish = "length";
    const id = `cmpl-fake-${seq}`;
    const created = Math.floor(Date.now() / 1000);
    const event = (text: string, fr: string | null) =>
      `data: ${JSON.stringify({ id, object: "text_completion", created, model: options.model, choices: [{ index: 0, text, logprobs: null, finish_reason: fr, stop_reason: fr === "stop" ? stopReason : null }], usage: null })}\n\n`;

    if (b.stream !== true) {
      return json(res, 200, {
        id,
        object: "text_completion",
        created,
        model: options.model,
        choices: [{ index: 0, text: toks.join(""), logprobs: null, finish_reason: finish, stop_reason: finish === "stop" ? stopReason : null }],
        usage: { prompt_tokens: promptLength, completion_tokens: toks.length, total_tokens: promptLength + toks.length },
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    state.active++;
    let closed = false;
    res.on("close", () => {
      if (!res.writableFinished) state.aborted++;
      closed = true;
      state.active--;
    });
    if (mode === "slow-first-token") await sleep(options.firstTokenDelayMs);
    const t0 = performance.now();
    let sent = 0;
    let charsSent = 0;
    while (sent < toks.length && !closed) {
      const due = options.rate === Infinity ? toks.length : Math.min(toks.length, Math.floor(((performance.now() - t0) / 1000) * options.rate) + 1);
      let out = "";
      for (; sent < due; sent++) {
        out += event(toks[sent], sent === toks.length - 1 ? finish : null);
        charsSent += toks[sent].length;
      }
      if (out) {
        res.write(out);
        opts.onWrite?.(charsSent, performance.now());
      }
      if (sent < toks.length) await sleep(Math.max(1, Math.min(20, 1000 / options.rate)));
    }
    if (closed) return;
    if (mode === "cut") {
      // Let what was written reach the client, then drop the connection without ending the body.
      await new Promise<void>((r) => res.write("", () => r()));
      await sleep(20);
      res.destroy();
      return;
    }
    if (toks.length === 0) res.write(event("", finish));
    if (b.stream_options?.include_usage)
      res.write(`data: ${JSON.stringify({ id, object: "text_completion", created, model: options.model, choices: [], usage: { prompt_tokens: promptLength, completion_tokens: toks.length, total_tokens: promptLength + toks.length } })}\n\n`);
    res.end("data: [DONE]\n\n");
  });
  server.on("connection", (socket) => {
    if (options.mode === "down") socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.port = port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const mode = (argValue(argv, "--mode") ?? "none") as FailureMode;
  if (!FAILURE_MODES.includes(mode)) {
    process.stderr.write(`unknown --mode ${mode} (${FAILURE_MODES.join(", ")})\n`);
    process.exit(2);
  }
  const rate = argValue(argv, "--rate");
  startFakeVllm({
    port: Number(argValue(argv, "--port") ?? 8000),
    replayFile: argValue(argv, "--replay"),
    rate: rate ? Number(rate) : Infinity,
    model: argValue(argv, "--model"),
    apiKey: argValue(argv, "--api-key"),
    tokenizerPath: argValue(argv, "--tokenizer"),
    mode,
  }).then((s) => process.stdout.write(`fake vLLM listening on ${s.url}\n`));
}
