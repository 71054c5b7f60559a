/**
 * THE only door to the Live* tables. Every write that changes what someone sees appends its
 * events in the same transaction, numbered from the session's `seq`: the row is updated first,
 * which locks it (PostgreSQL) or holds the one writer (SQLite), so seq order is commit order
 * and a stream that resumes after seq N misses nothing. With PostgreSQL the transaction also
 * NOTIFYs the other instances; the notification is delivered only on commit.
 */
import "server-only";
import { LRUCache } from "lru-cache";
import { scoreAnswer } from "@/lib/classroom/answers";
import { AppError } from "@/lib/http/errors";
import type { LiveSession as SessionRow, Prisma } from "@/lib/generated/sqlite/client";
import { db, dbKind, isUniqueViolation } from "@/lib/storage/db";
import type { LessonView } from "./lesson-view";
import { LIVE_LIMITS, type ControlBody, type Histogram, type LiveEvent, type LivePhase, type ResultQuestion } from "./protocol";
import { answeredOf, participantState, sortHistogram, teacherState, type SessionFacts } from "./state";
import { newJoinCode, newSessionId } from "./tokens";

type Tx = Prisma.TransactionClient;
export type { SessionRow };

/** pg_notify channel; payload `<session id>:<seq>` (the highest seq the transaction wrote). */
export const NOTIFY_CHANNEL = "cwm_live";

/** Audiences of stored events. */
export const TEACHER = "t";
export const PARTICIPANTS = "p";
export const participantAudience = (participantId: number) => `p:${participantId}`;

export interface StoredEvent {
  seq: number;
  audience: string;
  /** LiveEvent JSON, exactly the bytes a stream sends after `data: `. */
  data: string;
}

/** Long queues form when a room answers at once: wait for the writer rather than fail. */
const TX = { maxWait: 30_000, timeout: 30_000 };

const IDLE_MS = LIVE_LIMITS.idleHours * 3600_000;

/** 410 for a session that is over; the message says which way. */
export function assertLive(row: SessionRow): void {
  if (row.phase === "ended") throw new AppError("gone", "this live session has ended");
  if (Date.now() - row.lastActivity.getTime() > IDLE_MS) {
    throw new AppError("gone", `this live session expired (nothing happened for ${LIVE_LIMITS.idleHours} hours)`);
  }
}

const isPostgres = () => dbKind() === "postgres";

const SESSION_COLUMNS = ["id", "createdAt", "lessonId", "code", "joinUrl", "teacherTokenHash", "phase", "slide", "question", "revealed", "seq", "lastActivity"]
  .map((c) => `"${c}"`)
  .join(", ");

type RawSession = Omit<SessionRow, "slide" | "question" | "seq" | "createdAt" | "lastActivity"> & {
  slide: number | bigint;
  question: number | bigint;
  seq: number | bigint;
  createdAt: Date | string;
  lastActivity: Date | string;
};

function rowOf(r: RawSession | undefined): SessionRow | null {
  if (!r) return null;
  return {
    ...r,
    slide: Number(r.slide),
    question: Number(r.question),
    seq: Number(r.seq),
    createdAt: new Date(r.createdAt),
    lastActivity: new Date(r.lastActivity),
  };
}

/** One session row by its id or code, read with raw SQL (the stream and answer paths read it per request). */
async function sessionWhere(column: "id" | "code", value: string): Promise<SessionRow | null> {
  const q = new Sql(isPostgres());
  const rows = await (await db()).$queryRawUnsafe<RawSession[]>(`SELECT ${SESSION_COLUMNS} FROM "LiveSession" WHERE "${column}" = ${q.str(value)}`, ...q.args);
  return rowOf(rows[0]);
}

function phaseOf(row: SessionRow): LivePhase {
  return row.phase as LivePhase;
}

function revealedSet(row: SessionRow): Set<string> {
  try {
    const v: unknown = JSON.parse(row.revealed);
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  } catch {
    return new Set();
  }
}

