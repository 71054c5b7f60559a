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
});
export type PredictorEnv = z.infer<typeof PredictorEnv>;

export interface PredictorConfig {
  enabled: string[];
  vllm?: { url: string; apiKey?: string; model?: string; tokenizerPath?: string };
  fastgen?: { url: string; tokenizerPath: string; model?: string };
  replayFile?: string;
  timeouts: { connectMs: number; firstTokenMs: number; idleMs: number; fastgenMs: number };
  limits: { maxConcurrent: number; queueLength: number };
  defaultMaxTokens: number;
}

export class ConfigError extends Error {}

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
  let enabled: string[];
  if (e.CWM_PREDICTORS) {
    enabled = e.CWM_PREDICTORS.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = enabled.filter((id) => !(KNOWN_PREDICTORS as readonly string[]).includes(id));
    if (unknown.length) throw new ConfigError(`CWM_PREDICTORS: unknown predictor ${unknown.join(", ")} (known: ${KNOWN_PREDICTORS.join(", ")})`);
    const dup = enabled.find((id, i) => enabled.indexOf(id) !== i);
    if (dup) throw new ConfigError(`CWM_PREDICTORS: "${dup}" is listed twice`);
    if (enabled.includes("replay") && !e.CWM_REPLAY_FILE) throw new ConfigError("CWM_PREDICTORS: replay needs CWM_REPLAY_FILE");
  } else {
    // Unconfigured CWM backends are still listed (unavailable) so the UI can say how to connect.
    enabled = ["cwm-vllm", "cwm-fastgen", "baseline-syntax", ...(e.CWM_REPLAY_FILE ? ["replay"] : [])];
  }
  return {
    enabled,
    vllm,
    fastgen,
    replayFile: e.CWM_REPLAY_FILE,
    timeouts: { connectMs: e.CWM_CONNECT_TIMEOUT_MS, firstTokenMs: e.CWM_FIRST_TOKEN_TIMEOUT_MS, idleMs: e.CWM_IDLE_TIMEOUT_MS, fastgenMs: e.CWM_FASTGEN_TIMEOUT_MS },
    limits: { maxConcurrent: e.CWM_MAX_CONCURRENT, queueLength: e.CWM_QUEUE_LENGTH },
    defaultMaxTokens: e.CWM_MAX_TOKENS,
  };
}
