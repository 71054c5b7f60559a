/**
 * The hub delivers each stored event once and in seq order, whatever order the news of them
 * arrives in (another instance's NOTIFY may overtake this instance's own commit).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveHub } from "@/lib/live/hub";
import { createSession, storeAnswers, type StoredEvent } from "@/lib/live/store";
import type { LessonView } from "@/lib/live/lesson-view";
import { disconnectDb } from "@/lib/storage/db";
import { sqliteTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";

let database: TestDatabase;
const saved = process.env.DATABASE_URL;
const lesson = { id: "L".repeat(16), title: "t", questionCounts: [0], at: () => null, all: () => [] } as unknown as LessonView;

beforeAll(() => {
  database = sqliteTestDatabase();
  process.env.DATABASE_URL = database.url;
});
afterAll(async () => {
  await disconnectDb();
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
  await database.drop();
});

/** What a join writes: the teacher's histogram with the participant count. */
const joinEvents = async (sessionId: string) => (await storeAnswers(sessionId, [], true)).events;

/** A subscriber to the session that records the seqs it is sent. */
function seqsSent(hub: LiveHub, sessionId: string) {
  const got: number[] = [];
  const sub = hub.subscribe(sessionId, { push: (e) => got.push(e.seq), end: () => {} });
  return { got, sub };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("live hub", () => {
  it("news of a later event first: the gap is read from the database, everything arrives once, in order", async () => {
    const row = await createSession(lesson, "h", (c) => `u/${c}`);
    const hub = new LiveHub();
    const { got, sub } = seqsSent(hub, row.id);
    sub.ready(0);
    const first = await joinEvents(row.id);
    const second = await joinEvents(row.id);
    hub.published(row.id, second);
    await until(() => got.length >= 2);
    hub.published(row.id, first);
    hub.notified(row.id, second[second.length - 1].seq);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([...first, ...second].map((e: StoredEvent) => e.seq));
    sub.close();
  });

  it("a subscriber that started from seq N is not sent events up to N again", async () => {
    const row = await createSession(lesson, "h2", (c) => `u/${c}`);
    const before = await joinEvents(row.id);
    const hub = new LiveHub();
    const { got, sub } = seqsSent(hub, row.id);
    sub.ready(before[before.length - 1].seq);
    hub.published(row.id, before);
    const after = await joinEvents(row.id);
    hub.published(row.id, after);
    await until(() => got.length >= 1);
    expect(got).toEqual(after.map((e) => e.seq));
    sub.close();
  });

  it("the periodic check finds events nobody announced, for every watched session at once", async () => {
    const rows = await Promise.all(["c1", "c2"].map((h) => createSession(lesson, h, (c) => `u/${c}`)));
    const hub = new LiveHub();
    const got = new Map<string, number[]>(rows.map((r) => [r.id, []]));
    const subs = rows.map((r) => hub.subscribe(r.id, { push: (e) => got.get(r.id)!.push(e.seq), end: () => {} }));
    subs.forEach((s) => s.ready(0));
    const written = await Promise.all(rows.map((r) => joinEvents(r.id)));
    await hub.check();
    await until(() => [...got.values()].every((g) => g.length >= 1));
    expect(rows.map((r) => got.get(r.id))).toEqual(written.map((w) => w.map((e) => e.seq)));
    subs.forEach((s) => s.close());
  });

  it("shutting down ends every stream of every session", async () => {
    const hub = new LiveHub();
    let ended = 0;
    const subs = ["A".repeat(16), "B".repeat(16)].map((id) => hub.subscribe(id, { push: () => {}, end: () => ended++ }));
    hub.endAll();
    expect(ended).toBe(2);
    subs.forEach((s) => s.close());
  });

  it("a closed subscriber gets nothing more, and a room with none is forgotten", async () => {
    const row = await createSession(lesson, "h3", (c) => `u/${c}`);
    const hub = new LiveHub();
    const { got, sub } = seqsSent(hub, row.id);
    sub.ready(0);
    sub.close();
    hub.published(row.id, await joinEvents(row.id));
    expect(got).toEqual([]);
    expect(hub.sessions()).toEqual([]);
  });
});
