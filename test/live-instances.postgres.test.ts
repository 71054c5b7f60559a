/**
 * Two app instances (two processes, each with its own hub and LISTEN connection) on one
 * PostgreSQL share a session: the teacher on A, students on B, and events cross through
 * LISTEN/NOTIFY both ways. Skipped with a warning only when PostgreSQL is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/storage/db";
import { postgresTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";
import { http, seedLesson } from "./live-api-suite";
import { startInstance, type Instance } from "./live-process";
import { SseClient } from "./live-sse";

let database: TestDatabase | null = null;
let lesson = "";
let a: Instance | null = null;
let b: Instance | null = null;
const streams: SseClient[] = [];
const saved = process.env.DATABASE_URL;

beforeAll(async () => {
  database = await postgresTestDatabase();
  if (!database) return;
  process.env.DATABASE_URL = database.url;
  ({ lesson } = await seedLesson());
  [a, b] = await Promise.all([startInstance(database.url), startInstance(database.url)]);
});

afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await Promise.all([a?.stop(), b?.stop()]);
  await disconnectDb();
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
  await database?.drop();
});

describe("two instances on one PostgreSQL", () => {
  it("the teacher's stream on instance A sees answers posted to instance B; students' streams on B see A's controls", async (ctx) => {
    if (!database || !a || !b) return ctx.skip();
    const onA = http(() => a!.url);
    const onB = http(() => b!.url);
    const s = await onA.start(lesson);
    const teacher = await SseClient.open(`${a.url}/api/live/${s.id}/events`, onA.auth(s.teacherToken));
    streams.push(teacher);
    await teacher.waitFor((e) => e.data.type === "state");

    const students = [];
    for (let i = 0; i < 6; i++) students.push((await onB.join(s.code, `b${i}`)).participantToken);
    const phones = await Promise.all(students.map((t) => SseClient.open(`${b!.url}/api/live/${s.id}/events`, onB.auth(t))));
    streams.push(...phones);
    await Promise.all(phones.map((p) => p.waitFor((e) => e.data.type === "you")));
    // Joins on B reach the teacher on A.
    await teacher.waitFor((e) => e.data.type === "answers" && e.data.participants === 6, 10_000, "6 participants via B");

    await onA.control(s.id, s.teacherToken, { action: "open" });
    // A's control reaches every phone on B.
    await Promise.all(phones.map((p) => p.waitFor((e) => e.data.type === "state" && e.data.state.phase === "open", 10_000, "open via A")));
    await Promise.all(students.map((t, i) => onB.answer(s.id, t, 0, 0, i < 4 ? "(40, 57, 83)" : "(80, 24, 4)")));
    const seen = await teacher.waitFor((e) => e.data.type === "answers" && e.data.answered === 6, 10_000, "6 answers via B");
    if (seen.data.type === "answers") {
      expect(seen.data.histogram).toEqual([
        { answer: "(40, 57, 83)", count: 4 },
        { answer: "(80, 24, 4)", count: 2 },
      ]);
    }
    // Events arrive on A in seq order, each once.
    const ids = teacher.events.filter((e) => e.id !== null).map((e) => Number(e.id));
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));

    await onA.control(s.id, s.teacherToken, { action: "reveal" });
    for (const p of phones) {
      const r = await p.waitFor((e) => e.data.type === "state" && e.data.state.phase === "revealed", 10_000, "reveal via A");
      expect(r.data.type === "state" && r.data.state.reveal?.real).toBe("(40, 57, 83)");
    }
    // The results agree on both instances.
    const ra = await onA.results(s.id, s.teacherToken);
    const rb = await onB.results(s.id, s.teacherToken);
    expect(rb).toEqual(ra);
    expect(ra.questions[0]).toMatchObject({ answers: 6, right: 4, correct: "(40, 57, 83)" });
  });
});
