/**
 * POST/GET /api/runs over real HTTP (the app's own route modules on 127.0.0.1) against a
 * real, migrated SQLite database.
 */
import http from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiOnTestDatabase } from "@/test/api-server";
import * as collection from "@/app/api/runs/route";
import * as item from "@/app/api/runs/[id]/route";
import { computeMetrics } from "@/lib/compare/metrics";
import { countRuns } from "@/lib/storage/runs";
import { db } from "@/lib/storage/db";
import { LIMITS } from "@/lib/http/limits";
import { StoredRun } from "@/lib/storage/schema";
import { counterRun } from "@/lib/storage/__tests__/fixtures";

const fx = counterRun();
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const goodBody = { code: fx.code, call: fx.call, title: "counter", actual: fx.actual, prediction: fx.prediction };

const api = apiOnTestDatabase({
  "POST /api/runs": collection.POST,
  "PUT /api/runs": collection.PUT,
  "PATCH /api/runs": collection.PATCH,
  "DELETE /api/runs": collection.DELETE,
  "GET /api/runs/:id": (req, ctx) => item.GET(req, { params: ctx.params.then((p) => ({ id: p.id })) }),
  "PUT /api/runs/:id": item.PUT,
  "PATCH /api/runs/:id": item.PATCH,
  "DELETE /api/runs/:id": item.DELETE,
});

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return fetch(`${api.url}/api/runs`, { method: "POST", body, headers });
}

describe("POST /api/runs then GET /api/runs/<id>", () => {
  it("creates a run: 201 with its id, url and Location", async () => {
    const res = await post(JSON.stringify(goodBody));
    expect(res.status).toBe(201);
    const { id, url } = await res.json();
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(url).toBe(`/r/${id}`);
    expect(res.headers.get("location")).toBe(url);
  });

  it("serves the stored run back, identical to what was posted", async () => {
    const { id } = await (await post(JSON.stringify(goodBody))).json();
    const res = await fetch(`${api.url}/api/runs/${id}`);
    expect(res.status).toBe(200);
    const run = StoredRun.parse(await res.json());
    expect(run).toMatchObject({ id, code: fx.code, call: fx.call, title: "counter", mode: "call" });
    expect(run.actual).toEqual(fx.actual);
    expect(run.predictions).toEqual([fx.prediction]);
  });

  it("stores the server's own metrics, not the ones the client claims", async () => {
    const claimed = {
      valid_format: true,
      valid_json: true,
      action_exact: 1,
      state_exact: 1,
      key_match: 1,
      key_value_match: 1,
      output_correct: true,
      first_divergence: null,
    };
    const { id } = await (await post(JSON.stringify({ ...goodBody, metrics: claimed }))).json();
    const run = StoredRun.parse(await (await fetch(`${api.url}/api/runs/${id}`)).json());
    expect(run.metrics).toEqual(computeMetrics(fx.actual, fx.prediction));
    expect(run.metrics).not.toEqual(claimed);
  });

  it("stores no metrics for a run without a prediction", async () => {
    const { id } = await (await post(JSON.stringify({ code: fx.code, actual: fx.actual }))).json();
    const run = StoredRun.parse(await (await fetch(`${api.url}/api/runs/${id}`)).json());
    expect(run).toMatchObject({ metrics: null, predictions: [], mode: "script", call: null });
  });

  it("accepts a UTF-8 body with non-ASCII text and charset=utf-8", async () => {
    const res = await post(JSON.stringify({ ...goodBody, title: "compteur · счётчик · 计数器" }), { "content-type": "application/json; charset=UTF-8" });
    expect(res.status).toBe(201);
    const run = StoredRun.parse(await (await fetch(`${api.url}/api/runs/${(await res.json()).id}`)).json());
    expect(run.title).toBe("compteur · счётчик · 计数器");
  });

  it("answers 404 with a message for an unknown id", async () => {
    const res = await fetch(`${api.url}/api/runs/AAAAAAAAAAAAAAAA`);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: "not_found", message: expect.stringContaining("no run") });
  });

  it("answers 500, not a client error, for a stored run that no longer parses", async () => {
    const id = "BrokenRunHttp000";
    await (await db()).run.create({ data: { id, code: "x", mode: "script", actual: "{" } });
    const res = await fetch(`${api.url}/api/runs/${id}`);
    expect(res.status).toBe(500);
    expect((await res.json()).error.code).toBe("internal");
  });

  it("answers 404 for an id that cannot be a run id", async () => {
    expect((await fetch(`${api.url}/api/runs/short`)).status).toBe(404);
    expect((await fetch(`${api.url}/api/runs/${"%2e%2e%2f".repeat(6)}`)).status).toBe(404);
  });
});

