/**
 * Group commit of answers against a real database (live-batch.sqlite.test.ts,
 * live-batch.postgres.test.ts): many answers, one transaction, each acknowledged only after the
 * commit that holds it; a failed commit stores none and fails them all. Not a test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveApi } from "@/lib/live/api";
import { AnswerBatcher } from "@/lib/live/answer-batch";
import { LiveHub } from "@/lib/live/hub";
import type { LessonView } from "@/lib/live/lesson-view";
import { addParticipant, createSession, storeAnswers, type AnswerItem } from "@/lib/live/store";
import { hashToken, newToken } from "@/lib/live/tokens";
import { databaseKind } from "@/lib/config/storage";
import { db, disconnectDb } from "@/lib/storage/db";
import type { TestDatabase } from "@/lib/storage/__tests__/test-db";

const lesson = { id: "B".repeat(16), title: "t", questionCounts: [2], at: () => null, all: () => [] } as unknown as LessonView;

export function liveBatchSuite(name: string, open: () => Promise<TestDatabase | null>): void {
  let database: TestDatabase | null = null;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    database = await open();
    if (database) process.env.DATABASE_URL = database.url;
  });
  afterAll(async () => {
    await disconnectDb();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await database?.drop();
  });

  /** A session on question 0 of slide 0 in `phase`, with n participants (their tokens and ids). */
  async function room(n: number, phase = "open") {
    const row = await createSession(lesson, hashToken(newToken()), (c) => `http://x/join?code=${c}`);
    const people: { token: string; id: number }[] = [];
    for (let i = 0; i < n; i++) {
      const token = newToken();
      people.push({ token, id: await addParticipant(row.id, hashToken(token), `p${i}`) });
    }
    await (await db()).liveSession.update({ where: { id: row.id }, data: { phase } });
    return { id: row.id, people };
  }

  const stored = async (sessionId: string) =>
    (await (await db()).liveAnswer.findMany({ where: { sessionId }, select: { participantId: true, answer: true } })).sort((a, b) => a.participantId - b.participantId);

  const answerRequest = (sessionId: string, token: string, answer: string) =>
    new Request(`http://127.0.0.1/api/live/${sessionId}/answers`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ slide: 0, question: 0, answer }),
    });

  /** Every insert into LiveEvent fails: the transaction that stores answers fails after writing them. */
  async function failingEvents(): Promise<() => Promise<void>> {
    const c = await db();
    if (databaseKind(process.env.DATABASE_URL ?? "") === "postgres") {
      await c.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION cwm_test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`);
      await c.$executeRawUnsafe(`CREATE TRIGGER cwm_test_fail BEFORE INSERT ON "LiveEvent" FOR EACH ROW EXECUTE FUNCTION cwm_test_fail()`);
      return async () => void (await c.$executeRawUnsafe(`DROP TRIGGER cwm_test_fail ON "LiveEvent"`));
    }
    await c.$executeRawUnsafe(`CREATE TRIGGER cwm_test_fail BEFORE INSERT ON "LiveEvent" BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    return async () => void (await c.$executeRawUnsafe(`DROP TRIGGER cwm_test_fail`));
  }

  describe(name, () => {
    it("a room answering at once: every answer stored, in fewer transactions than answers, each in the database before it is acknowledged", async (ctx) => {
      if (!database) return ctx.skip();
      const r = await room(40);
      const committed = new Set<number>();
      let transactions = 0;
      const batcher = new AnswerBatcher(new LiveHub(), async (id, items) => {
        transactions++;
        const out = await storeAnswers(id, items);
        items.forEach((it) => committed.add(it.participantId));
        return out;
      });
      const early: number[] = [];
      await Promise.all(
        r.people.map((p) =>
          batcher.submit(r.id, { participantId: p.id, slide: 0, question: 0, answer: `a${p.id}` }).then(() => {
            if (!committed.has(p.id)) early.push(p.id);
          }),
        ),
      );
      expect(early).toEqual([]);
      expect(transactions).toBeLessThan(r.people.length);
      expect(await stored(r.id)).toEqual(r.people.map((p) => ({ participantId: p.id, answer: `a${p.id}` })));
    });

    it("through the route: concurrent answers all get 200 and all are stored; the teacher's last event counts them all", async (ctx) => {
      if (!database) return ctx.skip();
      const api = createLiveApi();
      const r = await room(25);
      const seen: number[] = [];
      const sub = api.hub.subscribe(r.id, {
        push: (e) => {
          const m = /"type":"answers".*"answered":(\d+)/.exec(e.data);
          if (m) seen.push(Number(m[1]));
        },
        end: () => {},
      });
      sub.ready(0);
      const ctxOf = { params: Promise.resolve({ id: r.id }) };
      const res = await Promise.all(r.people.map((p) => api.answer(answerRequest(r.id, p.token, ` x${p.id} `), ctxOf)));
      expect(res.map((x) => x.status)).toEqual(r.people.map(() => 200));
      expect(await stored(r.id)).toEqual(r.people.map((p) => ({ participantId: p.id, answer: `x${p.id}` })));
      await api.settled();
      expect(seen.at(-1)).toBe(25);
      sub.close();
      await api.close();
    });

    it("a failed commit answers 500 to every request in it and stores none of them; the next answers are stored", async (ctx) => {
      if (!database) return ctx.skip();
      const api = createLiveApi();
      const r = await room(10);
      const ctxOf = { params: Promise.resolve({ id: r.id }) };
      const restore = await failingEvents();
      let res: Response[];
      const quiet = console.error;
      // The failure is logged as an internal error; the test reads it from the statuses.
      console.error = () => {};
      try {
        res = await Promise.all(r.people.map((p) => api.answer(answerRequest(r.id, p.token, "1"), ctxOf)));
      } finally {
        await restore();
        console.error = quiet;
      }
      expect(res.map((x) => x.status)).toEqual(r.people.map(() => 500));
      expect(await stored(r.id)).toEqual([]);
      const again = await api.answer(answerRequest(r.id, r.people[0].token, "2"), ctxOf);
      expect(again.status).toBe(200);
      expect(await stored(r.id)).toEqual([{ participantId: r.people[0].id, answer: "2" }]);
      await api.close();
    });

    it("a batch with answers to another question: those get 409, the current question's are stored", async (ctx) => {
      if (!database) return ctx.skip();
      const r = await room(3);
      const items: AnswerItem[] = [
        { participantId: r.people[0].id, slide: 0, question: 0, answer: "ok" },
        { participantId: r.people[1].id, slide: 0, question: 1, answer: "stale" },
        { participantId: r.people[2].id, slide: 0, question: 0, answer: "ok too" },
      ];
      const { refused, events } = await storeAnswers(r.id, items);
      expect([...refused.keys()]).toEqual([1]);
      expect(refused.get(1)?.code).toBe("conflict");
      expect(await stored(r.id)).toEqual([
        { participantId: r.people[0].id, answer: "ok" },
        { participantId: r.people[2].id, answer: "ok too" },
      ]);
      expect(events.map((e) => e.audience)).toEqual(["t", `p:${r.people[0].id}`, `p:${r.people[2].id}`]);
      expect(JSON.parse(events[0].data)).toMatchObject({ type: "answers", answered: 2, participants: 3 });
    });

    it("a question not open (lobby, locked) or an ended session: every answer refused (409, 410), nothing stored, no events", async (ctx) => {
      if (!database) return ctx.skip();
      for (const [phase, code] of [
        ["lobby", "conflict"],
        ["locked", "conflict"],
        ["revealed", "conflict"],
        ["ended", "gone"],
      ] as const) {
        const r = await room(2, phase);
        const { refused, events } = await storeAnswers(
          r.id,
          r.people.map((p) => ({ participantId: p.id, slide: 0, question: 0, answer: "1" })),
        );
        expect([...refused.values()].map((e) => e.code)).toEqual([code, code]);
        expect(events).toEqual([]);
        expect(await stored(r.id)).toEqual([]);
      }
    });

    it("one participant twice in a batch: the later answer is the one stored, and its phone is told once", async (ctx) => {
      if (!database) return ctx.skip();
      const r = await room(1);
      const p = r.people[0].id;
      const { refused, events } = await storeAnswers(r.id, [
        { participantId: p, slide: 0, question: 0, answer: "first" },
        { participantId: p, slide: 0, question: 0, answer: "second" },
      ]);
      expect(refused.size).toBe(0);
      expect(await stored(r.id)).toEqual([{ participantId: p, answer: "second" }]);
      const yours = events.filter((e) => e.audience === `p:${p}`).map((e) => JSON.parse(e.data) as { answer: string });
      expect(yours.map((y) => y.answer)).toEqual(["second"]);
    });

    it("events of consecutive batches take consecutive seqs", async (ctx) => {
      if (!database) return ctx.skip();
      const r = await room(2);
      const a = await storeAnswers(r.id, [{ participantId: r.people[0].id, slide: 0, question: 0, answer: "1" }]);
      const b = (await storeAnswers(r.id, [], true)).events;
      const c = await storeAnswers(r.id, [{ participantId: r.people[1].id, slide: 0, question: 0, answer: "2" }]);
      const seqs = [...a.events, ...b, ...c.events].map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
      const row = await (await db()).liveSession.findUniqueOrThrow({ where: { id: r.id } });
      expect(row.seq).toBe(seqs.at(-1));
    });

    it("answers and joins restart the session's idle clock (read back as a date by the ORM)", async (ctx) => {
      if (!database) return ctx.skip();
      const r = await room(1);
      const c = await db();
      const old = new Date(Date.now() - 3 * 3600_000);
      await c.liveSession.update({ where: { id: r.id }, data: { lastActivity: old } });
      await storeAnswers(r.id, [{ participantId: r.people[0].id, slide: 0, question: 0, answer: "1" }]);
      const after = (await c.liveSession.findUniqueOrThrow({ where: { id: r.id } })).lastActivity;
      expect(Math.abs(after.getTime() - Date.now())).toBeLessThan(60_000);
      await c.liveSession.update({ where: { id: r.id }, data: { lastActivity: old } });
      await storeAnswers(r.id, [], true);
      const joined = (await c.liveSession.findUniqueOrThrow({ where: { id: r.id } })).lastActivity;
      expect(Math.abs(joined.getTime() - Date.now())).toBeLessThan(60_000);
    });
  });
}
