/**
 * The one JSON body reader (lib/http/body.ts) on every route, over real HTTP: exact media
 * type, a byte limit counted on the wire, valid Unicode, and a 4xx with a message for each
 * way a body can be wrong.
 */
import http from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { apiOnTestDatabase } from "@/test/api-server";
import * as predict from "@/app/api/predict/route";
import * as runs from "@/app/api/runs/route";
import { readJsonBody } from "@/lib/http/body";
import { ErrorBody } from "@/lib/http/errors";
import { LIMITS } from "@/lib/http/limits";
import { route } from "@/lib/http/route";
import { countRuns } from "@/lib/storage/runs";
import { counterRun } from "@/lib/storage/__tests__/fixtures";

const fx = counterRun();
const runBody = { code: fx.code, call: fx.call, title: "t", actual: fx.actual };
const predictBody = { runId: "r1", predictor: "baseline-syntax", code: "def f(x):\n    return x\n", call: "f(1)" };

const api = apiOnTestDatabase({
  "POST /api/runs": runs.POST,
  "POST /api/predict": predict.POST,
  "POST /echo": route(async (req: Request) => Response.json({ value: await readJsonBody(req, 1024) })),
});

/** One request on its own connection (the server may answer before the upload ends). */
function send(path: string, body: string | Uint8Array | Readable, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${api.url}${path}`, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (body instanceof Readable) body.destroy();
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, json: text });
        }
      });
    });
    // Once answered the server may hang up on the rest of the upload; a reset with no answer fails.
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ECONNRESET") setTimeout(() => reject(new Error(`${err.code} and no answer`)), 3_000);
      else reject(err);
    });
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

const JSON_TYPE = { "content-type": "application/json" };
const errorOf = (json: unknown) => ErrorBody.parse(json).error;

describe("media types: exactly application/json, optionally with charset=utf-8", () => {
  const refused = [
    "text/plain",
    "text/plain; x=application/json",
    "text/plain;charset=utf-8;x=application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json-patch+json",
    "application/jsonx",
    "application/json; charset=latin1",
    "application/json; x=1",
    "application/json, text/plain",
  ];
  for (const path of ["/api/runs", "/api/predict", "/echo"]) {
    for (const type of refused) {
      it(`${path} answers 415 to Content-Type ${JSON.stringify(type)}`, async () => {
        const res = await send(path, JSON.stringify(path === "/api/runs" ? runBody : predictBody), { "content-type": type });
        expect(res.status).toBe(415);
        expect(errorOf(res.json)).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining("application/json") });
      });
    }
    it(`${path} answers 415 to a body without Content-Type`, async () => {
      expect((await send(path, JSON.stringify(predictBody), {})).status).toBe(415);
    });
  }

  for (const type of [
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    'application/json; charset="utf-8"',
  ]) {
    it(`accepts ${JSON.stringify(type)}`, async () => {
      const res = await send("/echo", '{"a":1}', { "content-type": type });
      expect(res).toEqual({ status: 200, json: { value: { a: 1 } } });
    });
  }
});

describe("lone surrogates: text must be valid Unicode (400, never 500)", () => {
  const surrogateIn = (obj: Record<string, unknown>, key: string) => JSON.stringify({ ...obj, [key]: "PLACEHOLDER" }).replace('"PLACEHOLDER"', '"x\\ud800y"');
  for (const key of ["code", "call", "title"]) {
    it(`POST /api/runs refuses a lone surrogate in ${key} and stores nothing`, async () => {
      const before = await countRuns();
      const res = await send("/api/runs", surrogateIn(runBody, key), JSON_TYPE);
      expect(res.status).toBe(400);
      expect(errorOf(res.json).message).toMatch(/surrogate/);
      expect(await countRuns()).toBe(before);
    });
  }
  for (const key of ["code", "call"]) {
    it(`POST /api/predict refuses a lone surrogate in ${key}`, async () => {
      const res = await send("/api/predict", surrogateIn(predictBody, key), JSON_TYPE);
      expect(res.status).toBe(400);
      expect(errorOf(res.json).message).toMatch(/surrogate/);
    });
  }
  it("refuses a lone low surrogate and one in a key", async () => {
    expect((await send("/echo", '{"a":"\\udc00"}', JSON_TYPE)).status).toBe(400);
    expect((await send("/echo", '{"\\ud800":1}', JSON_TYPE)).status).toBe(400);
  });
  it("accepts a surrogate pair written as escapes (an emoji)", async () => {
    expect(await send("/echo", '{"a":"\\ud83d\\ude00"}', JSON_TYPE)).toEqual({ status: 200, json: { value: { a: "😀" } } });
  });
  it("accepts an escaped backslash followed by u-d-8-0-0 (not a surrogate)", async () => {
    expect(await send("/echo", '{"a":"\\\\ud800"}', JSON_TYPE)).toEqual({ status: 200, json: { value: { a: "\\ud800" } } });
  });
});

describe("the byte limit is counted on the wire", () => {
  const chunked = (bytes: number, chunk = 16 * 1024) => {
    const piece = Buffer.alloc(chunk, 0x61);
    let sent = 0;
    return new Readable({
      read() {
        if (sent >= bytes) return void this.push(null);
        sent += piece.length;
        this.push(sent === piece.length ? Buffer.concat([Buffer.from('{"a":"'), piece.subarray(6)]) : piece);
      },
    });
  };
  it("answers 413 to a body over the limit with its Content-Length", async () => {
    const res = await send("/echo", JSON.stringify({ a: "x".repeat(2000) }), JSON_TYPE);
    expect(res.status).toBe(413);
    expect(errorOf(res.json)).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("1 KiB") });
  });
  it("answers 413 to a chunked body over the limit (no Content-Length)", async () => {
    expect((await send("/echo", chunked(64 * 1024, 512), JSON_TYPE)).status).toBe(413);
  });
  it("answers 413 to a body whose Content-Length understates it", async () => {
    // The server is told 100 bytes; Node's parser reads exactly that, so the JSON is cut: 400, not a 2 KB read.
    const body = JSON.stringify({ a: "x".repeat(2000) });
    const res = await send("/echo", body, { ...JSON_TYPE, "content-length": "100" });
    expect([400, 413]).toContain(res.status);
  });
  it(`POST /api/predict answers 413 past ${LIMITS.body.predict} bytes, chunked`, async () => {
    expect((await send("/api/predict", chunked(LIMITS.body.predict + 64 * 1024), JSON_TYPE)).status).toBe(413);
  });
  it("answers every refused upload with its 413, never with a reset (20 in a row, still sending)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await send("/echo", chunked(4 * 1024 * 1024, 64 * 1024), JSON_TYPE)).status);
    expect(statuses).toEqual(Array(20).fill(413));
  });
  it("answers 400 to an empty body, invalid JSON and bytes that are not UTF-8", async () => {
    expect((await send("/echo", "", JSON_TYPE)).status).toBe(400);
    expect(errorOf((await send("/echo", "{a:1}", JSON_TYPE)).json).code).toBe("invalid_json");
    expect(errorOf((await send("/echo", new Uint8Array([0x22, 0xff, 0x22]), JSON_TYPE)).json).message).toMatch(/UTF-8/);
  });
});