describe("runs are immutable", () => {
  for (const method of ["PUT", "PATCH", "DELETE"]) {
    it(`answers 405 to ${method} on a run and leaves it unchanged`, async () => {
      const { id } = await (await post(JSON.stringify(goodBody))).json();
      const res = await fetch(`${api.url}/api/runs/${id}`, {
        method,
        body: method === "DELETE" ? undefined : JSON.stringify(goodBody),
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET");
      expect((await res.json()).error.message).toMatch(/immutable/);
      expect((await fetch(`${api.url}/api/runs/${id}`)).status).toBe(200);
    });

    it(`answers 405 to ${method} on the collection`, async () => {
      const res = await fetch(`${api.url}/api/runs`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect((await res.json()).error.code).toBe("method_not_allowed");
    });
  }
});

const big = (n: number) => "x".repeat(n);
const frames = (n: number) => Array.from({ length: n }, (_, i) => ({ event: "line", line: 1, source: "x = 1", locals: { i: String(i) } }));
const JSON_TYPE = { "content-type": "application/json" };

/**
 * One POST on its own connection (node:http, no pooling): the server may answer 413 before
 * the upload ends, and a pooled socket would then fail the next test instead of this one.
 * A Readable body goes out chunked, with no Content-Length.
 */
function rawPost(body: string | Uint8Array | Readable, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${api.url}/api/runs`, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        } catch (err) {
          reject(err);
        }
      });
    });
    // The server stops reading once it has refused the body: a reset upload is expected.
    req.on("error", (err: NodeJS.ErrnoException) => (err.code === "EPIPE" || err.code === "ECONNRESET" ? undefined : reject(err)));
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

const json = (v: unknown) => rawPost(JSON.stringify(v), JSON_TYPE);

/** `bytes` of a JSON-looking body in 64 KiB chunks, streamed without Content-Length. */
function chunked(bytes: number): Readable {
  const chunk = Buffer.from(`{"code":"${big(64 * 1024)}`.slice(0, 64 * 1024));
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

const badInputs: Array<{ name: string; send: () => Promise<{ status: number; json: unknown }>; status: number }> = [
  { name: "an empty body", send: () => rawPost("", JSON_TYPE), status: 400 },
  { name: "invalid JSON", send: () => rawPost("{code: 'x'", JSON_TYPE), status: 400 },
  {
    name: "a body that is not UTF-8",
    send: () => rawPost(new Uint8Array([0x7b, 0x22, 0x63, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), JSON_TYPE),
    status: 400,
  },
  { name: "a JSON array", send: () => json([]), status: 422 },
  { name: "JSON null", send: () => json(null), status: 422 },
  { name: "code of the wrong type", send: () => json({ ...goodBody, code: 42 }), status: 422 },
  { name: "a missing actual trace", send: () => json({ code: "x = 1" }), status: 422 },
  { name: "missing code", send: () => json({ actual: fx.actual }), status: 422 },
  { name: "empty code", send: () => json({ ...goodBody, code: "  \n" }), status: 422 },
  { name: "an unknown top-level field", send: () => json({ ...goodBody, owner: "me" }), status: 422 },
  { name: "an unknown field in the trace", send: () => json({ ...goodBody, actual: { ...fx.actual, extra: 1 } }), status: 422 },
  {
    name: "an unknown field in a frame",
    send: () => json({ ...goodBody, actual: { ...fx.actual, frames: [{ ...fx.actual.frames[0], html: "<b>" }] } }),
    status: 422,
  },
  {
    name: "a frame with an unknown event",
    send: () => json({ ...goodBody, actual: { ...fx.actual, frames: [{ ...fx.actual.frames[0], event: "jump" }] } }),
    status: 422,
  },
  {
    name: "a frame line that is not an integer",
    send: () => json({ ...goodBody, actual: { ...fx.actual, frames: [{ ...fx.actual.frames[0], line: 1.5 }] } }),
    status: 422,
  },
  { name: "an unknown trace status", send: () => json({ ...goodBody, actual: { ...fx.actual, status: "maybe" } }), status: 422 },
  { name: "a prediction with an unknown finish reason", send: () => json({ ...goodBody, prediction: { ...fx.prediction, finish: "tired" } }), status: 422 },
  { name: "code over 64 KiB", send: () => json({ ...goodBody, code: big(LIMITS.code + 1) }), status: 422 },
  { name: "code over 64 KiB in UTF-8 bytes though not in characters", send: () => json({ ...goodBody, code: "é".repeat(LIMITS.code / 2 + 1) }), status: 422 },
  { name: "a call over 1 KiB", send: () => json({ ...goodBody, call: `f(${big(LIMITS.call)})` }), status: 422 },
  { name: "a title over 200 characters", send: () => json({ ...goodBody, title: big(201) }), status: 422 },
  { name: "an actual trace over 10,000 frames", send: () => json({ ...goodBody, actual: { ...fx.actual, frames: frames(LIMITS.frames + 1) } }), status: 422 },
  {
    name: "a predicted trace over 10,000 frames",
    send: () => json({ ...goodBody, prediction: { ...fx.prediction, frames: frames(LIMITS.frames + 1) } }),
    status: 422,
  },
  { name: "a body over 8 MiB with its Content-Length", send: () => json({ ...goodBody, code: big(LIMITS.body.runs) }), status: 413 },
  { name: "a body over 8 MiB streamed without Content-Length", send: () => rawPost(chunked(LIMITS.body.runs + 256 * 1024), JSON_TYPE), status: 413 },
  { name: "a text/plain content type", send: () => rawPost(JSON.stringify(goodBody), { "content-type": "text/plain" }), status: 415 },
  { name: "no content type", send: () => rawPost(JSON.stringify(goodBody), {}), status: 415 },
  { name: "a charset other than UTF-8", send: () => rawPost(JSON.stringify(goodBody), { "content-type": "application/json; charset=latin1" }), status: 415 },
  { name: "a form post", send: () => rawPost("code=x", { "content-type": "application/x-www-form-urlencoded" }), status: 415 },
];

describe("POST /api/runs refuses bad input and stores nothing", () => {
  for (const bad of badInputs) {
    it(`refuses ${bad.name} with ${bad.status} and a message`, async () => {
      const before = await countRuns();
      const res = await bad.send();
      expect(res.status).toBe(bad.status);
      const { error } = ErrorBody.parse(res.json);
      expect(error.message.length).toBeGreaterThan(5);
      expect(await countRuns()).toBe(before);
    });
  }
});
