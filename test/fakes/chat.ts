/**
 * A fake OpenAI-compatible chat-completions server on 127.0.0.1 for tests: /v1/models and
 * /v1/chat/completions, streamed (SSE `data: {json}` chunks with choices[0].delta.content, a
 * finish_reason, then `data: [DONE]`) or not. It answers with the scripted JSON-lines trace of
 * the program in the last user message's ```python block (e.g. our tracer's trace of it),
 * deltas cut at random places, and can play a model's and a server's failures. Every request
 * is recorded so tests can check the protocol fields.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildProgram } from "@/lib/cwm/program";
import { answerOf } from "@/lib/predictors/chat-prompt";
import { pathToFileURL } from "node:url";
import { MAIN_DEF, START_MARKER } from "@/lib/cwm/program";
import type { CanonicalTrace, Frame } from "@/lib/trace/schema";
import { argValue, rng } from "./common";

export type ChatFakeMode =
  /** The answer as is. */
  | "plain"
  /** Inside a ``` fence. */
  | "fence"
  /** Inside a ```json fence. */
  | "fence-json"
  /** A sentence, then the answer inside a ```json fence, then a remark. */
  | "preamble"
  /** One line in the middle cut short (not JSON). */
  | "broken-line"
  /** Half the answer, cut inside a line, finish_reason "length". */
  | "length"
  | "401"
  | "429"
  | "500"
  /** Headers at once, then nothing for firstTokenDelayMs. */
  | "slow-first-token"
  /** Headers and some text, then the connection is dropped. */
  | "drop";

export interface FakeChatOptions {
  port?: number;
  /** The only model it serves (a request naming another gets 404, as OpenAI answers). */
  model?: string;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  mode?: ChatFakeMode;
  /** Program text (buildProgram(...).program) → answer text. */
  script?: Map<string, string>;
  /** The answer for a program not in the script. */
  fallback?: string;
  seed?: number;
  firstTokenDelayMs?: number;
  /** Answer with one JSON object even when asked to stream (some servers do). */
  ignoreStream?: boolean;
  /** For a program not in the script: trace it (a perfect model of any program). */
  tracer?: { trace(input: { code: string; call: string | null }): Promise<CanonicalTrace> };
}

