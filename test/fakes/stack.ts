/**
 * The predict API over real HTTP with its predictors pointed at fake CWM servers: what the
 * client tests, the route tests and the benchmark share.
 */
import path from "node:path";
import { createListHandler, createPredictHandler, type HandlerDeps, type PredictionCacheLike } from "@/lib/predictors/handler";
import { createRegistry, type Registry } from "@/lib/predictors/registry";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { createFastgenPredictor } from "@/lib/predictors/fastgen";
import { createReplayPredictor } from "@/lib/predictors/replay";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import type { Timeouts } from "@/lib/predictors/http";
import type { PredictedTrace } from "@/lib/trace/schema";
import { serveRoutes } from "@/test/http-harness";
import { startFakeFastgen, type FakeFastgen } from "./fastgen";
import { startFakeVllm, type FakeServer, type FakeVllmOptions } from "./vllm";
import { writeFixtureTokenizer } from "./tokenizer-fixture";
import { SHARED_DATA } from "@/test/shared-data";

export { SHARED_DATA };
export const SAMPLE8 = path.join(SHARED_DATA, "cwm-recorded/cruxeval-sample8.jsonl");

/** An in-memory cache with the storage helper's API, counting calls. */
export class MemoryCache implements PredictionCacheLike {
  readonly map = new Map<string, PredictedTrace>();
  gets = 0;
  puts = 0;
  async get(key: string) {
    this.gets++;
    return this.map.get(key) ?? null;
  }
  async put(key: string, p: PredictedTrace) {
    this.puts++;
    this.map.set(key, structuredClone(p));
  }
}

export interface Stack {
  url: string;
  vllm: FakeServer;
  fastgen: FakeFastgen;
  registry: Registry;
  cache: MemoryCache;
  close(): Promise<void>;
}

export async function startStack(
  opts: {
    vllm?: FakeVllmOptions;
    timeouts?: Partial<Timeouts>;
    limits?: { maxConcurrent: number; queueLength: number };
    apiKey?: string;
    /** Give the vLLM predictor the tokenizer, so it sends token ids. */
    vllmTokenIds?: boolean;
    ledger?: HandlerDeps["ledger"];
    cacheKey?: HandlerDeps["cache"] extends infer C ? (C extends { key: infer K } ? K : never) : never;
  } = {},
): Promise<Stack> {
  const tokenizerPath = writeFixtureTokenizer();
  const vllm = await startFakeVllm({ replayFile: SAMPLE8, tokenizerPath, ...opts.vllm });
  const fastgen = await startFakeFastgen({ tokenizerPath, replayFile: SAMPLE8 });
  const timeouts: Timeouts = { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000, ...opts.timeouts };
  const registry = createRegistry(
    [
      createVllmPredictor({ url: vllm.url, apiKey: opts.apiKey, timeouts, ...(opts.vllmTokenIds ? { tokenizerPath } : {}) }),
      createFastgenPredictor({ url: fastgen.url, tokenizerPath, timeouts: { requestMs: timeouts.firstTokenMs } }),
      createBaselinePredictor(),
      createReplayPredictor(SAMPLE8),
    ],
    opts.limits ?? { maxConcurrent: 4, queueLength: 8 },
  );
  const cache = new MemoryCache();
  const key = opts.cacheKey ?? ((p: { predictorId: string; model: string | null; prompt: string; settings: unknown }) => JSON.stringify(p));
  const server = await serveRoutes({
    "POST /api/predict": createPredictHandler({ registry, defaultMaxTokens: 4096, cache: { store: cache, key }, ledger: opts.ledger }),
    "GET /api/predictors": createListHandler(registry, { maxTokens: 4096 }),
  });
  return {
    url: server.url,
    vllm,
    fastgen,
    registry,
    cache,
    close: async () => {
      await server.close();
      await vllm.close();
      await fastgen.close();
    },
  };
}
