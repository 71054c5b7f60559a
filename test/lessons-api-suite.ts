/**
 * POST/GET /api/lessons over real HTTP (the app's own route modules on 127.0.0.1), run against
 * each database (lessons-api.sqlite.test.ts, lessons-api.postgres.test.ts). Not a test file.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import * as collection from "@/app/api/lessons/route";
import * as item from "@/app/api/lessons/[id]/route";
import { db, disconnectDb } from "@/lib/storage/db";
import { countLessons } from "@/lib/storage/lessons";
import { createLessonsApi } from "@/lib/storage/lessons-api";
import { createRun } from "@/lib/storage/runs";
import { CreateLessonResponse, StoredLesson } from "@/lib/storage/lesson-schema";
import { LIMITS } from "@/lib/http/limits";
import { counterRun } from "@/lib/storage/__tests__/fixtures";
import type { TestDatabase } from "@/lib/storage/__tests__/test-db";
import { serveRoutes } from "./http-harness";

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'"`;

export function lessonsApiSuite(name: string, open: () => Promise<TestDatabase | null>): void {
  let database: TestDatabase | null = null;
  let served: { url: string; close: () => Promise<void> } | null = null;
  let limited: { url: string; close: () => Promise<void> } | null = null;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, RUNS_RATE_LIMIT: process.env.RUNS_RATE_LIMIT };
  const fx = counterRun();
  /** Two stored runs: one with a prediction (called), one without (script). */
  let runA = "";
  let runB = "";
  /** A run whose frame 1 has a local named with hostile text (a posted trace may say anything). */
  let runX = "";

  beforeAll(async () => {
    database = await open();
    if (!database) return;
    process.env.DATABASE_URL = database.url;
    // The rate limit has its own test below, on its own handlers.
    process.env.RUNS_RATE_LIMIT = "0";
    runA = (await createRun({ code: fx.code, call: fx.call, title: "counter", actual: fx.actual, predictions: [fx.prediction] })).id;
    runB = (await createRun({ code: fx.code, actual: { ...fx.actual, frames: fx.actual.frames.slice(0, 4) } })).id;
    const hostileFrames = fx.actual.frames.map((f, i) => (i === 1 ? { ...f, locals: { ...f.locals, [XSS]: XSS } } : f));
    runX = (await createRun({ code: fx.code, call: fx.call, actual: { ...fx.actual, frames: hostileFrames } })).id;
    served = await serveRoutes({
      "POST /api/lessons": collection.POST,
      "GET /api/lessons": collection.GET,
      "PUT /api/lessons": collection.PUT,
      "PATCH /api/lessons": collection.PATCH,
      "DELETE /api/lessons": collection.DELETE,
      "GET /api/lessons/:id": (req, ctx) => item.GET(req, { params: ctx.params.then((p) => ({ id: p.id })) }),
      "PUT /api/lessons/:id": item.PUT,
      "PATCH /api/lessons/:id": item.PATCH,
      "DELETE /api/lessons/:id": item.DELETE,
    });
    limited = await serveRoutes({ "POST /api/lessons": createLessonsApi({ ratePerMinute: 2 }).post });
  });

  afterAll(async () => {
    await served?.close();
    await limited?.close();
    await disconnectDb();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await database?.drop();
  });

  const url = () => served!.url;
  const good = () => ({
    title: "How a world model reads a loop",
    slides: [
      {
        run: runA,
        notes: "Watch **b** grow.",
        questions: [{ kind: "value", frame: 6, name: "a" }, { kind: "next_line", frame: 8 }, { kind: "return" }, { kind: "halts" }],
      },
      { run: runB },
    ],
  });
  const post = (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(`${url()}/api/lessons`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers });

  describe(name, () => {
    it("creates a lesson: 201 with its id, a /l/ url and Location", async (ctx) => {
      if (!database) return ctx.skip();
      const res = await post(good());
      expect(res.status).toBe(201);
      const created = CreateLessonResponse.parse(await res.json());
      expect(created.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(created.url).toBe(`/l/${created.id}`);
      expect(res.headers.get("location")).toBe(created.url);
    });

    it("serves the lesson back with each slide's run inlined, in order", async (ctx) => {
      if (!database) return ctx.skip();
      const { id } = await (await post(good())).json();
      const res = await fetch(`${url()}/api/lessons/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toContain("immutable");
      const lesson = StoredLesson.parse(await res.json());
      expect(lesson).toMatchObject({ id, url: `/l/${id}`, title: "How a world model reads a loop" });
      expect(Number.isNaN(Date.parse(lesson.createdAt))).toBe(false);
      expect(lesson.slides.map((s) => s.run.id)).toEqual([runA, runB]);
      expect(lesson.slides[0].run.actual).toEqual(fx.actual);
      expect(lesson.slides[0].run.predictions).toEqual([fx.prediction]);
      expect(lesson.slides[1].run.predictions).toEqual([]);
      expect(lesson.slides[0].notes).toBe("Watch **b** grow.");
      expect(lesson.slides[0].questions).toEqual(good().slides[0].questions);
      expect(lesson.slides[1]).toMatchObject({ notes: null, questions: [] });
    });

    it("allows the same run on several slides", async (ctx) => {
      if (!database) return ctx.skip();
      const res = await post({ title: "twice", slides: [{ run: runA }, { run: runA, questions: [{ kind: "value", frame: 0, name: "steps" }] }] });
      expect(res.status).toBe(201);
    });

    it("stores hostile text in the title, notes and names verbatim (JSON out, rendered as text later)", async (ctx) => {
      if (!database) return ctx.skip();
      const res = await post({ title: XSS, slides: [{ run: runX, notes: XSS, questions: [{ kind: "value", frame: 1, name: XSS }] }] });
      expect(res.status).toBe(201);
      const got = await fetch(`${url()}/api/lessons/${(await res.json()).id}`);
      expect(got.headers.get("content-type")).toMatch(/^application\/json/);
      const lesson = StoredLesson.parse(await got.json());
      expect(lesson.title).toBe(XSS);
      expect(lesson.slides[0].notes).toBe(XSS);
      expect(lesson.slides[0].questions).toEqual([{ kind: "value", frame: 1, name: XSS }]);
    });

    it("answers 500, not a client error, for a stored lesson whose slides no longer parse", async (ctx) => {
      if (!database) return ctx.skip();
      const id = "BrokenLesson0000";
      await (await db()).lesson.create({ data: { id, title: "broken", slides: '[{"run": 1}]' } });
      const res = await fetch(`${url()}/api/lessons/${id}`);
      expect(res.status).toBe(500);
      expect(ErrorBody.parse(await res.json()).error.code).toBe("internal");
    });

    it("refuses a value question whose name is hostile text, quoting it in the message", async (ctx) => {
      if (!database) return ctx.skip();
      const before = await countLessons();
      const res = await post({ title: "t", slides: [{ run: runA, questions: [{ kind: "value", frame: 2, name: XSS }] }] });
      expect(res.status).toBe(422);
      expect(ErrorBody.parse(await res.json()).error.message).toMatch(/^slides\.0\.questions\.0\.name: /);
      expect(await countLessons()).toBe(before);
    });

    it("accepts a title of exactly 120 characters (counted as characters, not UTF-16 units)", async (ctx) => {
      if (!database) return ctx.skip();
      expect((await post({ title: "😀".repeat(120), slides: [{ run: runA }] })).status).toBe(201);
    });

    it("answers 404 for an unknown lesson id and for one that cannot be an id", async (ctx) => {
      if (!database) return ctx.skip();
      const res = await fetch(`${url()}/api/lessons/AAAAAAAAAAAAAAAA`);
      expect(res.status).toBe(404);
      expect(ErrorBody.parse(await res.json()).error).toMatchObject({ code: "not_found", message: expect.stringContaining("no lesson") });
      expect((await fetch(`${url()}/api/lessons/short`)).status).toBe(404);
      expect((await fetch(`${url()}/api/lessons/${"%2e%2e%2f".repeat(6)}`)).status).toBe(404);
    });

    it("answers 404, not a lesson, for a run's id", async (ctx) => {
      if (!database) return ctx.skip();
      expect((await fetch(`${url()}/api/lessons/${runA}`)).status).toBe(404);
    });

    for (const method of ["PUT", "PATCH", "DELETE"]) {
      it(`answers 405 with Allow: GET to ${method} on a lesson and leaves it unchanged`, async (ctx) => {
        if (!database) return ctx.skip();
        const { id } = await (await post(good())).json();
        const res = await fetch(`${url()}/api/lessons/${id}`, {
          method,
          body: method === "DELETE" ? undefined : JSON.stringify({ title: "changed", slides: [{ run: runB }] }),
          headers: { "content-type": "application/json" },
        });
        expect(res.status).toBe(405);
        expect(res.headers.get("allow")).toBe("GET");
        expect(ErrorBody.parse(await res.json()).error.message).toMatch(/immutable/);
        const lesson = StoredLesson.parse(await (await fetch(`${url()}/api/lessons/${id}`)).json());
        expect(lesson.title).toBe("How a world model reads a loop");
      });

      it(`answers 405 with Allow: POST to ${method} on the collection`, async (ctx) => {
        if (!database) return ctx.skip();
        const res = await fetch(`${url()}/api/lessons`, {
          method,
          body: method === "DELETE" ? undefined : "{}",
          headers: { "content-type": "application/json" },
        });
        expect(res.status).toBe(405);
        expect(res.headers.get("allow")).toBe("POST");
      });
    }

    it("answers 405 with Allow: POST to a listing (GET /api/lessons)", async (ctx) => {
      if (!database) return ctx.skip();
      const res = await fetch(`${url()}/api/lessons`);
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    });

    /** Each a 4xx whose message names the field, with nothing stored. */
    const badBodies: { name: string; body: () => unknown; status: number; field: RegExp }[] = [
      { name: "no title", body: () => ({ slides: good().slides }), status: 422, field: /^title: / },
      { name: "an empty title", body: () => ({ ...good(), title: "" }), status: 422, field: /^title: .*empty/ },
      { name: "a blank title", body: () => ({ ...good(), title: " \n\t " }), status: 422, field: /^title: .*empty/ },
      { name: "a 121-character title", body: () => ({ ...good(), title: "x".repeat(121) }), status: 422, field: /^title: .*120/ },
      { name: "a title that is not text", body: () => ({ ...good(), title: 42 }), status: 422, field: /^title: / },
      { name: "no slides", body: () => ({ title: "t" }), status: 422, field: /^slides: / },
      { name: "zero slides", body: () => ({ title: "t", slides: [] }), status: 422, field: /^slides: .*at least one/ },
      { name: "51 slides", body: () => ({ title: "t", slides: Array.from({ length: 51 }, () => ({ run: runA })) }), status: 422, field: /^slides: .*50/ },
      { name: "a slide with no run", body: () => ({ title: "t", slides: [{ notes: "x" }] }), status: 422, field: /^slides\.0\.run: / },
      { name: "a malformed run id", body: () => ({ title: "t", slides: [{ run: "../../etc/passwd" }] }), status: 422, field: /^slides\.0\.run: / },
      {
        name: "a run that does not exist",
        body: () => ({ title: "t", slides: [{ run: runA }, { run: "AAAAAAAAAAAAAAAA" }] }),
        status: 422,
        field: /^slides\.1\.run: no saved run/,
      },
      {
        name: "notes over 8 KiB",
        body: () => ({ title: "t", slides: [{ run: runA, notes: "é".repeat(4097) }] }),
        status: 422,
        field: /^slides\.0\.notes: .*8192 bytes/,
      },
      {
        name: "11 questions",
        body: () => ({ title: "t", slides: [{ run: runA, questions: Array.from({ length: 11 }, () => ({ kind: "halts" })) }] }),
        status: 422,
        field: /^slides\.0\.questions: .*10/,
      },
      {
        name: "an unknown question kind",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "guess" }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.kind: /,
      },
      {
        name: "a value question without a name",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "value", frame: 2 }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.name: /,
      },
      {
        name: "a negative frame",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "next_line", frame: -1 }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.frame: /,
      },
      {
        name: "a fractional frame",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "next_line", frame: 1.5 }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.frame: /,
      },
      {
        name: "a frame past the real trace",
        body: () => ({ title: "t", slides: [{ run: runA }, { run: runB, questions: [{ kind: "value", frame: 4, name: "a" }] }] }),
        status: 422,
        field: /^slides\.1\.questions\.0\.frame: .*outside the run's real trace \(4 frames/,
      },
      {
        name: "a name that is not a local of frame K",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "value", frame: 3, name: "c" }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.name: "c" is not a local of frame 3/,
      },
      {
        name: "a value question on a return frame",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "value", frame: 18, name: "a" }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.frame: .*return frame/,
      },
      {
        name: "a next_line question on the last frame",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "next_line", frame: 18 }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.frame: .*no next line/,
      },
      {
        name: "a bad question after good ones",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "halts" }, { kind: "return" }, { kind: "value", frame: 0, name: "i" }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.2\.name: /,
      },
      {
        name: "a name that is an inherited property, not a local",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "value", frame: 2, name: "constructor" }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.name: "constructor" is not a local/,
      },
      {
        name: "a frame given as text",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "next_line", frame: "3" }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0\.frame: /,
      },
      {
        name: "a title with a lone surrogate",
        body: () => '{"title": "\\ud800", "slides": [{"run": "AAAAAAAAAAAAAAAA"}]}',
        status: 400,
        field: /surrogate|Unicode/i,
      },
      { name: "an unknown field on the lesson", body: () => ({ ...good(), id: "AAAAAAAAAAAAAAAA" }), status: 422, field: /^body: .*id/ },
      {
        name: "an unknown field on a slide",
        body: () => ({ title: "t", slides: [{ run: runA, script: "<script>" }] }),
        status: 422,
        field: /^slides\.0: .*script/,
      },
      {
        name: "an unknown field on a question",
        body: () => ({ title: "t", slides: [{ run: runA, questions: [{ kind: "return", answer: "(40, 57, 83)" }] }] }),
        status: 422,
        field: /^slides\.0\.questions\.0: .*answer/,
      },
      { name: "a JSON array instead of an object", body: () => [good()], status: 422, field: /^body: / },
      { name: "text that is not JSON", body: () => "{title: 't'", status: 400, field: /JSON/ },
    ];

    for (const bad of badBodies) {
      it(`refuses ${bad.name} with ${bad.status}, names the field and stores nothing`, async (ctx) => {
        if (!database) return ctx.skip();
        const before = await countLessons();
        const res = await post(bad.body());
        expect(res.status).toBe(bad.status);
        const { error } = ErrorBody.parse(await res.json());
        expect(error.message).toMatch(bad.field);
        expect(await countLessons()).toBe(before);
      });
    }

    /** One POST on its own connection, so a body refused early cannot upset the next request. */
    function rawPost(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = http.request(`${url()}/api/lessons`, { method: "POST", headers: { ...headers, connection: "close" } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        // The server may answer 413 and close while the body is still going out.
        req.on("error", (err: NodeJS.ErrnoException) => (err.code === "EPIPE" || err.code === "ECONNRESET" ? undefined : reject(err)));
        req.end(body);
      });
    }

    const hostileRequests: { name: string; send: () => Promise<{ status: number; body: string }>; status: number }[] = [
      { name: "a text/plain content type", send: () => rawPost(JSON.stringify(good()), { "content-type": "text/plain" }), status: 415 },
      { name: "no content type", send: () => rawPost(JSON.stringify(good()), {}), status: 415 },
      { name: "a form post", send: () => rawPost("title=t", { "content-type": "application/x-www-form-urlencoded" }), status: 415 },
      {
        name: "a cross-site post (Sec-Fetch-Site)",
        send: () => rawPost(JSON.stringify(good()), { "content-type": "application/json", "sec-fetch-site": "cross-site" }),
        status: 403,
      },
      {
        name: "a cross-origin post (Origin)",
        send: () => rawPost(JSON.stringify(good()), { "content-type": "application/json", origin: "https://evil.example" }),
        status: 403,
      },
      {
        name: `a body over the ${LIMITS.body.lessons}-byte lessons limit`,
        send: () => rawPost(JSON.stringify({ ...good(), title: "x".repeat(LIMITS.body.lessons) }), { "content-type": "application/json" }),
        status: 413,
      },
      { name: "an empty body", send: () => rawPost("", { "content-type": "application/json" }), status: 400 },
    ];

    for (const bad of hostileRequests) {
      it(`refuses ${bad.name} with ${bad.status}, a message, and stores nothing`, async (ctx) => {
        if (!database) return ctx.skip();
        const before = await countLessons();
        const res = await bad.send();
        expect(res.status).toBe(bad.status);
        expect(ErrorBody.parse(JSON.parse(res.body)).error.message.length).toBeGreaterThan(0);
        expect(await countLessons()).toBe(before);
      });
    }

    it("rate-limits saves per client: 429 with Retry-After once the burst is spent", async (ctx) => {
      if (!database) return ctx.skip();
      const send = () =>
        fetch(`${limited!.url}/api/lessons`, { method: "POST", body: JSON.stringify(good()), headers: { "content-type": "application/json" } });
      expect((await send()).status).toBe(201);
      expect((await send()).status).toBe(201);
      const before = await countLessons();
      const res = await send();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await countLessons()).toBe(before);
    });
  });
}