export async function createSession(lesson: LessonView, teacherTokenHash: string, joinUrlOf: (code: string) => string): Promise<SessionRow> {
  const client = await db();
  for (let attempt = 1; ; attempt++) {
    try {
      const code = newJoinCode();
      return await client.liveSession.create({
        data: { id: newSessionId(), lessonId: lesson.id, code, joinUrl: joinUrlOf(code), teacherTokenHash, phase: "lobby", slide: 0, question: 0 },
      });
    } catch (err) {
      // A code (887 million of them) or id already taken: draw again.
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}

export async function sessionById(id: string): Promise<SessionRow | null> {
  const row = await sessionWhere("id", id);
  if (row) recentRows.set(id, row);
  return row;
}

/**
 * Rows read in the last two seconds, for the answer route only: a room answering at once reads
 * its session once, not once per answer. Safe because an answer's write checks the phase and
 * question itself (storeAnswers), and what a stale row could get wrong is only the idle clock,
 * by two seconds of four hours.
 */
export const RECENT_ROW_MS = 2000;
const recentRows = new LRUCache<string, SessionRow>({ max: 2000, ttl: RECENT_ROW_MS });

export async function recentSessionById(id: string): Promise<SessionRow | null> {
  return recentRows.get(id) ?? sessionById(id);
}

export async function sessionByCode(code: string): Promise<SessionRow | null> {
  return sessionWhere("code", code);
}

type ParticipantKey = { id: number; sessionId: string; tokenHash: string };
/** Participants are never changed or removed (only with their session): found ones are kept. */
const participantsByHash = new LRUCache<string, ParticipantKey>({ max: 20_000 });

export async function participantByTokenHash(tokenHash: string): Promise<ParticipantKey | null> {
  const known = participantsByHash.get(tokenHash);
  if (known) return known;
  const q = new Sql(isPostgres());
  const rows = await (await db()).$queryRawUnsafe<{ id: number | bigint; sessionId: string; tokenHash: string }[]>(
    `SELECT "id", "sessionId", "tokenHash" FROM "LiveParticipant" WHERE "tokenHash" = ${q.str(tokenHash)}`,
    ...q.args,
  );
  const p = rows[0] ? { id: Number(rows[0].id), sessionId: rows[0].sessionId, tokenHash: rows[0].tokenHash } : null;
  if (p) participantsByHash.set(tokenHash, p);
  return p;
}

/** Adds a participant unless the session is over (410) or full (409). */
export async function addParticipant(sessionId: string, tokenHash: string, name: string | null): Promise<number> {
  const client = await db();
  return client.$transaction(async (tx) => {
    // Locked: concurrent joins are counted one after another, and an end cannot slip between.
    // The idle clock is left alone (a join cannot revive an expired session): the batch that
    // writes the new count restarts it (storeAnswers with `joined`).
    assertLive(await lockRaw(tx, sessionId, 0));
    const n = await tx.liveParticipant.count({ where: { sessionId } });
    if (n >= LIVE_LIMITS.participants) throw new AppError("conflict", `the session is full (${LIVE_LIMITS.participants} participants)`);
    const p = await tx.liveParticipant.create({ data: { sessionId, tokenHash, name } });
    return p.id;
  }, TX);
}

/** Why an answer to (slide, question) is refused right now, as the error to answer with. */
function answerRefusal(row: Pick<SessionRow, "phase" | "slide" | "question">, slide: number, question: number): AppError {
  if (row.phase === "ended") return new AppError("gone", "this live session has ended");
  if (row.slide !== slide || row.question !== question) {
    return new AppError(
      "conflict",
      `question ${question} of slide ${slide} is not the current one (the class is on question ${row.question} of slide ${row.slide})`,
    );
  }
  const why = row.phase === "lobby" ? "is not open yet" : row.phase === "locked" ? "is locked" : "has been revealed";
  return new AppError("conflict", `this question ${why}: answers are not accepted now`);
}

/**
 * Raw SQL for the answer path: a Prisma model query costs 1–2.5 ms of CPU (its query
 * compiler), a raw one about 0.2 ms, and a room answering at once makes hundreds of them.
 * Placeholders are `?` on SQLite and `$n` (with casts) on PostgreSQL.
 */
class Sql {
  private n = 0;
  readonly args: unknown[] = [];
  constructor(private readonly pg: boolean) {}
  str(v: string): string {
    this.args.push(v);
    return this.pg ? `$${++this.n}` : "?";
  }
  int(v: number): string {
    this.args.push(v);
    return this.pg ? `$${++this.n}::int` : "?";
  }
  time(v: Date): string {
    this.args.push(v);
    return this.pg ? `$${++this.n}::timestamp` : "?";
  }
}

/** What a teacher's action changes on the session row. */
type Change = Partial<Pick<SessionRow, "phase" | "slide" | "question" | "revealed">>;

/**
 * Takes the session row's lock (an update), moving seq by k (the idle clock too when `touch`,
 * and applying `change`), and returns the row as updated; 404 when there is no such session.
 */
async function lockRaw(tx: Tx, sessionId: string, k: number, opts: { touch?: boolean; change?: Change } = {}): Promise<SessionRow> {
  const q = new Sql(isPostgres());
  const c = opts.change ?? {};
  const set = [
    `"seq" = "seq" + ${q.int(k)}`,
    ...(opts.touch ? [`"lastActivity" = ${q.time(new Date())}`] : []),
    ...(c.phase === undefined ? [] : [`"phase" = ${q.str(c.phase)}`]),
    ...(c.slide === undefined ? [] : [`"slide" = ${q.int(c.slide)}`]),
    ...(c.question === undefined ? [] : [`"question" = ${q.int(c.question)}`]),
    ...(c.revealed === undefined ? [] : [`"revealed" = ${q.str(c.revealed)}`]),
  ].join(", ");
  const rows = await tx.$queryRawUnsafe<RawSession[]>(`UPDATE "LiveSession" SET ${set} WHERE "id" = ${q.str(sessionId)} RETURNING ${SESSION_COLUMNS}`, ...q.args);
  const row = rowOf(rows[0]);
  if (!row) throw new AppError("not_found", "no live session with this id");
  return row;
}

async function factsOf(tx: Tx, row: SessionRow): Promise<SessionFacts> {
  const { participants, histogram } = await countsRaw(tx, row.id, row.slide, row.question);
  return { phase: phaseOf(row), slide: row.slide, question: row.question, code: row.code, participants, histogram };
}

/** The participant count and the question's histogram in one round trip (the count is the row whose answer is NULL; answers never are). */
async function countsRaw(tx: Tx, sessionId: string, slide: number, question: number): Promise<{ participants: number; histogram: Histogram }> {
  const q = new Sql(isPostgres());
  const rows = await tx.$queryRawUnsafe<{ answer: string | null; n: number | bigint }[]>(
    `SELECT NULL AS "answer", COUNT(*) AS "n" FROM "LiveParticipant" WHERE "sessionId" = ${q.str(sessionId)} ` +
      `UNION ALL SELECT "answer", COUNT(*) AS "n" FROM "LiveAnswer" WHERE "sessionId" = ${q.str(sessionId)} AND "slide" = ${q.int(slide)} AND "question" = ${q.int(question)} GROUP BY "answer"`,
    ...q.args,
  );
  let participants = 0;
  const groups: { answer: string; count: number }[] = [];
  for (const r of rows) {
    if (r.answer === null) participants = Number(r.n);
    else groups.push({ answer: r.answer, count: Number(r.n) });
  }
  return { participants, histogram: sortHistogram(groups) };
}

/**
 * Reserves seqs for `events` (moving the idle clock) and appends them. On PostgreSQL one
 * statement does the reserving, the insert and the NOTIFY: each round trip is paid by the
 * answers waiting in the batch.
 */
async function reserveAndWrite(tx: Tx, sessionId: string, events: { audience: string; event: LiveEvent }[]): Promise<StoredEvent[]> {
  const k = events.length;
  if (!isPostgres() || k > CHUNK) {
    const reserved = await lockRaw(tx, sessionId, k, { touch: true });
    return writeRaw(tx, sessionId, reserved.seq - k + 1, events);
  }
  const datas = events.map((e) => JSON.stringify(e.event));
  const q = new Sql(true);
  const id = q.str(sessionId);
  const kk = q.int(k);
  const at = q.time(new Date());
  const channel = q.str(NOTIFY_CHANNEL);
  const values = events.map((e, i) => `(${q.int(i + 1)}, ${q.str(e.audience)}, ${q.str(datas[i])})`).join(", ");
  const rows = await tx.$queryRawUnsafe<{ seq: number | bigint; written: number | bigint }[]>(
    `WITH r AS (UPDATE "LiveSession" SET "seq" = "seq" + ${kk}, "lastActivity" = ${at} WHERE "id" = ${id} RETURNING "seq"), ` +
      `ins AS (INSERT INTO "LiveEvent" ("sessionId", "seq", "audience", "data") SELECT ${id}, r."seq" - ${kk} + v.ord, v.audience, v.data FROM r, (VALUES ${values}) AS v(ord, audience, data) RETURNING 1) ` +
      `SELECT r."seq" AS "seq", pg_notify(${channel}, ${id} || ':' || r."seq")::text AS "notified", (SELECT COUNT(*) FROM ins) AS "written" FROM r`,
    ...q.args,
  );
  if (!rows[0] || Number(rows[0].written) !== k) throw new Error(`live session ${sessionId}: its events were not written (${rows[0]?.written ?? "no row"} of ${k})`);
  const last = Number(rows[0].seq);
  return events.map((e, i) => ({ seq: last - k + 1 + i, audience: e.audience, data: datas[i] }));
}

/** Rows per multi-row INSERT (well under either database's limit on parameters). */
const CHUNK = 200;

/** Appends events with seqs from `first`, many rows a statement (and NOTIFYs the other instances). */
async function writeRaw(tx: Tx, sessionId: string, first: number, events: { audience: string; event: LiveEvent }[]): Promise<StoredEvent[]> {
  const rows = events.map((e, i) => ({ seq: first + i, audience: e.audience, data: JSON.stringify(e.event) }));
  const pg = isPostgres();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const q = new Sql(pg);
    const values = rows.slice(i, i + CHUNK).map((r) => `(${q.str(sessionId)}, ${q.int(r.seq)}, ${q.str(r.audience)}, ${q.str(r.data)})`);
    await tx.$executeRawUnsafe(`INSERT INTO "LiveEvent" ("sessionId", "seq", "audience", "data") VALUES ${values.join(", ")}`, ...q.args);
  }
  if (pg && rows.length) await tx.$executeRawUnsafe("SELECT pg_notify($1, $2)", NOTIFY_CHANNEL, `${sessionId}:${rows[rows.length - 1].seq}`);
  return rows;
}

/** The teacher's histogram and each listed participant's `you` event, for the question the row is on. */
async function answerEvents(tx: Tx, sessionId: string, row: SessionRow, yours: Map<number, string | null>): Promise<{ audience: string; event: LiveEvent }[]> {
  const { participants, histogram } = await countsRaw(tx, sessionId, row.slide, row.question);
  return [
    {
      audience: TEACHER,
      event: { type: "answers", slide: row.slide, question: row.question, histogram, answered: answeredOf(histogram), participants },
    },
    ...[...yours].map(([id, answer]) => ({
      audience: participantAudience(id),
      event: { type: "you" as const, slide: row.slide, question: row.question, answer },
    })),
  ];
}

export interface AnswerItem {
  participantId: number;
  slide: number;
  question: number;
  /** Trimmed, validated text. */
  answer: string;
}

/**
 * Group commit: a batch of answers to one session in ONE transaction, with the events they
 * cause (the teacher's histogram, each answering participant's `you`). Decided on the locked
 * row, so an answer is stored only while its question is the current one and open; a refused
 * one gets its 409/410 in `refused` (by index). `joined`: participants joined since the last
 * batch, so the teacher's histogram (its participant count) is written, and the idle clock
 * restarted, even when no answer is. Throws, storing nothing, when the transaction fails.
 */
export async function storeAnswers(
  sessionId: string,
  items: AnswerItem[],
  joined = false,
): Promise<{ refused: Map<number, AppError>; events: StoredEvent[] }> {
  const client = await db();
  return client.$transaction(async (tx) => {
    const refused = new Map<number, AppError>();
    const row = await lockRaw(tx, sessionId, 0);
    // A participant's later answer in the batch replaces its earlier one, as it would one by one.
    const last = new Map<number, string>();
    items.forEach((it, i) => {
      if (row.phase === "open" && it.slide === row.slide && it.question === row.question) last.set(it.participantId, it.answer);
      else refused.set(i, answerRefusal(row, it.slide, it.question));
    });
    if (last.size === 0 && !joined) return { refused, events: [] };
    const pg = isPostgres();
    const accepted = [...last];
    for (let i = 0; i < accepted.length; i += CHUNK) {
      const q = new Sql(pg);
      const values = accepted
        .slice(i, i + CHUNK)
        .map(([pid, answer]) => `(${q.str(sessionId)}, ${q.int(pid)}, ${q.int(row.slide)}, ${q.int(row.question)}, ${q.str(answer)})`);
      await tx.$executeRawUnsafe(
        `INSERT INTO "LiveAnswer" ("sessionId", "participantId", "slide", "question", "answer") VALUES ${values.join(", ")} ` +
          `ON CONFLICT ("participantId", "slide", "question") DO UPDATE SET "answer" = excluded."answer"`,
        ...q.args,
      );
    }
    return { refused, events: await reserveAndWrite(tx, sessionId, await answerEvents(tx, sessionId, row, last)) };
  }, TX);
}

function transition(row: SessionRow, action: ControlBody, lesson: LessonView): Change {
  assertLive(row);
  const phase = phaseOf(row);
  const hasQuestion = lesson.at(row.slide, row.question) !== null;
  const refuse = (msg: string) => new AppError("conflict", msg);
  switch (action.action) {
    case "goto": {
      const slides = lesson.questionCounts.length;
      if (action.slide >= slides) throw new AppError("validation", `slide: the lesson has ${slides} slides (0–${slides - 1})`);
      const n = lesson.questionCounts[action.slide];
      if (n === 0 ? action.question !== 0 : action.question >= n) {
        throw new AppError(
          "validation",
          n === 0 ? `question: slide ${action.slide} has no questions (use 0)` : `question: slide ${action.slide} has ${n} questions (0–${n - 1})`,
        );
      }
      return { phase: "lobby", slide: action.slide, question: action.question };
    }
    case "open":
      if (!hasQuestion) throw refuse("this slide has no question to open");
      if (phase !== "lobby" && phase !== "locked") throw refuse(`cannot open a question that is ${phase}`);
      return { phase: "open" };
    case "lock":
      if (phase !== "open") throw refuse(`only an open question can be locked (it is ${phase})`);
      return { phase: "locked" };
    case "reveal": {
      if (phase !== "open" && phase !== "locked") throw refuse(`only an open or locked question can be revealed (it is ${phase})`);
      const revealed = revealedSet(row).add(`${row.slide}:${row.question}`);
      return { phase: "revealed", revealed: JSON.stringify([...revealed]) };
    }
    case "end":
      return { phase: "ended" };
  }
}

/** Applies a teacher's action and writes the new state for both roles (and, after goto, each participant's earlier answer). */
export async function applyControl(sessionId: string, action: ControlBody, lesson: LessonView): Promise<{ facts: SessionFacts; events: StoredEvent[] }> {
  const client = await db();
  return client.$transaction(async (tx) => {
    // Decided on the locked row: two teacher tabs acting at once are applied one after the other.
    const before = await lockRaw(tx, sessionId, 0);
    const change = transition(before, action, lesson);
    const slide = change.slide ?? before.slide;
    const question = change.question ?? before.question;
    // Returning to a question answered before: each phone shows its own answer again.
    const earlier =
      action.action === "goto" ? await tx.liveAnswer.findMany({ where: { sessionId, slide, question }, select: { participantId: true, answer: true } }) : [];
    const k = 2 + earlier.length;
    const row = await lockRaw(tx, sessionId, k, { touch: true, change });
    const facts = await factsOf(tx, row);
    const events: { audience: string; event: LiveEvent }[] = [
      { audience: TEACHER, event: { type: "state", state: teacherState(facts, lesson, row.joinUrl) } },
      { audience: PARTICIPANTS, event: { type: "state", state: participantState(facts, lesson) } },
      ...earlier.map((a) => ({
        audience: participantAudience(a.participantId),
        event: { type: "you" as const, slide, question, answer: a.answer },
      })),
    ];
    return { facts, events: await writeRaw(tx, sessionId, row.seq - k + 1, events) };
  }, TX);
}

/** What a newly connected stream starts from: the row (its seq first), then the counts. */
export async function snapshot(sessionId: string, participantId: number | null): Promise<{ row: SessionRow; facts: SessionFacts; you: string | null } | null> {
  const client = await db();
  const row = await sessionWhere("id", sessionId);
  if (!row) return null;
  const facts = await factsOf(client, row);
  let you: string | null = null;
  if (participantId !== null) {
    const q = new Sql(isPostgres());
    const mine = await client.$queryRawUnsafe<{ answer: string }[]>(
      `SELECT "answer" FROM "LiveAnswer" WHERE "participantId" = ${q.int(participantId)} AND "slide" = ${q.int(row.slide)} AND "question" = ${q.int(row.question)}`,
      ...q.args,
    );
    you = mine[0]?.answer ?? null;
  }
  return { row, facts, you };
}

export async function currentSeq(sessionId: string): Promise<number | null> {
  return (await currentSeqs([sessionId])).get(sessionId) ?? null;
}

/** Each listed session's seq in one query (sessions that do not exist are left out). */
export async function currentSeqs(sessionIds: string[]): Promise<Map<string, number>> {
  if (sessionIds.length === 0) return new Map();
  const q = new Sql(isPostgres());
  const list = sessionIds.map((id) => q.str(id)).join(", ");
  const rows = await (await db()).$queryRawUnsafe<{ id: string; seq: number | bigint }[]>(`SELECT "id", "seq" FROM "LiveSession" WHERE "id" IN (${list})`, ...q.args);
  return new Map(rows.map((r) => [r.id, Number(r.seq)]));
}

/** Stored events after `afterSeq` (up to `toSeq`), for the given audiences (all when omitted), in order. */
export async function eventsAfter(sessionId: string, afterSeq: number, audiences?: string[], toSeq?: number): Promise<StoredEvent[]> {
  return (await db()).liveEvent.findMany({
    where: { sessionId, seq: { gt: afterSeq, ...(toSeq === undefined ? {} : { lte: toSeq }) }, ...(audiences ? { audience: { in: audiences } } : {}) },
    orderBy: { seq: "asc" },
    select: { seq: true, audience: true, data: true },
  });
}

/** Every question of the lesson with its answers; keys only of revealed questions. */
export async function results(row: SessionRow, lesson: LessonView): Promise<{ participants: number; phase: LivePhase; questions: ResultQuestion[] }> {
  const client = await db();
  const sessionId = row.id;
  const [participants, groups] = await Promise.all([
    client.liveParticipant.count({ where: { sessionId } }),
    client.liveAnswer.groupBy({ by: ["slide", "question", "answer"], where: { sessionId }, _count: { _all: true } }),
  ]);
  const revealed = revealedSet(row);
  const questions = lesson.all().map((q): ResultQuestion => {
    const histogram = sortHistogram(
      groups.filter((g) => g.slide === q.slide && g.question === q.question).map((g) => ({ answer: g.answer, count: g._count._all })),
    );
    const shown = revealed.has(`${q.slide}:${q.question}`);
    const correct = shown ? q.key.real : null;
    // Scored by the rules the model's answer is ("4" is "line 4", "y" is "yes"); no Python is parsed here.
    return {
      slide: q.slide,
      question: q.question,
      prompt: q.info.prompt,
      kind: q.info.kind,
      answers: answeredOf(histogram),
      histogram,
      correct,
      right: shown ? histogram.filter((b) => scoreAnswer(b.answer, q.key.expected, new Map()) === true).reduce((n, b) => n + b.count, 0) : null,
      model: shown && q.key.model ? { answer: q.key.model.answer, correct: q.key.model.correct } : null,
    };
  });
  return { participants, phase: phaseOf(row), questions };
}
