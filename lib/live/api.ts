/**
 * The /api/live handlers (Web Request → Response), kept out of app/ so tests can serve them
 * over real HTTP, with their own hub, limits and LISTEN connection (two of these on one
 * PostgreSQL behave as two app instances). Order in every handler: find the session (404),
 * who is calling (401/403), limits (429), the body (413/415/400/422), then the change
 * (409/410): a refused request changes nothing.
 */
import "server-only";
import { databaseKind, storageEnv } from "@/lib/config/storage";
import { readJsonBody } from "@/lib/http/body";
import { AppError, errorResponse } from "@/lib/http/errors";
import { requestOrigin } from "@/lib/http/forwarded";
import { RateLimiter, clientKey } from "@/lib/storage/rate-limit";
import { authenticate } from "./auth";
import { AnswerBatcher } from "./answer-batch";
import { LiveHub } from "./hub";
import { loadLessonView, type LessonView } from "./lesson-view";
import { listenForEvents, type Listener } from "./pg-listener";
import {
  AnswerBody,
  ControlBody,
  CreateLiveBody,
  JoinBody,
  LIVE_LIMITS,
  LiveSessionId,
  joinPath,
  participantCookie,
  presentUrl,
  teacherCookie,
  type AnswerResponse,
  type ControlResponse,
  type CreateLiveResponse,
  type JoinResponse,
  type LiveEvent,
  type LiveResults,
} from "./protocol";
import { participantState, teacherState } from "./state";
import { frame, frameWithoutId, sessionStream, type StreamStart } from "./sse";
import {
  PARTICIPANTS,
  TEACHER,
  addParticipant,
  applyControl,
  assertLive,
  createSession,
  currentSeq,
  eventsAfter,
  participantAudience,
  results,
  sessionByCode,
  recentSessionById,
  sessionById,
  snapshot,
  storeAnswers,
  type SessionRow,
  type StoredEvent,
} from "./store";
import { hashToken, newToken } from "./tokens";

type Ctx = { params: Promise<{ id: string }> };

export interface LiveApiOptions {
  /** Join attempts per address per minute: a whole class behind one address joins at once. */
  joinPerMinute?: number;
  answersPerSecond?: number;
  answerBurst?: number;
}

export interface LiveApi {
  create(req: Request): Promise<Response>;
  join(req: Request): Promise<Response>;
  events(req: Request, ctx: Ctx): Promise<Response>;
  control(req: Request, ctx: Ctx): Promise<Response>;
  answer(req: Request, ctx: Ctx): Promise<Response>;
  results(req: Request, ctx: Ctx): Promise<Response>;
  readonly hub: LiveHub;
  /** Resolves when the batched answers and join counts are written (tests). */
  settled(): Promise<void>;
  /** Resolves when LISTEN is in place (at once on SQLite). */
  listening(): Promise<void>;
  /** Stops the LISTEN connection and the checks (tests, shutdown). */
  close(): Promise<void>;
}

const DAY = 24 * 3600;

