/**
 * The storage behaviours, run against each database (sqlite.test.ts, postgres.test.ts):
 * the same code must behave the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheEntryHits, cacheKey, predictionCache } from "@/lib/storage/prediction-cache";
import { countRuns, createRun, getRun } from "@/lib/storage/runs";
import { ZodError } from "zod";
import { db, disconnectDb, isUniqueViolation } from "@/lib/storage/db";
import { createLesson, getLesson } from "@/lib/storage/lessons";
import type { PredictedTrace } from "@/lib/trace/schema";
import { counterRun } from "./fixtures";
import type { TestDatabase } from "./test-db";

export function storageSuite(name: string, open: () => Promise<TestDatabase | null>): void {
  let database: TestDatabase | null = null;
  const before = process.env.DATABASE_URL;

  beforeAll(async () => {
    database = await open();
    if (database) process.env.DATABASE_URL = database.url;
  });
  afterAll(async () => {
    await disconnectDb();
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
    await database?.drop();
  });

  const fx = counterRun();
  const greedy = { temperature: 0, max_tokens: 4096 };
  const keyOf = (prompt: string) => cacheKey({ predictorId: "cwm-vllm", model: "facebook/cwm", prompt, settings: greedy });

  describe(name, () => {
    it("creates a run and reads back exactly what was stored", async (ctx) => {
      if (!database) return ctx.skip();
      const { id, url } = await createRun({ code: fx.code, call: fx.call, title: "counter", actual: fx.actual, predictions: [fx.prediction] });
      expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(url).toBe(`/r/${id}`);
      const run = await getRun(id);
      expect(run).not.toBeNull();
      expect(run!.code).toBe(fx.code);
      expect(run!.call).toBe(fx.call);
      expect(run!.mode).toBe("call");
      expect(run!.title).toBe("counter");
      expect(run!.executor).toBe("CPython 3.11 (recorded)");
      expect(run!.actual).toEqual(fx.actual);
      expect(run!.predictions).toEqual([fx.prediction]);
      expect(Number.isNaN(Date.parse(run!.createdAt))).toBe(false);
    });

    it("stores a script-mode run with no prediction and no title", async (ctx) => {
      if (!database) return ctx.skip();
      const { id } = await createRun({ code: "x = 1\n", call: "  ", actual: { ...fx.actual, frames: fx.actual.frames.slice(0, 2) } });
      const run = await getRun(id);
      expect(run).toMatchObject({ call: null, mode: "script", title: null, predictions: [], metrics: null });
    });

    it("keeps the stored metrics JSON", async (ctx) => {
      if (!database) return ctx.skip();
      const metrics = { valid_format: true, valid_json: true, action_exact: 0.5, state_exact: 0.25, key_match: 1, key_value_match: 0.75, output_correct: false, first_divergence: 4 };
      const { id } = await createRun({ code: fx.code, call: fx.call, actual: fx.actual, predictions: [fx.prediction], metrics });
      expect((await getRun(id))!.metrics).toEqual(metrics);
    });

    it("answers null for an unknown id and for a malformed one", async (ctx) => {
      if (!database) return ctx.skip();
      expect(await getRun("AAAAAAAAAAAAAAAA")).toBeNull();
      expect(await getRun("../../etc/passwd")).toBeNull();
      expect(await getRun("")).toBeNull();
    });

    it("reads a run once for many simultaneous visitors and keeps it", async (ctx) => {
      if (!database) return ctx.skip();
      const { id } = await createRun({ code: fx.code, call: fx.call, actual: fx.actual, predictions: [fx.prediction] });
      const seen = await Promise.all(Array.from({ length: 30 }, () => getRun(id)));
      expect(new Set(seen).size).toBe(1);
      expect(await getRun(id)).toBe(seen[0]);
    });

    it("fails loudly, as a server error, on a stored run that no longer parses", async (ctx) => {
      if (!database) return ctx.skip();
      const id = "BrokenRun0000000";
      await (await db()).run.create({ data: { id, code: "x", mode: "script", actual: '{"status":"exploded"}' } });
      await expect(getRun(id)).rejects.toThrow(/stored run BrokenRun0000000 is unreadable: actual/);
      await expect(getRun(id)).rejects.not.toBeInstanceOf(ZodError);
    });

    it("creates 50 runs in parallel, each with its own id", async (ctx) => {
      if (!database) return ctx.skip();
      const n0 = await countRuns();
      const created = await Promise.all(
        Array.from({ length: 50 }, (_, i) => createRun({ code: `print(${i})\n`, actual: fx.actual, predictions: [fx.prediction] })),
      );
      expect(new Set(created.map((c) => c.id)).size).toBe(50);
      expect(await countRuns()).toBe(n0 + 50);
      const back = await Promise.all(created.map((c) => getRun(c.id)));
      expect(back.map((r) => r?.code)).toEqual(created.map((_, i) => `print(${i})\n`));
    });

    it("stores a run under a fixed id, once: the second insert is a unique violation", async (ctx) => {
      if (!database) return ctx.skip();
      const id = "fixed-run-id-0001";
      expect(await createRun({ code: fx.code, call: fx.call, actual: fx.actual }, id)).toEqual({ id, url: `/r/${id}` });
      const again = await createRun({ code: "other\n", actual: fx.actual }, id).catch((err: unknown) => err);
      expect(isUniqueViolation(again)).toBe(true);
      expect((await getRun(id))?.code).toBe(fx.code);
    });

    it("stores a lesson under a fixed id, once: the second insert is a unique violation", async (ctx) => {
      if (!database) return ctx.skip();
      const { id: run } = await createRun({ code: fx.code, call: fx.call, actual: fx.actual });
      const id = "fixed-lesson-id-01";
      const body = { title: "fixed", slides: [{ run }] };
      expect(await createLesson(body, id)).toEqual({ id, url: `/l/${id}` });
      expect(isUniqueViolation(await createLesson({ ...body, title: "other" }, id).catch((err: unknown) => err))).toBe(true);
      expect((await getLesson(id))?.title).toBe("fixed");
    });

    it("tells a unique violation from other failures", () => {
      expect(isUniqueViolation({ code: "P2002" })).toBe(true);
      expect([new Error("P2002"), { code: "P2003" }, null, "P2002"].map(isUniqueViolation)).toEqual([false, false, false, false]);
    });

    it("misses the cache for a key never stored", async (ctx) => {
      if (!database) return ctx.skip();
      expect(await predictionCache.get(keyOf("never stored"))).toBeNull();
    });

    it("hits the cache after a put and counts the hits", async (ctx) => {
      if (!database) return ctx.skip();
      const key = keyOf("hit me");
      await predictionCache.put(key, { ...fx.prediction, cached: false });
      const { cached: _c, ...expected } = fx.prediction;
      expect(await predictionCache.get(key)).toEqual(expected);
      await predictionCache.get(key);
      expect(await cacheEntryHits(key)).toBe(2);
    });

    it("accepts a put of the same key twice and keeps the first", async (ctx) => {
      if (!database) return ctx.skip();
      const key = keyOf("twice");
      const second: PredictedTrace = { ...fx.prediction, raw: "second" };
      await predictionCache.put(key, fx.prediction);
      await expect(predictionCache.put(key, second)).resolves.toBeUndefined();
      expect((await predictionCache.get(key))!.raw).toBe(fx.prediction.raw);
    });

    it("accepts 20 concurrent puts of one key", async (ctx) => {
      if (!database) return ctx.skip();
      const key = keyOf("concurrent");
      await Promise.all(Array.from({ length: 20 }, (_, i) => predictionCache.put(key, { ...fx.prediction, raw: `r${i}` })));
      expect((await predictionCache.get(key))!.raw).toMatch(/^r\d+$/);
    });

    it("refuses a key that is not a cacheKey digest", async (ctx) => {
      if (!database) return ctx.skip();
      await expect(predictionCache.get("not-a-key")).rejects.toThrow(/bad key/);
      await expect(predictionCache.put("x".repeat(64), fx.prediction)).rejects.toThrow(/bad key/);
    });

    it("refuses to cache something that is not a PredictedTrace", async (ctx) => {
      if (!database) return ctx.skip();
      const bad = { ...fx.prediction, finish: "maybe" } as unknown as PredictedTrace;
      await expect(predictionCache.put(keyOf("bad"), bad)).rejects.toThrow();
      expect(await predictionCache.get(keyOf("bad"))).toBeNull();
    });

    it("keeps at most PREDICTION_CACHE_MAX_ENTRIES predictions, dropping the oldest first", async (ctx) => {
      if (!database) return ctx.skip();
      const saved = process.env.PREDICTION_CACHE_MAX_ENTRIES;
      process.env.PREDICTION_CACHE_MAX_ENTRIES = "3";
      try {
        await (await db()).predictionCacheEntry.deleteMany({});
        const keys = ["e1", "e2", "e3", "e4", "e5"].map(keyOf);
        for (const k of keys) {
          await predictionCache.put(k, fx.prediction);
          // Distinct creation times, so "oldest" is well defined on both databases.
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(await (await db()).predictionCacheEntry.count()).toBe(3);
        expect(await predictionCache.peek(keys[0])).toBeNull();
        expect(await predictionCache.peek(keys[1])).toBeNull();
        for (const k of keys.slice(2)) expect(await predictionCache.peek(k)).not.toBeNull();
      } finally {
        if (saved === undefined) delete process.env.PREDICTION_CACHE_MAX_ENTRIES;
        else process.env.PREDICTION_CACHE_MAX_ENTRIES = saved;
      }
    });

    it("keeps no prediction when PREDICTION_CACHE_MAX_ENTRIES is 0", async (ctx) => {
      if (!database) return ctx.skip();
      const saved = process.env.PREDICTION_CACHE_MAX_ENTRIES;
      process.env.PREDICTION_CACHE_MAX_ENTRIES = "0";
      try {
        await predictionCache.put(keyOf("none kept"), fx.prediction);
        expect(await predictionCache.peek(keyOf("none kept"))).toBeNull();
      } finally {
        if (saved === undefined) delete process.env.PREDICTION_CACHE_MAX_ENTRIES;
        else process.env.PREDICTION_CACHE_MAX_ENTRIES = saved;
      }
    });

    it("peeks without counting a hit", async (ctx) => {
      if (!database) return ctx.skip();
      const key = keyOf("peeked");
      await predictionCache.put(key, fx.prediction);
      expect(await predictionCache.peek(key)).toEqual(fx.prediction);
      expect(await cacheEntryHits(key)).toBe(0);
    });

    it("stores a prediction as uploaded unless told this server made it", async (ctx) => {
      if (!database) return ctx.skip();
      const uploaded = await createRun({ code: fx.code, call: fx.call, actual: fx.actual, predictions: [fx.prediction] });
      expect((await getRun(uploaded.id))!.provenance).toBe("uploaded");
      const made = await createRun({ code: fx.code, call: fx.call, actual: fx.actual, predictions: [fx.prediction], provenance: ["server"] });
      expect((await getRun(made.id))!.provenance).toBe("server");
    });

    it("reads a prediction saved before provenance was recorded (null) as uploaded", async (ctx) => {
      if (!database) return ctx.skip();
      const { id } = await createRun({ code: fx.code, call: fx.call, actual: fx.actual, predictions: [fx.prediction], provenance: ["server"] });
      await (await db()).prediction.updateMany({ where: { runId: id }, data: { provenance: null } });
      expect((await getRun(id))!.provenance).toBe("uploaded");
    });
  });
}
