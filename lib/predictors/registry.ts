/**
 * The predictors this server offers, keyed by id. Built once from the configuration; a missing
 * implementation or a duplicate id stops start-up.
 */
import { CHAT_PREFIX, type PredictorConfig } from "@/lib/config/predictors";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { createChatPredictor } from "@/lib/predictors/chat";
import { createFastgenPredictor } from "@/lib/predictors/fastgen";
import { Limiter } from "@/lib/predictors/limiter";
import { createReplayPredictor } from "@/lib/predictors/replay";
import type { Predictor, PredictorStatus } from "@/lib/predictors/types";
import { createVllmPredictor } from "@/lib/predictors/vllm";

export interface Registry {
  ids(): string[];
  get(id: string): Predictor | undefined;
  limiter(id: string): Limiter;
  list(): Predictor[];
}

export function createRegistry(predictors: Predictor[], limits: PredictorConfig["limits"]): Registry {
  const map = new Map<string, Predictor>();
  const limiters = new Map<string, Limiter>();
  for (const p of predictors) {
    if (map.has(p.id)) throw new Error(`predictor registry: duplicate id "${p.id}"`);
    map.set(p.id, p);
    // Only a real model is worth protecting; the baseline and replays cost nothing.
    limiters.set(p.id, p.kind === "cwm" || p.kind === "chat" ? new Limiter(p.label, limits.maxConcurrent, limits.queueLength) : new Limiter(p.label, 64, 1024));
  }
  return {
    ids: () => [...map.keys()],
    get: (id) => map.get(id),
    limiter: (id) => {
      const l = limiters.get(id);
      if (!l) throw new Error(`predictor registry: no predictor "${id}"`);
      return l;
    },
    list: () => [...map.values()],
  };
}

/** A CWM backend without settings: listed so the UI can say how to connect it, never called. */
function unconfigured(id: string, label: string, env: string[]): Predictor {
  const status: PredictorStatus = { available: false, model: null, message: `${label} is not configured`, env };
  return {
    id,
    label,
    kind: "cwm",
    status: () => status,
    resolveModel: async () => null,
    predict: async () => {
      throw new Error(`${label} is not configured`);
    },
  };
}

const FACTORIES: Record<string, (c: PredictorConfig) => Predictor> = {
  "cwm-vllm": (c) =>
    c.vllm
      ? createVllmPredictor({ ...c.vllm, timeouts: c.timeouts })
      : unconfigured("cwm-vllm", "CWM (vLLM)", ["CWM_VLLM_URL=http://127.0.0.1:8000", "CWM_VLLM_MODEL=facebook/cwm", "# CWM_VLLM_API_KEY=…"]),
  "cwm-fastgen": (c) =>
    c.fastgen
      ? createFastgenPredictor({ ...c.fastgen, timeouts: { requestMs: c.timeouts.fastgenMs } })
      : unconfigured("cwm-fastgen", "CWM (Fastgen)", ["CWM_FASTGEN_URL=http://127.0.0.1:5678", "CWM_TOKENIZER_PATH=/path/to/checkpoint/tokenizer.model"]),
  "baseline-syntax": () => createBaselinePredictor(),
  replay: (c) => createReplayPredictor(c.replayFile!),
};

export function registryFromConfig(config: PredictorConfig): Registry {
  const predictors = config.enabled.map((id) => {
    if (id.startsWith(CHAT_PREFIX)) {
      const c = config.chat.find((m) => `${CHAT_PREFIX}${m.name}` === id);
      if (!c) throw new Error(`predictor registry: "${id}" is not in CHAT_MODELS`);
      return createChatPredictor({ id, name: c.name, url: c.url, model: c.model, apiKey: c.apiKey, server: c.server, keyHint: c.keyVar, timeouts: config.timeouts });
    }
    const make = FACTORIES[id];
    if (!make) throw new Error(`predictor registry: no implementation for "${id}"`);
    return make(config);
  });
  return createRegistry(predictors, config.limits);
}