export interface ChatRequestRecord {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface FakeChat {
  url: string;
  requests: ChatRequestRecord[];
  options: Required<Omit<FakeChatOptions, "port" | "apiKey" | "tracer">> & { apiKey?: string };
  /** Completions whose client went away before the end. */
  aborted: number;
  close(): Promise<void>;
}

export const FALLBACK_ANSWER = "I cannot trace this program.";

/** The script entry of one program: its answer is the trace's frames as JSON lines. */
export function chatScript(entries: ReadonlyArray<{ code: string; call: string | null; frames: readonly Frame[] }>): Map<string, string> {
  return new Map(entries.map((e) => [buildProgram(e.code, e.call).program, answerOf(e.frames)]));
}

/** The program in a user message's last fenced python block, or null. */
export function programOfMessage(content: string): string | null {
  let found: string | null = null;
  for (const m of content.matchAll(/(`{3,})python\n([\s\S]*?)\1/g)) found = m[2];
  return found;
}

/** The user's code and call back from a traced program (buildProgram's inverse), or null. */
export function inputOfProgram(program: string): { code: string; call: string | null } | null {
  const script = `${MAIN_DEF}${START_MARKER}\n`;
  if (program.startsWith(script)) {
    const body = program.slice(script.length).replace(/\n$/, "");
    return {
      code:
        body === "    pass"
          ? ""
          : body
              .split("\n")
              .map((l) => l.replace(/^ {4}/, ""))
              .join("\n"),
      call: null,
    };
  }
  const m = /(?:^|\n)def main_*\(\): {2}# << START_OF_TRACE\n {4}return ([\s\S]*)\n$/.exec(program);
  if (!m) return null;
  return { code: program.slice(0, m.index), call: m[1] };
}

/** The answer text as the mode writes it, and the finish_reason that ends it. */
export function shapeAnswer(answer: string, mode: ChatFakeMode, rand: () => number): { text: string; finish: "stop" | "length" } {
  if (mode === "fence") return { text: `\`\`\`\n${answer}\n\`\`\``, finish: "stop" };
  if (mode === "fence-json") return { text: `\`\`\`json\n${answer}\n\`\`\`\n`, finish: "stop" };
  if (mode === "preamble") return { text: `Here is the trace:\n\n\`\`\`json\n${answer}\n\`\`\`\nHope this helps!`, finish: "stop" };
  if (mode === "broken-line") {
    const lines = answer.split("\n");
    const i = Math.floor(lines.length / 2);
    lines[i] = lines[i].slice(0, Math.max(1, lines[i].length - 5));
    return { text: lines.join("\n"), finish: "stop" };
  }
  if (mode === "length") {
    const half = Math.floor(answer.length / 2);
    let at = half + Math.floor(rand() * 10);
    // Cut inside a line, never right after its newline: that is what a token budget does.
    while (at < answer.length && (answer[at - 1] === "\n" || answer[at] === "\n")) at++;
    return { text: answer.slice(0, at), finish: "length" };
  }
  return { text: answer, finish: "stop" };
}

/** Pieces of 1–12 characters, cut anywhere (inside a JSON string, a key, an escape). */
export function randomPieces(text: string, rand: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(rand() * 12);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

export async function startFakeChat(opts: FakeChatOptions = {}): Promise<FakeChat> {
  const options = {
    model: opts.model ?? "qwen2.5-coder:7b",
    apiKey: opts.apiKey,
    mode: opts.mode ?? "plain",
    script: opts.script ?? new Map<string, string>(),
    fallback: opts.fallback ?? FALLBACK_ANSWER,
    seed: opts.seed ?? 1,
    firstTokenDelayMs: opts.firstTokenDelayMs ?? 5_000,
    ignoreStream: opts.ignoreStream ?? false,
  };
  const state: FakeChat = { url: "", requests: [], options, aborted: 0, close: async () => {} };
  const rand = rng(options.seed);
  let created = 1_700_000_000;

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const oops = (res: http.ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}) =>
    json(res, status, { error: { message, type, code: null } }, headers);

  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (raw += d));
    req.on("end", () => {
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const path = (req.url ?? "/").split("?")[0];
      state.requests.push({ method: req.method ?? "", path, headers: req.headers, body });
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return oops(res, 401, "Incorrect API key provided", "invalid_request_error");
      }
      if (req.method === "GET" && path === "/v1/models") {
        return json(res, 200, { object: "list", data: [{ id: options.model, object: "model", created, owned_by: "fake" }] });
      }
      if (req.method !== "POST" || path !== "/v1/chat/completions") return oops(res, 404, `no route ${req.method} ${path}`, "not_found");
      if (options.mode === "401") return oops(res, 401, "Incorrect API key provided", "invalid_request_error");
      if (options.mode === "429") return oops(res, 429, "Rate limit reached", "rate_limit_exceeded", { "retry-after": "7" });
      if (options.mode === "500") return oops(res, 500, "The server had an error while processing your request", "server_error");
      const b = body as { model?: unknown; messages?: unknown; stream?: unknown };
      if (!b || typeof b !== "object" || !Array.isArray(b.messages)) return oops(res, 400, "messages is required", "invalid_request_error");
      if (b.model !== options.model) return oops(res, 404, `The model \`${String(b.model)}\` does not exist`, "invalid_request_error");
      const last = [...(b.messages as Array<{ role?: string; content?: string }>)].reverse().find((m) => m.role === "user");
      const program = last && typeof last.content === "string" ? programOfMessage(last.content) : null;
      void answerFor(program).then((answer) => respond(res, b, raw, answer));
    });
  });

  async function answerFor(program: string | null): Promise<string> {
    const scripted = program !== null ? options.script.get(program) : undefined;
    if (scripted !== undefined) return scripted;
    const input = program !== null && opts.tracer ? inputOfProgram(program) : null;
    if (!input || !opts.tracer) return options.fallback;
    try {
      return answerOf((await opts.tracer.trace(input)).frames);
    } catch {
      return options.fallback;
    }
  }

  function respond(res: http.ServerResponse, b: { stream?: unknown }, raw: string, answer: string): void {
    const { text, finish } = shapeAnswer(answer, options.mode, rand);
    const id = `chatcmpl-${++created}`;
    const usage = { prompt_tokens: raw.length >> 2, completion_tokens: text.length >> 2, total_tokens: (raw.length + text.length) >> 2 };
    if (b.stream !== true || options.ignoreStream) {
      return json(res, 200, {
        id,
        object: "chat.completion",
        created,
        model: options.model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: finish }],
        usage,
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    let closed = false;
    res.on("close", () => {
      if (!res.writableEnded) {
        closed = true;
        state.aborted++;
      }
    });
    const chunk = (delta: Record<string, string>, finish_reason: string | null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: options.model, choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
    const pieces = randomPieces(text, rand);
    void (async () => {
      if (options.mode === "slow-first-token") await new Promise((r) => setTimeout(r, options.firstTokenDelayMs));
      if (closed) return;
      res.write(chunk({ role: "assistant", content: "" }, null));
      for (const [i, p] of pieces.entries()) {
        if (closed) return;
        if (options.mode === "drop" && i === Math.floor(pieces.length / 2)) {
          res.destroy();
          return;
        }
        // Several events per write, and events split across writes, as proxies deliver them.
        // Bytes, so a cut may also fall inside a UTF-8 sequence.
        const ev = Buffer.from(chunk({ content: p }, null), "utf8");
        const cut = Math.floor(rand() * ev.length);
        res.write(ev.slice(0, cut));
        if (rand() < 0.3) await new Promise((r) => setImmediate(r));
        res.write(ev.slice(cut));
      }
      res.write(chunk({}, finish));
      res.write("data: [DONE]\n\n");
      res.end();
    })();
  }
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

// `npx tsx test/fakes/chat.ts --port 11434 [--model NAME] [--api-key KEY] [--mode plain|fence|…] [--python PATH]`:
// a perfect chat model of any program (our tracer's trace, Pyodide unless --python), for e2e runs and demos.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const python = argValue(argv, "--python");
  const { createNodeTracer } = await import("@/lib/executor/node");
  const tracer = await createNodeTracer(python ? { python } : {});
  const fake = await startFakeChat({
    port: Number(argValue(argv, "--port") ?? 11434),
    model: argValue(argv, "--model"),
    apiKey: argValue(argv, "--api-key"),
    mode: (argValue(argv, "--mode") ?? "plain") as ChatFakeMode,
    tracer,
  });
  process.stdout.write(`fake chat server (${fake.options.model}, ${fake.options.mode}, traces by ${tracer.version}) on ${fake.url}\n`);
}
