/**
 * The live session API over real HTTP (the app's own route modules on 127.0.0.1, so the CSRF
 * check and the 405s are the app's), run against each database (live-api.sqlite.test.ts,
 * live-api.postgres.test.ts). Not a test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveApi, liveApi } from "@/lib/live/api";
import { RECENT_ROW_MS } from "@/lib/live/store";
import { CODE_ALPHABET, ControlResponse, CreateLiveResponse, JoinResponse, LiveResults, type LiveState } from "@/lib/live/protocol";
import { ErrorBody } from "@/lib/http/errors";
import { BASELINE_ID } from "@/lib/predictors/protocol";
import { db, disconnectDb } from "@/lib/storage/db";
import { createLesson } from "@/lib/storage/lessons";
import { createRun } from "@/lib/storage/runs";
import { counterRun } from "@/lib/storage/__tests__/fixtures";
import type { TestDatabase } from "@/lib/storage/__tests__/test-db";
import { serveRoutes } from "./http-harness";
import { liveRoutes } from "./live-routes";
import { SseClient } from "./live-sse";

type Served = { url: string; close: () => Promise<void> };

/** Two runs of counter_N3 (one with CWM's prediction) and a lesson of three slides. */
export async function seedLesson(): Promise<{ lesson: string; lessonNoQuestions: string }> {
  const fx = counterRun();
  const runA = (await createRun({ code: fx.code, call: fx.call, title: "counter", actual: fx.actual, predictions: [fx.prediction] })).id;
  const runB = (await createRun({ code: fx.code, call: fx.call, actual: fx.actual })).id;
  const lesson = await createLesson({
    title: "Live: a loop",
    slides: [
      { run: runA, questions: [{ kind: "return" }, { kind: "value", frame: 6, name: "a" }] },
      { run: runA, notes: "no questions here" },
      { run: runB, questions: [{ kind: "halts" }] },
    ],
  });
  const lessonNoQuestions = await createLesson({ title: "Nothing to ask", slides: [{ run: runB }] });
  return { lesson: lesson.id, lessonNoQuestions: lessonNoQuestions.id };
}

export function http(base: () => string) {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
    const res = await fetch(base() + path, init);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  }
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    call,
    auth,
    async start(lesson: string) {
      const r = await call("POST", "/api/live", { lesson });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      return { ...CreateLiveResponse.parse(r.json), setCookie: r.headers.get("set-cookie") };
    },
    async join(code: string, name?: string) {
      const r = await call("POST", "/api/live/join", name === undefined ? { code } : { code, name });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      return { ...JoinResponse.parse(r.json), setCookie: r.headers.get("set-cookie") };
    },
    async control(id: string, token: string, body: unknown): Promise<LiveState> {
      const r = await call("POST", `/api/live/${id}/control`, body, auth(token));
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return ControlResponse.parse(r.json).state;
    },
    async answer(id: string, token: string, slide: number, question: number, answer: string) {
      const r = await call("POST", `/api/live/${id}/answers`, { slide, question, answer }, auth(token));
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json;
    },
    async results(id: string, token: string) {
      const r = await call("GET", `/api/live/${id}/results`, undefined, auth(token));
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return LiveResults.parse(r.json);
    },
  };
}

/** What a refused request must leave as it was. */
export async function fingerprint(sessionId: string): Promise<string> {
  const client = await db();
  const s = await client.liveSession.findUnique({ where: { id: sessionId } });
  const participants = await client.liveParticipant.count({ where: { sessionId } });
  const ans = await client.liveAnswer.findMany({ where: { sessionId }, orderBy: [{ participantId: "asc" }, { slide: "asc" }, { question: "asc" }] });
  const evs = await client.liveEvent.count({ where: { sessionId } });
  return JSON.stringify({
    phase: s?.phase,
    slide: s?.slide,
    question: s?.question,
    seq: s?.seq,
    revealed: s?.revealed,
    participants,
    answers: ans.map((a) => [a.participantId, a.slide, a.question, a.answer]),
    evs,
  });
}

