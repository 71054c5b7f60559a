/**
 * The built-in lessons seeded into a real database (lesson-seed.sqlite.test.ts,
 * lesson-seed.postgres.test.ts) and read back over real HTTP through the app's own route.
 * Not a test file.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as item from "@/app/api/lessons/[id]/route";
import { BUILTIN_LESSONS } from "@/lib/classroom/builtin";
import { resolveQuestion } from "@/lib/classroom/builtin/resolve";
import { ensureBuiltinLessons, seedBuiltinLessons } from "@/lib/classroom/seed";
import { disconnectDb } from "@/lib/storage/db";
import { countLessons } from "@/lib/storage/lessons";
import { countRuns } from "@/lib/storage/runs";
import { StoredLesson } from "@/lib/storage/lesson-schema";
import type { TestDatabase } from "@/lib/storage/__tests__/test-db";
import { serveRoutes } from "./http-harness";

const SLIDES = BUILTIN_LESSONS.reduce((n, l) => n + l.slides.length, 0);

export function lessonSeedSuite(name: string, open: () => Promise<TestDatabase | null>): void {
  let database: TestDatabase | null = null;
  let served: { url: string; close: () => Promise<void> } | null = null;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    database = await open();
    if (!database) return;
    process.env.DATABASE_URL = database.url;
    served = await serveRoutes({ "GET /api/lessons/:id": (req, ctx) => item.GET(req, { params: ctx.params.then((p) => ({ id: p.id })) }) });
  });

  afterAll(async () => {
    await served?.close();
    await disconnectDb();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await database?.drop();
  });

  describe(name, () => {
    it("logs a database it cannot reach and answers null, never throwing (the app starts anyway)", async (ctx) => {
      if (!database) return ctx.skip();
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      process.env.DATABASE_URL = "file:/nonexistent-dir-for-cwm-tests/x/y.db";
      try {
        expect(await ensureBuiltinLessons()).toBeNull();
        expect(errors).toHaveBeenCalledWith(expect.stringMatching(/could not store the built-in lessons/));
      } finally {
        process.env.DATABASE_URL = database.url;
        errors.mockRestore();
      }
    });

    it("stores nothing when a definition is broken (everything is checked before the first write)", async (ctx) => {
      if (!database) return ctx.skip();
      const broken = { ...BUILTIN_LESSONS[0], id: "builtin-broken-lesson", slides: [{ ...BUILTIN_LESSONS[0].slides[0], runId: "builtin-no-such-trace" }] };
      await expect(seedBuiltinLessons([...BUILTIN_LESSONS, broken])).rejects.toThrow(/no trace for slide 0 \(builtin-no-such-trace\)/);
      expect(await countRuns()).toBe(0);
      expect(await countLessons()).toBe(0);
    });

    it("stores every built-in once when several servers seed at the same moment", async (ctx) => {
      if (!database) return ctx.skip();
      const reports = await Promise.all([seedBuiltinLessons(), seedBuiltinLessons(), seedBuiltinLessons()]);
      expect(reports.reduce((n, r) => n + r.runsCreated, 0)).toBe(SLIDES);
      expect(reports.reduce((n, r) => n + r.lessonsCreated, 0)).toBe(BUILTIN_LESSONS.length);
      expect(await countRuns()).toBe(SLIDES);
      expect(await countLessons()).toBe(BUILTIN_LESSONS.length);
    });

    it("stores nothing more when seeded again (every server start)", async (ctx) => {
      if (!database) return ctx.skip();
      expect(await seedBuiltinLessons()).toEqual({ runsCreated: 0, lessonsCreated: 0 });
      expect(await ensureBuiltinLessons()).toEqual({ runsCreated: 0, lessonsCreated: 0 });
      expect(await countRuns()).toBe(SLIDES);
      expect(await countLessons()).toBe(BUILTIN_LESSONS.length);
    });

    it("serves each built-in lesson at its fixed id: its slides, questions on the real trace, no prediction", async (ctx) => {
      if (!database) return ctx.skip();
      for (const def of BUILTIN_LESSONS) {
        const res = await fetch(`${served!.url}/api/lessons/${def.id}`);
        expect(res.status, def.id).toBe(200);
        const lesson = StoredLesson.parse(await res.json());
        expect(lesson).toMatchObject({ id: def.id, url: `/l/${def.id}`, title: def.title });
        expect(lesson.slides.map((s) => s.run.id)).toEqual(def.slides.map((s) => s.runId));
        lesson.slides.forEach((s, i) => {
          const d = def.slides[i];
          expect(s.run).toMatchObject({ code: d.code, call: d.call, title: d.title, mode: "call", predictions: [], provenance: null, metrics: null });
          expect(s.questions).toEqual(d.questions.map((q, j) => resolveQuestion(q, s.run.actual.frames, `${def.id} ${i} ${j}`)));
          expect(s.notes).toBe(d.notes);
        });
        // Built-ins ship no model output: the first notes say how to get one.
        expect(lesson.slides[0].notes).toMatch(/No model prediction ships with this lesson/);
        expect(lesson.slides[0].notes).toMatch(/CWM_VLLM_URL/);
        expect(lesson.slides[0].notes).toMatch(/lesson create/);
      }
    });
  });
}
