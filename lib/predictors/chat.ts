/**
 * Any OpenAI-compatible chat model as a predictor (Ollama, llama.cpp's server, vLLM with an
 * instruct model, hosted APIs): our prompt (chat-prompt.ts) in, a JSON-lines trace out, parsed
 * as it streams (chat-parse.ts). It shares drive()'s budgets and partial-result rules and the
 * same three timeouts as the CWM backends; it is labelled with the model's own name, never CWM.
 */
import { z } from "zod";
import { ChatTraceParser } from "@/lib/predictors/chat-parse";
import { buildChatMessages, renderChat, type ChatExamples, type ChatMessage } from "@/lib/predictors/chat-prompt";
import { drive, PredictorError, type GenerateArgs, type GenerateResult } from "@/lib/predictors/drive";
import { OUTPUT_BUDGETS } from "@/lib/predictors/budget";
import { joinUrl, readSse, Watchdog, type Timeouts } from "@/lib/predictors/http";
import type { Predictor, PredictorStatus } from "@/lib/predictors/types";

export interface ChatOptions {
  /** Registry id, e.g. "chat:qwen". */
  id: string;
  /** The configured name (the part after "chat:"). */
  name: string;
  /** Base URL of the server; /v1/chat/completions is appended. */
  url: string;
  model: string;
  apiKey?: string;
  /** Who serves it, for the label ("Ollama", "OpenAI"); the URL's host when absent. */
  server?: string;
  /** Where a person sets the key, named in a 401 message (e.g. CHAT_API_KEY_QWEN or --api-key). */
  keyHint?: string;
  timeouts: Timeouts;
  examples?: ChatExamples;
}

const ChatChunk = z
  .object({
    choices: z
      .array(
        z
          .object({
            delta: z.object({ content: z.string().nullable().optional() }).passthrough().optional(),
            message: z.object({ content: z.string().nullable().optional() }).passthrough().optional(),
            finish_reason: z.string().nullable().optional(),
          })
          .passthrough(),
      )
      .optional(),
    usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }).passthrough().nullable().optional(),
    error: z.unknown().optional(),
  })
  .passthrough();

