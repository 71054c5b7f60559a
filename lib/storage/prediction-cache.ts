/**
 * Greedy predictions by content hash: the same context, model and settings give the same
 * trace, so a classroom opening one example costs the GPU one request. Only the caller knows
 * whether a request is greedy (temperature 0); it decides what to cache.
 */
import "server-only";
import { createHash } from "node:crypto";
import { PredictedTrace, type SamplingSettings } from "@/lib/trace/schema";
import { db } from "./db";

/** Bumped when what a key covers changes, so old entries simply stop matching. */
const KEY_VERSION = 1;
const KEY_PATTERN = /^[0-9a-f]{64}$/;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON with object keys sorted and undefined members dropped: one text per value. */
function canonicalJson(v: unknown): string {
  const norm = (x: unknown): Json => {
    if (x === null || typeof x === "boolean" || typeof x === "string") return x;
    if (typeof x === "number") {
      if (!Number.isFinite(x)) throw new Error(`cacheKey: ${x} is not a JSON number`);
      return x;
    }
    if (Array.isArray(x)) return x.map((e) => (e === undefined ? null : norm(e)));
    if (typeof x === "object") {
      const out: { [k: string]: Json } = {};
      for (const k of Object.keys(x as object).sort()) {
        const val = (x as Record<string, unknown>)[k];
        if (val !== undefined) out[k] = norm(val);
      }
      return out;
    }
    throw new Error(`cacheKey: cannot hash a ${typeof x}`);
  };
  return JSON.stringify(norm(v));
}

export function cacheKey(parts: { predictorId: string; model: string | null; prompt: string; settings: SamplingSettings }): string {
  const { predictorId, model, prompt, settings } = parts;
  return createHash("sha256")
    .update(canonicalJson({ v: KEY_VERSION, predictorId, model, prompt, settings }))
    .digest("hex");
}

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new Error(`prediction cache: bad key ${JSON.stringify(key.slice(0, 80))} (want 64 hex digits from cacheKey)`);
}

const UNIQUE_VIOLATION = "P2002";

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === UNIQUE_VIOLATION;
}

export const predictionCache: {
  get(key: string): Promise<PredictedTrace | null>;
  put(key: string, p: PredictedTrace): Promise<void>;
} = {
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
    const { cached: _cached, ...trace } = PredictedTrace.parse(p);
    const client = await db();
    try {
      await client.predictionCacheEntry.create({ data: { key, trace: JSON.stringify(trace) } });
    } catch (err) {
      // Two requests for the same context finished together: greedy decoding made the same
      // trace, so the first one stored is as good as ours.
      if (!isUniqueViolation(err)) throw err;
    }
  },
};

/** Statistics for tests and operators. */
export async function cacheEntryHits(key: string): Promise<number | null> {
  checkKey(key);
  const row = await (await db()).predictionCacheEntry.findUnique({ where: { key }, select: { hits: true } });
  return row ? row.hits : null;
}