function cookie(name: string, value: string, req: Request): string {
  const secure = requestOrigin(req).startsWith("https:") ? "; Secure" : "";
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${DAY}${secure}`;
}

async function sessionOf(ctx: Ctx, recent = false): Promise<SessionRow> {
  const { id } = await ctx.params;
  const row = LiveSessionId.safeParse(id).success ? await (recent ? recentSessionById : sessionById)(id) : null;
  if (!row) throw new AppError("not_found", "no live session with this id");
  return row;
}

async function lessonOf(row: SessionRow): Promise<LessonView> {
  const lesson = await loadLessonView(row.lessonId);
  // Lessons are never deleted: this is a broken database, not a bad request.
  if (!lesson) throw new Error(`live session ${row.id} refers to a missing lesson ${row.lessonId}`);
  return lesson;
}

/** Last-Event-ID as a seq, or null (absent or not a number: the stream starts afresh). */
function lastEventId(req: Request): number | null {
  const v = req.headers.get("last-event-id")?.trim();
  return v && /^\d{1,15}$/.test(v) ? Number(v) : null;
}

const isEnd = (e: StoredEvent) => e.data.startsWith('{"type":"state"') && e.data.includes('"phase":"ended"');

export function createLiveApi(opts: LiveApiOptions = {}): LiveApi {
  const hub = new LiveHub();
  const batcher = new AnswerBatcher(hub, storeAnswers);
  // New sessions per address per minute, as for runs (0: no limit).
  const creating = new RateLimiter(storageEnv().RUNS_RATE_LIMIT);
  const joining = new RateLimiter(opts.joinPerMinute ?? 600);
  const answering = new RateLimiter((opts.answersPerSecond ?? LIVE_LIMITS.answersPerSecond) * 60, Date.now, opts.answerBurst ?? LIVE_LIMITS.answerBurst);
  const heartbeatMs = LIVE_LIMITS.heartbeatSeconds * 1000;

  let listener: Listener | null = null;
  let checker: ReturnType<typeof setInterval> | null = null;
  /** With PostgreSQL, other instances' events come through LISTEN; started with the first stream. */
  const watch = () => {
    const url = storageEnv().DATABASE_URL;
    if (databaseKind(url) !== "postgres" || listener) return;
    listener = listenForEvents(url, hub);
    checker = setInterval(() => void hub.check(), heartbeatMs);
    checker.unref?.();
  };

  const handle =
    <A extends unknown[]>(fn: (...a: A) => Promise<Response>) =>
    async (...a: A): Promise<Response> => {
      try {
        return await fn(...a);
      } catch (err) {
        return errorResponse(err);
      }
    };

  async function streamStart(
    row: SessionRow,
    lesson: LessonView,
    participantId: number | null,
    audiences: Set<string>,
    resumeAfter: number | null,
  ): Promise<StreamStart | "nothing"> {
    if (resumeAfter !== null) {
      const seq = (await currentSeq(row.id)) ?? row.seq;
      const over = row.phase === "ended";
      if (resumeAfter <= seq) {
        if (over && resumeAfter === seq) return "nothing";
        const missed = await eventsAfter(row.id, resumeAfter, [...audiences], seq);
        return { frames: missed.map(frame), seq, end: over };
      }
    }
    const snap = await snapshot(row.id, participantId);
    if (!snap) throw new AppError("not_found", "no live session with this id");
    const state: LiveEvent =
      participantId === null
        ? { type: "state", state: teacherState(snap.facts, lesson, snap.row.joinUrl) }
        : { type: "state", state: participantState(snap.facts, lesson) };
    const frames = [frame({ seq: snap.row.seq, audience: "", data: JSON.stringify(state) })];
    if (participantId !== null) {
      const you: LiveEvent = { type: "you", slide: snap.row.slide, question: snap.row.question, answer: snap.you };
      frames.push(frameWithoutId(JSON.stringify(you)));
    }
    return { frames, seq: snap.row.seq, end: snap.row.phase === "ended" };
  }

  return {
    hub,

    create: handle(async (req: Request) => {
      creating.admit(req, "live sessions");
      const body = CreateLiveBody.parse(await readJsonBody(req, LIVE_LIMITS.bodyBytes));
      const lesson = await loadLessonView(body.lesson);
      if (!lesson) throw new AppError("validation", `lesson: no saved lesson with id ${JSON.stringify(body.lesson)}`);
      const token = newToken();
      const origin = requestOrigin(req);
      const row = await createSession(lesson, hashToken(token), (code) => `${origin}${joinPath(code)}`);
      const out: CreateLiveResponse = { id: row.id, code: row.code, teacherToken: token, joinUrl: row.joinUrl, presentUrl: presentUrl(lesson.id, row.id) };
      return Response.json(out, { status: 201, headers: { "Set-Cookie": cookie(teacherCookie(row.id), token, req), "Cache-Control": "no-store" } });
    }),

    join: handle(async (req: Request) => {
      joining.enforce(clientKey(req.headers), "join attempts from this address");
      const body = JoinBody.parse(await readJsonBody(req, LIVE_LIMITS.bodyBytes));
      const row = await sessionByCode(body.code);
      if (!row) throw new AppError("not_found", `no live session has the code ${body.code}: check it on the teacher's screen`);
      assertLive(row);
      const token = newToken();
      await addParticipant(row.id, hashToken(token), body.name ? body.name : null);
      batcher.joined(row.id);
      const lesson = await lessonOf(row);
      const out: JoinResponse = { session: { id: row.id, lesson: lesson.id, title: lesson.title }, participantToken: token };
      return Response.json(out, { status: 201, headers: { "Set-Cookie": cookie(participantCookie(row.id), token, req), "Cache-Control": "no-store" } });
    }),

    events: handle(async (req: Request, ctx: Ctx) => {
      const row = await sessionOf(ctx);
      const prefer = new URL(req.url).searchParams.get("role") === "participant" ? "participant" : "teacher";
      const caller = await authenticate(req, row, "any", prefer);
      if (row.phase !== "ended") assertLive(row);
      const lesson = await lessonOf(row);
      watch();
      const participantId = caller.role === "participant" ? caller.participantId : null;
      const audiences = new Set(participantId === null ? [TEACHER] : [PARTICIPANTS, participantAudience(participantId)]);
      // Read before the stream opens so a 204 (nothing more from an ended session) stops EventSource.
      const resumeAfter = lastEventId(req);
      // An ended session changes no more: its start is read once, here.
      const ended = row.phase === "ended" ? await streamStart(row, lesson, participantId, audiences, resumeAfter) : null;
      if (ended === "nothing") return new Response(null, { status: 204 });
      return sessionStream({
        hub,
        sessionId: row.id,
        audiences,
        signal: req.signal,
        heartbeatMs,
        isFinal: isEnd,
        start: async () => {
          const s = ended ?? (await streamStart(row, lesson, participantId, audiences, resumeAfter));
          return s === "nothing" ? { frames: [], seq: row.seq, end: true } : s;
        },
      });
    }),

    control: handle(async (req: Request, ctx: Ctx) => {
      const row = await sessionOf(ctx);
      await authenticate(req, row, "teacher");
      const body = ControlBody.parse(await readJsonBody(req, LIVE_LIMITS.bodyBytes));
      const lesson = await lessonOf(row);
      const { facts, events } = await applyControl(row.id, body, lesson);
      hub.published(row.id, events);
      const out: ControlResponse = { state: teacherState(facts, lesson, row.joinUrl) };
      return Response.json(out, { headers: { "Cache-Control": "no-store" } });
    }),

    answer: handle(async (req: Request, ctx: Ctx) => {
      const row = await sessionOf(ctx, true);
      const caller = await authenticate(req, row, "participant");
      answering.enforce(`${row.id}:${caller.participantId}`, "answers from you");
      const body = AnswerBody.parse(await readJsonBody(req, LIVE_LIMITS.bodyBytes));
      assertLive(row);
      // Written with the answers that arrive meanwhile, with their events; settled after that commit.
      await batcher.submit(row.id, { participantId: caller.participantId, slide: body.slide, question: body.question, answer: body.answer });
      const out: AnswerResponse = { answer: body.answer };
      return Response.json(out, { headers: { "Cache-Control": "no-store" } });
    }),

    results: handle(async (req: Request, ctx: Ctx) => {
      const row = await sessionOf(ctx);
      await authenticate(req, row, "teacher");
      // Kept readable after the end and after expiry: the summary is what the teacher takes home.
      const out: LiveResults = await results(row, await lessonOf(row));
      return Response.json(out, { headers: { "Cache-Control": "no-store" } });
    }),

    settled: () => batcher.idle(),

    listening: async () => {
      watch();
      await (listener as Listener | null)?.ready;
    },

    close: async () => {
      if (checker) clearInterval(checker);
      await batcher.idle();
      await (listener as Listener | null)?.close();
      listener = null;
    },
  };
}

const GLOBAL_KEY = Symbol.for("cwm-playground.live.api");

/**
 * The process-wide handlers used by app/api/live: one hub and one LISTEN connection per
 * instance. On globalThis because each route file may be bundled with its own copy of this
 * module, and an answer posted through one must reach the streams held by another.
 */
export function liveApi(): LiveApi {
  const g = globalThis as Record<symbol, LiveApi | undefined>;
  if (!g[GLOBAL_KEY]) {
    const api = createLiveApi();
    g[GLOBAL_KEY] = api;
    // The server's own SIGTERM handler waits for every connection to finish, and an event
    // stream never does: end them first (clients resume on the next instance with Last-Event-ID).
    for (const sig of ["SIGTERM", "SIGINT"] as const) {
      process.once(sig, () => {
        api.hub.endAll();
        // Nobody else listens (next dev, a test worker): the signal's default, exiting, applies.
        if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
      });
    }
  }
  return g[GLOBAL_KEY];
}