export function liveApiSuite(name: string, open: () => Promise<TestDatabase | null>): void {
  let database: TestDatabase | null = null;
  let served: Served | null = null;
  let joinLimited: Served | null = null;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, RUNS_RATE_LIMIT: process.env.RUNS_RATE_LIMIT };
  let lesson = "";
  let lessonNoQuestions = "";
  // Answers refill one per 10 s here, so the flood test sees its 429 however slow the machine is.
  const limitedApi = createLiveApi({ joinPerMinute: 2, answersPerSecond: 0.1, answerBurst: 10 });
  const h = http(() => served!.url);
  const streams: SseClient[] = [];
  const stream = async (id: string, headers: Record<string, string>) => {
    const s = await SseClient.open(`${served!.url}/api/live/${id}/events`, headers);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    database = await open();
    if (!database) return;
    process.env.DATABASE_URL = database.url;
    process.env.RUNS_RATE_LIMIT = "0";
    ({ lesson, lessonNoQuestions } = await seedLesson());
    served = await serveRoutes(liveRoutes());
    joinLimited = await serveRoutes({
      "POST /api/live/join": limitedApi.join,
      "POST /api/live/:id/answers": (req, ctx) => limitedApi.answer(req, { params: ctx.params.then((p) => ({ id: p.id })) }),
    });
  });

  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await served?.close();
    await joinLimited?.close();
    await limitedApi.close();
    await liveApi().close();
    await disconnectDb();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await database?.drop();
  });

  describe(name, () => {
    it("creating a session answers 201 with a code, a token, an absolute join link and an HttpOnly SameSite=Strict cookie", async (ctx) => {
      if (!database) return ctx.skip();
      const s = await h.start(lesson);
      expect(s.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
      expect(s.teacherToken.length).toBeGreaterThanOrEqual(22);
      expect(s.joinUrl).toBe(`${served!.url}/join?code=${s.code}`);
      expect(s.presentUrl).toBe(`/present/${lesson}?live=${s.id}`);
      expect(s.setCookie).toContain(`cwm_live_t_${s.id}=${s.teacherToken}`);
      expect(s.setCookie).toMatch(/HttpOnly/);
      expect(s.setCookie).toMatch(/SameSite=Strict/);
      expect(s.setCookie).toMatch(/Path=\//);
      expect(s.setCookie).not.toMatch(/Secure/);
      const row = await (await db()).liveSession.findUniqueOrThrow({ where: { id: s.id } });
      expect(row.teacherTokenHash).not.toContain(s.teacherToken);
    });

    it("a slide whose only prediction is the syntax baseline has no model answer: the baseline is never the model", async (ctx) => {
      if (!database) return ctx.skip();
      const fx = counterRun();
      const baseline = { ...fx.prediction, predictor: { id: BASELINE_ID, model: null, label: "Syntax-only baseline (not a model)" } };
      const run = (await createRun({ code: fx.code, call: fx.call, actual: fx.actual, predictions: [baseline] })).id;
      const only = await createLesson({ title: "Baseline only", slides: [{ run, questions: [{ kind: "return" }] }] });
      const s = await h.start(only.id);
      const state = await h.control(s.id, s.teacherToken, { action: "open" });
      expect(state.role === "teacher" && state.key?.real).toBe("(40, 57, 83)");
      expect(state.role === "teacher" && state.key?.model).toBeNull();
    });

    it("the whole flow: join, open, answers counted live, changed answers, lock, reveal, results", async (ctx) => {
      if (!database) return ctx.skip();
      const s = await h.start(lesson);
      const teacher = await stream(s.id, h.auth(s.teacherToken));
      expect(teacher.contentType).toMatch(/^text\/event-stream/);
      const first = await teacher.waitFor((e) => e.data.type === "state");
      expect(first.data.type === "state" && first.data.state.role).toBe("teacher");
      if (first.data.type === "state" && first.data.state.role === "teacher") {
        expect(first.data.state.phase).toBe("lobby");
        expect(first.data.state.key?.real).toBe("(40, 57, 83)");
        expect(first.data.state.key?.model?.answer).toBe("(80, 24, 4)");
        expect(first.data.state.key?.model?.label).toContain("CWM (vLLM)");
        expect(first.data.state.reveal).toBeNull();
        expect(first.data.state.info?.prompt).toBe("What does `simulate(3)` return?");
      }

      // Codes are case-insensitive on input.
      const ann = await h.join(s.code.toLowerCase(), "Ann");
      const bob = await h.join(` ${s.code} `, "Bob");
      const cid = await h.join(s.code);
      expect(ann.session).toEqual({ id: s.id, lesson, title: "Live: a loop" });
      expect(ann.setCookie).toContain(`cwm_live_p_${s.id}=${ann.participantToken}`);
      await teacher.waitFor((e) => e.data.type === "answers" && e.data.participants === 3, 10_000, "3 participants");

      const annStream = await stream(s.id, h.auth(ann.participantToken));
      const annState = await annStream.waitFor((e) => e.data.type === "state");
      expect(annState.data.type === "state" && annState.data.state.role).toBe("participant");
      await annStream.waitFor((e) => e.data.type === "you" && e.data.answer === null);

      const opened = await h.control(s.id, s.teacherToken, { action: "open" });
      expect(opened.phase).toBe("open");
      await annStream.waitFor((e) => e.data.type === "state" && e.data.state.phase === "open");

      await h.answer(s.id, ann.participantToken, 0, 0, "  (40, 57, 83) ");
      await h.answer(s.id, bob.participantToken, 0, 0, "(1, 2, 3)");
      await h.answer(s.id, cid.participantToken, 0, 0, "(1, 2, 3)");
      await teacher.waitFor((e) => e.data.type === "answers" && e.data.answered === 3, 10_000, "3 answers");
      // Bob changes his mind: still 3 answers, the histogram moves.
      await h.answer(s.id, bob.participantToken, 0, 0, "(40, 57, 83)");
      const moved = await teacher.waitFor(
        (e) => e.data.type === "answers" && e.data.histogram.some((b) => b.answer === "(40, 57, 83)" && b.count === 2),
        10_000,
        "the changed answer",
      );
      if (moved.data.type === "answers") {
        expect(moved.data.answered).toBe(3);
        expect(moved.data.histogram).toEqual([
          { answer: "(40, 57, 83)", count: 2 },
          { answer: "(1, 2, 3)", count: 1 },
        ]);
      }
      await annStream.waitFor((e) => e.data.type === "you" && e.data.answer === "(40, 57, 83)");

      expect((await h.control(s.id, s.teacherToken, { action: "lock" })).phase).toBe("locked");
      const revealed = await h.control(s.id, s.teacherToken, { action: "reveal" });
      expect(revealed.phase).toBe("revealed");
      expect(revealed.reveal?.real).toBe("(40, 57, 83)");
      const seen = await annStream.waitFor((e) => e.data.type === "state" && e.data.state.phase === "revealed");
      if (seen.data.type === "state") {
        expect(seen.data.state.reveal).toEqual({
          real: "(40, 57, 83)",
          expected: { kind: "literal", repr: "(40, 57, 83)" },
          model: { answer: "(80, 24, 4)", label: expect.stringContaining("CWM"), correct: false, expected: { kind: "literal", repr: "(80, 24, 4)" } },
        });
      }

      const r = await h.results(s.id, s.teacherToken);
      expect(r.participants).toBe(3);
      expect(r.questions.map((q) => [q.slide, q.question])).toEqual([
        [0, 0],
        [0, 1],
        [2, 0],
      ]);
      expect(r.questions[0]).toMatchObject({ answers: 3, correct: "(40, 57, 83)", right: 2, model: { answer: "(80, 24, 4)", correct: false } });
      expect(r.questions[1]).toMatchObject({ answers: 0, correct: null, right: null, model: null });

      // The next question: back to the lobby, nobody's answer carried over.
      const next = await h.control(s.id, s.teacherToken, { action: "goto", slide: 0, question: 1 });
      expect(next).toMatchObject({ phase: "lobby", slide: 0, question: 1, answered: 0, reveal: null });
      // Back to the first: each phone gets its own answer again.
      await h.control(s.id, s.teacherToken, { action: "goto", slide: 0, question: 0 });
      await annStream.waitFor(
        (e) =>
          e.data.type === "you" &&
          e.data.slide === 0 &&
          e.data.question === 0 &&
          e.data.answer === "(40, 57, 83)" &&
          annStream.events.indexOf(e) > annStream.events.indexOf(seen),
      );
      const end = await h.control(s.id, s.teacherToken, { action: "end" });
      expect(end.phase).toBe("ended");
      await annStream.closedByServer();
      await teacher.closedByServer();
    });

    it("results count students right by the scoring rules, not exact text (\"finishes\" is \"yes\")", async (ctx) => {
      if (!database) return ctx.skip();
      const s = await h.start(lesson);
      const people = [await h.join(s.code, "A"), await h.join(s.code, "B"), await h.join(s.code, "C")];
      await h.control(s.id, s.teacherToken, { action: "goto", slide: 2, question: 0 });
      await h.control(s.id, s.teacherToken, { action: "open" });
      for (const [p, answer] of people.map((p, i) => [p, ["yes", " Finishes. ", "no"][i]] as const)) await h.answer(s.id, p.participantToken, 2, 0, answer);
      expect((await h.control(s.id, s.teacherToken, { action: "reveal" })).reveal?.real).toBe("yes");
      const r = await h.results(s.id, s.teacherToken);
      expect(r.questions.find((q) => q.slide === 2)).toMatchObject({ answers: 3, correct: "yes", right: 2 });
    });

    it("a participant's stream carries neither reality's nor the model's answer before the reveal (checked on the bytes)", async (ctx) => {
      if (!database) return ctx.skip();
      const s = await h.start(lesson);
      const p = await h.join(s.code, "Eve");
      const other = await h.join(s.code, "Mallory");
      const eve = await stream(s.id, h.auth(p.participantToken));
      const teacher = await stream(s.id, h.auth(s.teacherToken));
      await h.control(s.id, s.teacherToken, { action: "open" });
      await h.answer(s.id, p.participantToken, 0, 0, "a guess");
      await h.answer(s.id, other.participantToken, 0, 0, "another guess");
      await h.control(s.id, s.teacherToken, { action: "lock" });
      await teacher.waitFor((e) => e.data.type === "answers" && e.data.answered === 2);
      await eve.waitFor((e) => e.data.type === "state" && e.data.state.phase === "locked");
      await eve.waitFor((e) => e.data.type === "you" && e.data.answer === "a guess");
      // A reconnecting phone (Last-Event-ID 0: everything stored) gets no more than a live one.
      const replay = await stream(s.id, { ...h.auth(p.participantToken), "last-event-id": "0" });
      await replay.waitFor((e) => e.data.type === "state" && e.data.state.phase === "locked");
      for (const bytes of [eve.raw, replay.raw]) {
        expect(bytes).not.toContain("(40, 57, 83)");
        expect(bytes).not.toContain("(80, 24, 4)");
        expect(bytes).not.toContain("CWM (vLLM)");
        expect(bytes).not.toContain('"real"');
        expect(bytes).not.toContain('"key"');
        expect(bytes).not.toContain('"histogram"');
        // Nor another student's answer.
        expect(bytes).not.toContain("another guess");
      }
      // The teacher's stream does carry them.
      expect(teacher.raw).toContain("(40, 57, 83)");
      expect(teacher.raw).toContain("(80, 24, 4)");
      await h.control(s.id, s.teacherToken, { action: "reveal" });
      await eve.waitFor((e) => e.data.type === "state" && e.data.state.phase === "revealed");
      expect(eve.raw).toContain("(40, 57, 83)");
      expect(eve.raw).toContain("(80, 24, 4)");
    });

    it("a stream resumed with Last-Event-ID gets exactly the events it missed, then live ones", async (ctx) => {
      if (!database) return ctx.skip();
      const s = await h.start(lesson);
      const p = await h.join(s.code);
      const first = await stream(s.id, h.auth(p.participantToken));
      await first.waitFor((e) => e.data.type === "you");
      const last = first.lastId();
      expect(last).not.toBeNull();
      await first.close();
      await h.control(s.id, s.teacherToken, { action: "open" });
      await h.answer(s.id, p.participantToken, 0, 0, "7");
      await h.control(s.id, s.teacherToken, { action: "lock" });
      await new Promise((r) => setTimeout(r, 100)); // the coalesced `you` event is written
      const again = await stream(s.id, { ...h.auth(p.participantToken), "last-event-id": last! });
      await again.waitFor((e) => e.data.type === "state" && e.data.state.phase === "locked");
      const seen = again.events.map((e) =>
        e.data.type === "state" ? `state:${e.data.state.phase}` : e.data.type === "you" ? `you:${e.data.answer}` : e.data.type,
      );
      // The `you` event is written with the coalesced answer events: before or after the lock.
      expect(seen.filter((x) => x.startsWith("state"))).toEqual(["state:open", "state:locked"]);
      expect(seen.filter((x) => x.startsWith("you"))).toEqual(["you:7"]);
      const ids = again.events.map((e) => Number(e.id));
      expect(ids.every((id, i) => id > Number(last) && (i === 0 || id > ids[i - 1]))).toBe(true);
      await h.control(s.id, s.teacherToken, { action: "reveal" });
      await again.waitFor((e) => e.data.type === "state" && e.data.state.phase === "revealed");
    });

    it("a stream the client drops is unsubscribed: the hub keeps nothing for it", async (ctx) => {
      if (!database) return ctx.skip();
      const s = await h.start(lesson);
      const t = await stream(s.id, h.auth(s.teacherToken));
      await t.waitFor((e) => e.data.type === "state");
      expect(liveApi().hub.subscribers(s.id)).toBe(1);
      await t.close();
      for (let i = 0; i < 100 && liveApi().hub.subscribers(s.id) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(liveApi().hub.subscribers(s.id)).toBe(0);
    });

    it("a session with no question on the current slide cannot be opened (409) and says so", async (ctx) => {
      if (!database) return ctx.skip();
      const s = await h.start(lessonNoQuestions);
      const before = await fingerprint(s.id);
      const r = await h.call("POST", `/api/live/${s.id}/control`, { action: "open" }, h.auth(s.teacherToken));
      expect(r.status).toBe(409);
      expect(ErrorBody.parse(r.json).error.message).toMatch(/no question/);
      expect(await fingerprint(s.id)).toBe(before);
    });

    describe("bad and hostile requests: a clear 4xx and nothing changed", () => {
      let s: { id: string; code: string; teacherToken: string };
      let other: { id: string; code: string; teacherToken: string };
      let student = "";
      let outsider = "";

      beforeAll(async () => {
        if (!database) return;
        s = await h.start(lesson);
        other = await h.start(lesson);
        student = (await h.join(s.code, "Sam")).participantToken;
        outsider = (await h.join(other.code, "Out")).participantToken;
        await liveApi().settled();
      });

      async function refused(
        method: string,
        path: string,
        body: unknown,
        headers: Record<string, string>,
        status: number,
        message: RegExp,
        session: () => string = () => s.id,
      ) {
        await liveApi().settled();
        const before = await fingerprint(session());
        const r = await h.call(method, path, body, headers);
        expect(r.status, JSON.stringify(r.json)).toBe(status);
        expect(ErrorBody.parse(r.json).error.message).toMatch(message);
        expect(await fingerprint(session())).toBe(before);
        return r;
      }
      const ctl = () => `/api/live/${s.id}/control`;
      const ans = () => `/api/live/${s.id}/answers`;

      it("control without a token: 401", async (ctx) => {
        if (!database) return ctx.skip();
        const r = await refused("POST", ctl(), { action: "open" }, {}, 401, /no token/);
        expect(r.headers.get("www-authenticate")).toBe("Bearer");
      });
      it("control with a student's token: 403", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ctl(), { action: "open" }, h.auth(student), 403, /only the session's teacher/);
      });
      it("control with another session's teacher token: 403", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ctl(), { action: "end" }, h.auth(other.teacherToken), 403, /does not belong/);
      });
      it("control with a made-up token: 403", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ctl(), { action: "end" }, h.auth("A".repeat(32)), 403, /does not belong/);
      });
      it("control with a malformed Authorization header: 401", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ctl(), { action: "end" }, { authorization: `Basic ${s.teacherToken}` }, 401, /Bearer/);
      });
      it("control with the student's cookie: 403", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ctl(), { action: "end" }, { cookie: `cwm_live_p_${s.id}=${student}` }, 403, /only the session's teacher/);
      });
      it("a teacher cookie holding another session's token: 403", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ctl(), { action: "end" }, { cookie: `cwm_live_t_${s.id}=${other.teacherToken}` }, 403, /does not belong/);
      });
      it("answering with the teacher's token: 403", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), { slide: 0, question: 0, answer: "x" }, h.auth(s.teacherToken), 403, /only a participant/);
      });
      it("answering without a token: 401", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), { slide: 0, question: 0, answer: "x" }, {}, 401, /no token/);
      });
      it("answering with another session's participant token: 403", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), { slide: 0, question: 0, answer: "x" }, h.auth(outsider), 403, /does not belong/);
      });
      it("answering a question that is not open yet: 409", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), { slide: 0, question: 0, answer: "x" }, h.auth(student), 409, /not open yet/);
      });
      it("answering another question than the current one: 409", async (ctx) => {
        if (!database) return ctx.skip();
        await h.control(s.id, s.teacherToken, { action: "open" });
        await refused("POST", ans(), { slide: 0, question: 1, answer: "x" }, h.auth(student), 409, /not the current one/);
        await refused("POST", ans(), { slide: 2, question: 0, answer: "x" }, h.auth(student), 409, /not the current one/);
      });
      it("an answer longer than 200 characters: 422; an empty one: 422", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), { slide: 0, question: 0, answer: "x".repeat(201) }, h.auth(student), 422, /longer than 200/);
        await refused("POST", ans(), { slide: 0, question: 0, answer: "   " }, h.auth(student), 422, /empty/);
      });
      it("a body over 4 KiB: 413", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), { slide: 0, question: 0, answer: "x", pad: "y".repeat(5000) }, h.auth(student), 413, /larger than 4 KiB/);
      });
      it("a body that is not application/json: 415", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), "slide=0&question=0&answer=x", { ...h.auth(student), "content-type": "text/plain" }, 415, /application\/json/);
      });
      it("invalid JSON: 400; an unknown field: 422", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ans(), "{nope", h.auth(student), 400, /not valid JSON/);
        await refused("POST", ctl(), { action: "open", slide: 9 }, h.auth(s.teacherToken), 422, /slide|Unrecognized/i);
        await refused("POST", ctl(), { action: "explode" }, h.auth(s.teacherToken), 422, /action/);
      });
      it("a cross-site POST with the teacher's cookie: 403 (Sec-Fetch-Site and Origin)", async (ctx) => {
        if (!database) return ctx.skip();
        const cookie = { cookie: `cwm_live_t_${s.id}=${s.teacherToken}` };
        await refused("POST", ctl(), { action: "end" }, { ...cookie, "sec-fetch-site": "cross-site" }, 403, /cross-site/);
        await refused("POST", ctl(), { action: "end" }, { ...cookie, origin: "https://evil.example" }, 403, /cross-origin/);
      });
      it("a flood of answers beyond the limit: 429 with Retry-After, the stored answer is the last accepted one", async (ctx) => {
        if (!database) return ctx.skip();
        const flood = await h.join(s.code, "Flood");
        const limited = http(() => joinLimited!.url);
        const codes: number[] = [];
        let retry: string | null = null;
        for (let i = 0; i < 14; i++) {
          const r = await limited.call("POST", ans(), { slide: 0, question: 0, answer: `a${i}` }, h.auth(flood.participantToken));
          codes.push(r.status);
          if (r.status === 429) retry ??= r.headers.get("retry-after");
        }
        expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(10);
        expect(codes).toContain(429);
        expect(Number(retry)).toBeGreaterThanOrEqual(1);
        const lastOk = codes.lastIndexOf(200);
        const client = await db();
        const stored = await client.liveAnswer.findMany({ where: { sessionId: s.id, answer: { startsWith: "a" } } });
        expect(stored.map((a) => a.answer)).toEqual([`a${lastOk}`]);
      });
      it("answering after the lock: 409", async (ctx) => {
        if (!database) return ctx.skip();
        await h.control(s.id, s.teacherToken, { action: "lock" });
        await refused("POST", ans(), { slide: 0, question: 0, answer: "late" }, h.auth(student), 409, /locked/);
      });
      it("control moves the rules forbid: lock when not open 409, goto out of range 422", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", ctl(), { action: "lock" }, h.auth(s.teacherToken), 409, /only an open question/);
        await refused("POST", ctl(), { action: "goto", slide: 3, question: 0 }, h.auth(s.teacherToken), 422, /3 slides/);
        await refused("POST", ctl(), { action: "goto", slide: 0, question: 2 }, h.auth(s.teacherToken), 422, /2 questions/);
        await refused("POST", ctl(), { action: "goto", slide: 1, question: 1 }, h.auth(s.teacherToken), 422, /no questions/);
      });
      it("a student reading the results: 403; a student streaming gets its own stream, not the teacher's", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("GET", `/api/live/${s.id}/results`, undefined, h.auth(student), 403, /only the session's teacher/);
        const st = await stream(s.id, h.auth(student));
        const e = await st.waitFor((x) => x.data.type === "state");
        expect(e.data.type === "state" && e.data.state.role).toBe("participant");
        await st.close();
      });
      it("a stream with no token: 401; with another session's token: 403", async (ctx) => {
        if (!database) return ctx.skip();
        const a = await SseClient.open(`${served!.url}/api/live/${s.id}/events`);
        expect(a.status).toBe(401);
        const b = await SseClient.open(`${served!.url}/api/live/${s.id}/events`, h.auth(outsider));
        expect(b.status).toBe(403);
      });
      it("an unknown or malformed session id: 404 on every route", async (ctx) => {
        if (!database) return ctx.skip();
        for (const id of ["AAAAAAAAAAAAAAAA", "not a session", "..%2F..%2Fetc"]) {
          for (const [m, p, b] of [
            ["POST", "control", { action: "open" }],
            ["POST", "answers", { slide: 0, question: 0, answer: "x" }],
            ["GET", "results", undefined],
            ["GET", "events", undefined],
          ] as const) {
            const r = await h.call(m, `/api/live/${encodeURIComponent(id)}/${p}`, b, h.auth(s.teacherToken));
            expect(r.status, `${m} ${p} ${id}`).toBe(404);
          }
        }
      });
      it("joining: a code with look-alike characters 422, an unknown code 404, a 41-character name 422, control characters 422", async (ctx) => {
        if (!database) return ctx.skip();
        await refused("POST", "/api/live/join", { code: "AB0O1I" }, {}, 422, /join code/);
        const unknown = [...CODE_ALPHABET].slice(0, 6).join("") === s.code ? "ZZZZZZ" : [...CODE_ALPHABET].slice(0, 6).join("");
        await refused("POST", "/api/live/join", { code: unknown }, {}, 404, /no live session has the code/);
        await refused("POST", "/api/live/join", { code: s.code, name: "n".repeat(41) }, {}, 422, /longer than 40/);
        await refused("POST", "/api/live/join", { code: s.code, name: "a\u0000b" }, {}, 422, /control characters/);
      });
      it("a name is stored as the text it is (markup included), never interpreted", async (ctx) => {
        if (!database) return ctx.skip();
        const name = `<img src=x onerror=alert(1)>`;
        const j = await h.join(s.code, name);
        const client = await db();
        const row = await client.liveParticipant.findFirstOrThrow({ where: { sessionId: s.id, name } });
        expect(row.name).toBe(name);
        expect(j.participantToken).not.toBe("");
      });
      it("too many join attempts from one address: 429 with Retry-After", async (ctx) => {
        if (!database) return ctx.skip();
        const post = (code: string) =>
          fetch(`${joinLimited!.url}/api/live/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
        expect((await post(other.code)).status).toBe(201);
        expect((await post("ZZZZZZ")).status).toBe(404);
        const third = await post(other.code);
        expect(third.status).toBe(429);
        expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(ErrorBody.parse(await third.json()).error.message).toMatch(/^too many join attempts from this address: try again in \d+ s$/);
      });
      it("starting a session on an unknown lesson: 422; GET /api/live: 405", async (ctx) => {
        if (!database) return ctx.skip();
        const r = await h.call("POST", "/api/live", { lesson: "AAAAAAAAAAAAAAAA" });
        expect(r.status).toBe(422);
        expect(ErrorBody.parse(r.json).error.message).toMatch(/no saved lesson/);
        expect((await h.call("GET", "/api/live")).status).toBe(405);
        expect((await h.call("GET", ans(), undefined, h.auth(student))).status).toBe(405);
      });
      it("the 501st participant: 409 the session is full", async (ctx) => {
        if (!database) return ctx.skip();
        const full = await h.start(lesson);
        const client = await db();
        await client.liveParticipant.createMany({ data: Array.from({ length: 500 }, (_, i) => ({ sessionId: full.id, tokenHash: `fake-${full.id}-${i}` })) });
        await liveApi().settled();
        await refused("POST", "/api/live/join", { code: full.code }, {}, 409, /full/, () => full.id);
      });
      it("an expired session (4 idle hours): 410 for joins, answers and control; the results stay readable", async (ctx) => {
        if (!database) return ctx.skip();
        const x = await h.start(lesson);
        const p = await h.join(x.code);
        await h.control(x.id, x.teacherToken, { action: "open" });
        await liveApi().settled();
        const client = await db();
        await client.liveSession.update({ where: { id: x.id }, data: { lastActivity: new Date(Date.now() - 4 * 3600_000 - 60_000) } });
        // The answer route may use a row read up to RECENT_ROW_MS ago (its idle clock that stale).
        await new Promise((r) => setTimeout(r, RECENT_ROW_MS + 100));
        await refused("POST", "/api/live/join", { code: x.code }, {}, 410, /expired/, () => x.id);
        await refused("POST", `/api/live/${x.id}/answers`, { slide: 0, question: 0, answer: "1" }, h.auth(p.participantToken), 410, /expired/, () => x.id);
        await refused("POST", `/api/live/${x.id}/control`, { action: "lock" }, h.auth(x.teacherToken), 410, /expired/, () => x.id);
        expect((await h.results(x.id, x.teacherToken)).participants).toBe(1);
      });
      it("an ended session: 410 for joins, answers and control; a finished stream resumed at its end gets 204", async (ctx) => {
        if (!database) return ctx.skip();
        const x = await h.start(lesson);
        const p = await h.join(x.code);
        await h.control(x.id, x.teacherToken, { action: "open" });
        await h.control(x.id, x.teacherToken, { action: "end" });
        await refused("POST", "/api/live/join", { code: x.code }, {}, 410, /ended/, () => x.id);
        await refused("POST", `/api/live/${x.id}/answers`, { slide: 0, question: 0, answer: "1" }, h.auth(p.participantToken), 410, /ended/, () => x.id);
        await refused("POST", `/api/live/${x.id}/control`, { action: "open" }, h.auth(x.teacherToken), 410, /ended/, () => x.id);
        const st = await SseClient.open(`${served!.url}/api/live/${x.id}/events`, h.auth(p.participantToken));
        await st.closedByServer();
        const e = await st.waitFor((x) => x.data.type === "state");
        expect(e.data.type === "state" && e.data.state.phase).toBe("ended");
        const resumed = await SseClient.open(`${served!.url}/api/live/${x.id}/events`, { ...h.auth(p.participantToken), "last-event-id": e.id! });
        expect(resumed.status).toBe(204);
      });
    });
  });
}
