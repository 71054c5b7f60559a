/**
 * A server killed in the middle of a question (SIGKILL: nothing flushed) and started again on
 * the same database: every acknowledged answer is in the results, the teacher's stream resumes
 * with Last-Event-ID, and the class goes on. Run against each database. Not a test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/storage/db";
import type { TestDatabase } from "@/lib/storage/__tests__/test-db";
import { http, seedLesson } from "./live-api-suite";
import { startInstance, type Instance } from "./live-process";
import { SseClient } from "./live-sse";

export function liveRestartSuite(name: string, open: () => Promise<TestDatabase | null>): void {
  let database: TestDatabase | null = null;
  let lesson = "";
  const instances: Instance[] = [];
  const streams: SseClient[] = [];
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    database = await open();
    if (!database) return;
    process.env.DATABASE_URL = database.url;
    ({ lesson } = await seedLesson());
  });

  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await Promise.all(instances.map((i) => i.stop()));
    await disconnectDb();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await database?.drop();
  });

  describe(name, () => {
    it("answers acknowledged before a crash are all in the results after a restart; streams resume with Last-Event-ID; the question goes on", async (ctx) => {
      if (!database) return ctx.skip();
      const first = await startInstance(database.url);
      instances.push(first);
      let base = first.url;
      const h = http(() => base);
      const s = await h.start(lesson);
      const students = [];
      for (let i = 0; i < 8; i++) students.push((await h.join(s.code, `s${i}`)).participantToken);
      const teacher = await SseClient.open(`${base}/api/live/${s.id}/events`, h.auth(s.teacherToken));
      streams.push(teacher);
      await teacher.waitFor(
        (e) => (e.data.type === "answers" ? e.data.participants : e.data.type === "state" ? e.data.state.participants : 0) === 8,
        10_000,
        "8 joined",
      );
      await h.control(s.id, s.teacherToken, { action: "open" });
      await teacher.waitFor((e) => e.data.type === "state" && e.data.state.phase === "open");
      const resumeFrom = teacher.lastId()!;
      // Every answer acknowledged, then the process dies at once: the coalesced events may never be written.
      await Promise.all(students.map((t, i) => h.answer(s.id, t, 0, 0, i % 2 ? "odd" : "even")));
      await first.crash();
      await teacher.closedByServer().catch(() => {});

      const second = await startInstance(database.url);
      instances.push(second);
      base = second.url;
      const r = await h.results(s.id, s.teacherToken);
      expect(r.participants).toBe(8);
      expect(r.questions[0].histogram).toEqual([
        { answer: "even", count: 4 },
        { answer: "odd", count: 4 },
      ]);
      const stored = await (await db()).liveAnswer.count({ where: { sessionId: s.id } });
      expect(stored).toBe(8);

      // The teacher reconnects where it stopped: what it missed (if anything was written), then live events.
      const resumed = await SseClient.open(`${base}/api/live/${s.id}/events`, { ...h.auth(s.teacherToken), "last-event-id": resumeFrom });
      streams.push(resumed);
      expect(resumed.status).toBe(200);
      // The session is still open on the new process: a student changes an answer.
      await h.answer(s.id, students[0], 0, 0, "odd");
      const after = await resumed.waitFor(
        (e) => e.data.type === "answers" && e.data.histogram.some((b) => b.answer === "odd" && b.count === 5),
        10_000,
        "the histogram after the restart",
      );
      expect(Number(after.id)).toBeGreaterThan(Number(resumeFrom));
      expect(resumed.events.every((e) => Number(e.id) > Number(resumeFrom))).toBe(true);
      // A phone that slept through the restart resumes too and sees its own answer.
      const phone = await SseClient.open(`${base}/api/live/${s.id}/events`, h.auth(students[0]));
      streams.push(phone);
      await phone.waitFor((e) => e.data.type === "you" && e.data.answer === "odd");
      await h.control(s.id, s.teacherToken, { action: "reveal" });
      await phone.waitFor((e) => e.data.type === "state" && e.data.state.phase === "revealed");
      const final = await h.results(s.id, s.teacherToken);
      expect(final.questions[0]).toMatchObject({ answers: 8, correct: "(40, 57, 83)", right: 0 });
    });
  });
}