export function serverOf(url: string, server?: string): string {
  if (server) return server;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function chatLabel(model: string, server: string): string {
  return `${model} via ${server}`;
}

export function createChatPredictor(opts: ChatOptions): Predictor {
  const server = serverOf(opts.url, opts.server);
  const label = chatLabel(opts.model, server);
  const who = `the chat server ${server} (${opts.url})`;
  const keyHint = opts.keyHint ?? "its API key";
  const headers = (): Record<string, string> => ({
    "content-type": "application/json",
    accept: "text/event-stream, application/json",
    ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
  });

  function explain(dog: Watchdog, err: unknown): unknown {
    // Aborted: a timer fired (its message) or the caller stopped (its reason).
    if (dog.signal.aborted) return dog.explain(err, opts.url);
    if (err instanceof PredictorError) return err;
    const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
    if (err instanceof TypeError || cause?.code) {
      const code = cause?.code;
      const why = code === "ECONNREFUSED" ? "connection refused" : code === "ECONNRESET" || code === "UND_ERR_SOCKET" ? "connection closed by the server" : (code ?? (err as Error).message);
      return new PredictorError(`cannot reach ${who} (${why})`);
    }
    return err;
  }

  async function httpError(res: Response): Promise<PredictorError> {
    let detail = "";
    try {
      detail = (await res.text()).slice(0, 300).trim();
    } catch {
      // The body is only a hint.
    }
    const hint = detail ? `: ${detail}` : "";
    if (res.status === 401 || res.status === 403) return new PredictorError(`${who} refused the request (${res.status}); check ${keyHint}${hint}`);
    if (res.status === 429) {
      const retry = res.headers.get("retry-after");
      return new PredictorError(`${who} is busy or over its quota (429)${retry ? `, retry after ${retry} s` : ""}; try again later${hint}`);
    }
    if (res.status === 404) return new PredictorError(`${who} answered 404: is it OpenAI-compatible, and does it serve the model "${opts.model}"?${hint}`);
    if (res.status >= 500) return new PredictorError(`${who} failed (${res.status})${hint}`);
    return new PredictorError(`${who} answered ${res.status}${hint}`);
  }

  /** finish_reason → how the answer ended: "stop" is the model's own end of its answer. */
  function finishOf(reason: string | null): GenerateResult["finish"] {
    if (reason === "stop" || reason === null) return "eos";
    if (reason === "length") return "length";
    throw new PredictorError(`${who} ended the answer with finish_reason "${reason}"`);
  }

  async function generate(messages: ChatMessage[], { settings, signal, onText }: GenerateArgs): Promise<GenerateResult> {
    const t = opts.timeouts;
    const dog = new Watchdog(signal);
    try {
      dog.arm(t.connectMs, `${who} did not answer within ${t.connectMs} ms`);
      const res = await fetch(joinUrl(opts.url, "/v1/chat/completions"), {
        method: "POST",
        headers: headers(),
        signal: dog.signal,
        body: JSON.stringify({
          model: opts.model,
          messages,
          stream: true,
          temperature: settings.temperature,
          max_tokens: settings.max_tokens,
          ...(settings.top_p !== undefined ? { top_p: settings.top_p } : {}),
        }),
      });
      if (!res.ok) throw await httpError(res);
      if (!res.body) throw new PredictorError(`${who} sent no body`);
      dog.arm(t.firstTokenMs, `${who} sent no token within ${t.firstTokenMs} ms`);
      // A server that ignores stream: true answers with one JSON object.
      if ((res.headers.get("content-type") ?? "").includes("application/json")) {
        const text = await res.text();
        const body = ChatChunk.safeParse(safeJson(text));
        if (!body.success || body.data.error !== undefined) throw new PredictorError(`${who} sent an unexpected answer: ${text.slice(0, 200)}`);
        const choice = body.data.choices?.[0];
        const content = choice?.message?.content ?? choice?.delta?.content ?? "";
        if (content) onText(content);
        return { finish: finishOf(choice?.finish_reason ?? null), tokens: usageOf(body.data.usage) };
      }
      const end: { finish: string | null; usage?: GenerateResult["tokens"] } = { finish: null };
      const done = await readSse(
        res.body,
        dog,
        { idleMs: t.idleMs, idleMessage: `${who} stopped sending tokens for ${t.idleMs} ms`, lostMessage: `${who} closed the connection in the middle of the answer` },
        (data) => {
          const chunk = ChatChunk.safeParse(safeJson(data));
          if (!chunk.success) throw new PredictorError(`${who} sent an unexpected event: ${data.slice(0, 120)}`);
          if (chunk.data.error !== undefined) throw new PredictorError(`${who} reported an error: ${data.slice(0, 300)}`);
          if (chunk.data.usage) end.usage = usageOf(chunk.data.usage);
          const choice = chunk.data.choices?.[0];
          if (!choice) return false;
          if (choice.finish_reason) end.finish = choice.finish_reason;
          const text = choice.delta?.content;
          if (!text) return false;
          onText(text);
          return true;
        },
      );
      if (!done && end.finish === null) throw new PredictorError(`${who} closed the stream before the end of the answer`);
      return { finish: finishOf(end.finish), tokens: end.usage };
    } catch (err) {
      throw explain(dog, err);
    } finally {
      dog.dispose();
    }
  }

  const status: PredictorStatus = { available: true, model: opts.model };
  return {
    id: opts.id,
    label,
    kind: "chat",
    status: () => status,
    resolveModel: async () => opts.model,
    promptText: (input) => renderChat(buildChatMessages(input.code, input.call, opts.examples)),
    async predict(input, sink) {
      const info = { id: opts.id, model: opts.model, label };
      const messages = buildChatMessages(input.code, input.call, opts.examples);
      const trace = await drive(info, input, sink, (args) => generate(messages, args), OUTPUT_BUDGETS, (p, predictor) => new ChatTraceParser(p.program, predictor));
      // What this model read is the conversation, not CWM's prompt.
      trace.prompt = renderChat(messages);
      return trace;
    },
  };
}

function usageOf(u: { prompt_tokens: number; completion_tokens: number } | null | undefined): GenerateResult["tokens"] {
  return u ? { prompt: u.prompt_tokens, completion: u.completion_tokens } : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
