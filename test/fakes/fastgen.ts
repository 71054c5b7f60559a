/**
 * A fake Fastgen server (Meta's serve/fgserve.py protocol) on 127.0.0.1: POST /completions with
 * a token-id prompt, one JSON reply `{choices: [{text, tokens, finish_reason: "length"}], usage}`.
 * It decodes the prompt with the tokenizer to find the code, then answers with the scripted
 * generation as token ids.
 *
 *   npx tsx test/fakes/fastgen.ts --port 5678 --tokenizer tokenizer.model --replay FILE.jsonl
 *     [--rate TOKENS_PER_S] [--mode none|down|401|429|500|slow-first-token|cut|garbage]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import fs from "node:fs";
import { parseTokenizerModel, type Tokenizer } from "@/lib/cwm/tokenizer";
import { TOK } from "@/lib/cwm/tokens";
import { argValue, continueGeneration, cutMidFrame, GARBAGE, generationFor, loadScript, type FailureMode, type Script } from "./common";
import { chatGenerationFor } from "./halt";
import type { RecordedRequest } from "./vllm";

export interface FakeFastgenOptions {
  port?: number;
  tokenizerPath: string;
  replayFile?: string;
  script?: Script;
  rate?: number;
  mode?: FailureMode;
  firstTokenDelayMs?: number;
}

export interface FakeFastgen {
  url: string;
  options: { script: Script; rate: number; mode: FailureMode; firstTokenDelayMs: number };
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeFastgen(opts: FakeFastgenOptions): Promise<FakeFastgen> {
  const tok: Tokenizer = parseTokenizerModel(fs.readFileSync(opts.tokenizerPath, "utf8"));
  const options = { script: opts.script ?? loadScript(opts.replayFile), rate: opts.rate ?? Infinity, mode: opts.mode ?? "none", firstTokenDelayMs: opts.firstTokenDelayMs ?? 5_000 };
  const state: FakeFastgen = { url: "", options, requests: [], close: async () => {} };
  const stopIds = new Set([tok.specialIds.get(TOK.EOS)!]);

  const server = http.createServer(async (req, res) => {
    // A pooled keep-alive connection outlives a switch to "down": drop it here too.
    if (options.mode === "down") return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: { prompt?: unknown; max_tokens?: unknown; stop?: unknown } | null = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return json(res, 400, { error: "bad json" });
    }
    const path = (req.url ?? "/").split("?")[0];
    state.requests.push({ method: req.method ?? "", path, headers: req.headers, body });
    const mode = options.mode;
    if (mode === "401") return json(res, 401, { error: "Unauthorized" });
    if (mode === "429") return json(res, 429, { error: "Too many requests" });
    if (mode === "500") return json(res, 500, { error: "Internal Server Error" });
    if (req.method !== "POST" || path !== "/completions") return json(res, 404, { error: "Not Found" });
    let promptIds: number[];
    if (Array.isArray(body?.prompt) && body.prompt.every((x) => Number.isInteger(x))) promptIds = body.prompt as number[];
    else if (typeof body?.prompt === "string") promptIds = tok.encode(body.prompt); // fgserve encodes a string WITHOUT special tokens
    else return json(res, 400, { error: "prompt must be token ids or a string" });
    let prompt: string;
    try {
      prompt = tok.decode(promptIds);
    } catch {
      return json(res, 400, { error: "unknown token id in prompt" });
    }
    let generation =
      mode === "garbage" ? GARBAGE : prompt.includes(TOK.START_HEADER) ? chatGenerationFor(prompt) : continueGeneration(generationFor(options.script, prompt), prompt);
    if (mode === "cut") generation = cutMidFrame(generation);
    // The model's own output: its special token texts are tokens.
    let tokens = tok.encodeWithSpecial(generation);
    const max = typeof body?.max_tokens === "number" ? body.max_tokens : 8192;
    tokens = tokens.slice(0, max);
    // fgserve's `stop` (cwmdbg sends one id): generation ends at it, the stop token kept in `tokens`.
    const asked = typeof body?.stop === "number" ? [body.stop] : Array.isArray(body?.stop) ? body.stop.filter((x): x is number => Number.isInteger(x)) : [];
    const stops = new Set([...stopIds, ...asked]);
    const eosAt = tokens.findIndex((t) => stops.has(t));
    if (eosAt >= 0) tokens = tokens.slice(0, eosAt + 1);
    if (mode === "slow-first-token") await sleep(options.firstTokenDelayMs);
    if (options.rate !== Infinity) await sleep((tokens.length / options.rate) * 1000);
    const text = tok.decode(tokens.filter((t) => !stops.has(t)));
    const reply = JSON.stringify({
      id: "fake",
      choices: [{ index: 0, text, tokens, logprobs: null, finish_reason: "length" }],
      created: Math.floor(Date.now() / 1000),
      model: null,
      object: "text_completion",
      usage: { completion_tokens: tokens.length, prompt_tokens: promptIds.length, total_tokens: promptIds.length + tokens.length },
      system_fingerprint: "fake-checkpoint",
    });
    if (mode === "cut") {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(reply)) });
      res.write(reply.slice(0, Math.floor(reply.length / 2)));
      setTimeout(() => res.destroy(), 10);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(reply);
  });
  server.on("connection", (socket) => {
    if (options.mode === "down") socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const tokenizerPath = argValue(argv, "--tokenizer");
  if (!tokenizerPath) {
    process.stderr.write("usage: npx tsx test/fakes/fastgen.ts --tokenizer tokenizer.model [--port N] [--replay FILE] [--rate R] [--mode M]\n");
    process.exit(2);
  }
  const rate = argValue(argv, "--rate");
  startFakeFastgen({
    port: Number(argValue(argv, "--port") ?? 5678),
    tokenizerPath,
    replayFile: argValue(argv, "--replay"),
    rate: rate ? Number(rate) : Infinity,
    mode: (argValue(argv, "--mode") ?? "none") as FailureMode,
  }).then((s) => process.stdout.write(`fake Fastgen listening on ${s.url}\n`));
}
