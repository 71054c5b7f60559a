/**
 * Predictor configuration from the environment, validated once at start-up: a bad value stops
 * the server with a message naming the variable instead of failing on the first request.
 */
import { z } from "zod";
import { zodMessage } from "@/lib/http/errors";

const ms = (def: number) => z.coerce.number().int().positive().default(def);
const url = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL")
  .optional();
const optText = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s === "" ? undefined : s));

export const KNOWN_PREDICTORS = ["cwm-vllm", "cwm-fastgen", "baseline-syntax", "replay"] as const;

export const PredictorEnv = z.object({
  /** Comma-separated ids; default: the baseline plus every backend that has its settings. */
  CWM_PREDICTORS: optText,
  CWM_VLLM_URL: z.preprocess((v) => (v === "" ? undefined : v), url),
  CWM_VLLM_API_KEY: optText,
  CWM_VLLM_MODEL: optText,
  CWM_FASTGEN_URL: z.preprocess((v) => (v === "" ? undefined : v), url),
  CWM_FASTGEN_MODEL: optText,
  CWM_TOKENIZER_PATH: optText,
  CWM_REPLAY_FILE: optText,
  CWM_CONNECT_TIMEOUT_MS: ms(10_000),
  CWM_FIRST_TOKEN_TIMEOUT_MS: ms(120_000),
  CWM_IDLE_TIMEOUT_MS: ms(60_000),
  CWM_FASTGEN_TIMEOUT_MS: ms(600_000),
  CWM_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1024).default(4),
  CWM_QUEUE_LENGTH: z.coerce.number().int().min(0).max(10_000).default(16),
  CWM_MAX_TOKENS: z.coerce.number().int().min(1).max(131_072).default(4096),
  /** Chat models: `NAME|URL|MODEL[|SERVER]`, separated by ";" (see parseChatModels). */
  CHAT_MODELS: optText,
});
export type PredictorEnv = z.infer<typeof PredictorEnv>;

export interface PredictorConfig {
  enabled: string[];
  vllm?: { url: string; apiKey?: string; model?: string; tokenizerPath?: string };
  fastgen?: { url: string; tokenizerPath: string; model?: string };
  replayFile?: string;
  /** OpenAI-compatible chat models, each the predictor `chat:<name>`. */
  chat: ChatModelConfig[];
  timeouts: { connectMs: number; firstTokenMs: number; idleMs: number; fastgenMs: number };
  limits: { maxConcurrent: number; queueLength: number };
  defaultMaxTokens: number;
}

export class ConfigError extends Error {}

export interface ChatModelConfig {
  name: string;
  url: string;
  model: string;
  /** Who serves it, for the label ("Ollama"); the URL's host when absent. */
  server?: string;
  apiKey?: string;
  /** The variable that holds its key, named in messages. */
  keyVar: string;
}

