/**
 * Greedy predictions by content hash: the same context, model and settings give the same
 * trace, so a classroom opening one example costs the GPU one request. Only the caller knows
 * whether a request is greedy (temperature 0); it decides what to cache.
 */
import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/predictors/canonical-json";
import { PredictedTrace, type SamplingSettings } from "@/lib/trace/schema";
import { storageEnv } from "@/lib/config/storage";
import { db, isUniqueViolation } from "./db";

/** Bumped when what a key covers changes, so old entries simply stop matching. */
const KEY_VERSION = 1;
const KEY_PATTERN = /^[0-9a-f]{64}$/;

export function cacheKey(parts: { predictorId: string; model: string | null; prompt: string; settings: SamplingSettings }): string {
  const { predictorId, model, prompt, settings } = parts;
  return createHash("sha256")
    .update(canonicalJson({ v: KEY_VERSION, predictorId, model, prompt, settings }))
    .digest("hex");
}

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new Error(`prediction cache: bad key ${JSON.stringify(key.slice(0, 80))} (want 64 hex digits from cacheKey)`);
}

async function read(key: string): Promise<PredictedTrace | null> {
  checkKey(key);
  const row = await (await db()).predictionCacheEntry.findUnique({ where: { key } });
  if (!row) return null;
  try {
    const parsed = PredictedTrace.safeParse(JSON.parse(row.trace));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Keeps at most `max` entries, dropping the oldest: a server answering many distinct
 * programs must not grow its database without end.
 */
async function evict(max: number): Promise<void> {
  const client = await db();
  const excess = (await client.predictionCacheEntry.count()) - max;
  if (excess <= 0) return;
  const oldest = await client.predictionCacheEntry.findMany({ orderBy: [{ createdAt: "asc" }, { key: "asc" }], take: excess, select: { key: true } });
  await client.predictionCacheEntry.deleteMany({ where: { key: { in: oldest.map((r) => r.key) } } });
}

export const predictionCache: {
  get(key: string): Promise<PredictedTrace | null>;
  /** The entry without counting a hit (checking a shared prediction is not a use). */
  peek(key: string): Promise<PredictedTrace | null>;
  put(key: string, p: PredictedTrace): Promise<void>;
} = {
  peek: read,

  async get(key) {
    checkKey(key);
    const client = await db();
    const row = await client.predictionCacheEntry.findUnique({ where: { key } });
    if (!row) return null;
    let parsed: ReturnType<typeof PredictedTrace.safeParse>;
    try {
      parsed = PredictedTrace.safeParse(JSON.parse(row.trace));
    } catch {
      parsed = PredictedTrace.safeParse(undefined);
    }
    if (!parsed.success) {
      // Written by an older trace format: a miss, and the caller's put() replaces it.
      await client.predictionCacheEntry.deleteMany({ where: { key } });
      return null;
    }
    // The hit counter is statistics only: it never turns a hit into an error.
    await client.predictionCacheEntry.update({ where: { key }, data: { hits: { increment: 1 } } }).catch(() => {});
    return parsed.data;
  },

  async put(key, p) {
    checkKey(key);
    const max = storageEnv().PREDICTION_CACHE_MAX_ENTRIES;
    if (max === 0) return;
    const { cached: _cached, ...trace } = PredictedTrace.parse(p);
    const client = await db();
    try {
      await client.predictionCacheEntry.create({ data: { key, trace: JSON.stringify(trace) } });
    } catch (err) {
      // Two requests for the same context finished together: greedy decoding made the same
      // trace, so the first one stored is as good as ours.
      if (!isUniqueViolation(err)) throw err;
    }
    await evict(max);
  },
};

/** Statistics for tests and operators. */
export async function cacheEntryHits(key: string): Promise<number | null> {
  checkKey(key);
  const row = await (await db()).predictionCacheEntry.findUnique({ where: { key }, select: { hits: true } });
  return row ? row.hits : null;
}