export const CHAT_PREFIX = "chat:";
const CHAT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** CHAT_API_KEY_<NAME>: the name upper-cased, "-" as "_". */
export function chatKeyVar(name: string): string {
  return `CHAT_API_KEY_${name.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * `CHAT_MODELS=qwen|http://127.0.0.1:11434|qwen2.5-coder:7b|Ollama;gpt|https://api.openai.com|gpt-4o-mini|OpenAI`
 * with keys in CHAT_API_KEY_<NAME>. Names are unique ignoring case (their key variables would clash).
 */
export function parseChatModels(value: string | undefined, env: Record<string, string | undefined>): ChatModelConfig[] {
  if (!value) return [];
  const out: ChatModelConfig[] = [];
  const entries = value.split(";").map((e) => e.trim()).filter(Boolean);
  for (const [i, entry] of entries.entries()) {
    const where = `CHAT_MODELS entry ${i + 1} (${JSON.stringify(entry.slice(0, 80))})`;
    const parts = entry.split("|").map((p) => p.trim());
    if (parts.length < 3 || parts.length > 4) throw new ConfigError(`invalid predictor configuration: ${where}: expected NAME|URL|MODEL or NAME|URL|MODEL|SERVER`);
    const [name, u, model, server] = parts;
    if (!CHAT_NAME.test(name)) throw new ConfigError(`invalid predictor configuration: ${where}: the name must be 1-32 letters, digits, "-" or "_", starting with a letter or digit`);
    const checked = url.safeParse(u);
    if (!checked.success || !checked.data) throw new ConfigError(`invalid predictor configuration: ${where}: ${JSON.stringify(u)} is not an http(s) URL`);
    if (!model) throw new ConfigError(`invalid predictor configuration: ${where}: the model name is empty`);
    if (out.some((c) => c.name.toLowerCase() === name.toLowerCase())) throw new ConfigError(`invalid predictor configuration: CHAT_MODELS: the name "${name}" is used twice`);
    const keyVar = chatKeyVar(name);
    const apiKey = env[keyVar]?.trim() || undefined;
    out.push({ name, url: checked.data, model, keyVar, ...(server ? { server } : {}), ...(apiKey ? { apiKey } : {}) });
  }
  return out;
}

export function loadPredictorConfig(env: Record<string, string | undefined> = process.env): PredictorConfig {
  const r = PredictorEnv.safeParse(env);
  if (!r.success) {
    const why = zodMessage(r.error, "settings");
    throw new ConfigError(`invalid predictor configuration: ${why}`);
  }
  const e = r.data;
  // With the tokenizer, vLLM gets token ids and any code can be sent (see lib/predictors/vllm.ts).
  const vllm = e.CWM_VLLM_URL ? { url: e.CWM_VLLM_URL, apiKey: e.CWM_VLLM_API_KEY, model: e.CWM_VLLM_MODEL, tokenizerPath: e.CWM_TOKENIZER_PATH } : undefined;
  if (e.CWM_FASTGEN_URL && !e.CWM_TOKENIZER_PATH)
    throw new ConfigError("invalid predictor configuration: CWM_FASTGEN_URL needs CWM_TOKENIZER_PATH (the checkpoint's tokenizer.model)");
  const fastgen = e.CWM_FASTGEN_URL ? { url: e.CWM_FASTGEN_URL, tokenizerPath: e.CWM_TOKENIZER_PATH!, model: e.CWM_FASTGEN_MODEL } : undefined;
  const chat = parseChatModels(e.CHAT_MODELS, env);
  const chatIds = chat.map((c) => `${CHAT_PREFIX}${c.name}`);
  let enabled: string[];
  if (e.CWM_PREDICTORS) {
    enabled = e.CWM_PREDICTORS.split(",").map((s) => s.trim()).filter(Boolean);
    const known = [...KNOWN_PREDICTORS, ...chatIds];
    const unknown = enabled.filter((id) => !known.includes(id));
    if (unknown.length) {
      const chatHint = unknown.some((id) => id.startsWith(CHAT_PREFIX)) ? "; a chat:NAME id needs NAME in CHAT_MODELS" : "";
      throw new ConfigError(`CWM_PREDICTORS: unknown predictor ${unknown.join(", ")} (known: ${known.join(", ")})${chatHint}`);
    }
    const dup = enabled.find((id, i) => enabled.indexOf(id) !== i);
    if (dup) throw new ConfigError(`CWM_PREDICTORS: "${dup}" is listed twice`);
    if (enabled.includes("replay") && !e.CWM_REPLAY_FILE) throw new ConfigError("CWM_PREDICTORS: replay needs CWM_REPLAY_FILE");
  } else {
    // Unconfigured CWM backends are still listed (unavailable) so the UI can say how to connect.
    enabled = ["cwm-vllm", "cwm-fastgen", ...chatIds, "baseline-syntax", ...(e.CWM_REPLAY_FILE ? ["replay"] : [])];
  }
  return {
    enabled,
    vllm,
    fastgen,
    replayFile: e.CWM_REPLAY_FILE,
    chat,
    timeouts: { connectMs: e.CWM_CONNECT_TIMEOUT_MS, firstTokenMs: e.CWM_FIRST_TOKEN_TIMEOUT_MS, idleMs: e.CWM_IDLE_TIMEOUT_MS, fastgenMs: e.CWM_FASTGEN_TIMEOUT_MS },
    limits: { maxConcurrent: e.CWM_MAX_CONCURRENT, queueLength: e.CWM_QUEUE_LENGTH },
    defaultMaxTokens: e.CWM_MAX_TOKENS,
  };
}
