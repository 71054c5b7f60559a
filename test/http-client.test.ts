/**
 * The browser's fetch helper (lib/http/client.ts) against a real server: an error answer comes
 * back as the same AppError the route threw.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { serveRoutes } from "@/test/http-harness";
import { fetchJson } from "@/lib/http/client";
import { AppError } from "@/lib/http/errors";
import { readJsonBody } from "@/lib/http/body";
import { route } from "@/lib/http/route";

let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url: base, close } = await serveRoutes({
    "GET /ok": () => Response.json({ n: 1 }),
    "GET /wrong-shape": () => Response.json({ n: "one" }),
    "GET /busy": route(() => {
      throw new AppError("rate_limited", "busy: try again in 3 s", { "Retry-After": "3" });
    }),
    "GET /crash": route(() => {
      throw new Error("secret stack detail");
    }),
    "GET /proxy-page": () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } }),
    "GET /odd-code": () => Response.json({ error: { code: "teapot", message: "short and stout" } }, { status: 418 }),
    "POST /echo": route(async (req: Request) => Response.json(await readJsonBody(req, 1024))),
  }));
});

afterAll(() => close());

const N = z.object({ n: z.number() });

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a failure");
}

describe("fetchJson", () => {
  it("answers the parsed body", async () => {
    expect(await fetchJson(`${base}/ok`, {}, N)).toEqual({ n: 1 });
  });
  it("sends `json` as application/json", async () => {
    expect(await fetchJson(`${base}/echo`, { method: "POST", json: { n: 2 } }, N)).toEqual({ n: 2 });
  });
  it("throws the route's AppError: code, message, status and Retry-After", async () => {
    const e = await failure(fetchJson(`${base}/busy`, {}, N));
    expect([e.code, e.message, e.status, e.headers["Retry-After"]]).toEqual(["rate_limited", "busy: try again in 3 s", 429, "3"]);
  });
  it("decodes the body reader's errors too", async () => {
    const e = await failure(fetchJson(`${base}/echo`, { method: "POST", json: { a: "x".repeat(2000) } }, N));
    expect(e.code).toBe("payload_too_large");
  });
  it("gets `internal` without the server's details for a crash", async () => {
    const e = await failure(fetchJson(`${base}/crash`, {}, N));
    expect(e.code).toBe("internal");
    expect(e.message).not.toMatch(/secret/);
  });
  it("makes a code from the status when the body is not the error model (a proxy's page)", async () => {
    const e = await failure(fetchJson(`${base}/proxy-page`, {}, N));
    expect([e.code, e.status]).toEqual(["upstream", 502]);
    expect(e.message).toMatch(/502/);
  });
  it("keeps the message of an unknown code and takes the code from the status", async () => {
    const e = await failure(fetchJson(`${base}/odd-code`, {}, N));
    expect([e.code, e.message]).toEqual(["bad_request", "short and stout"]);
  });
  it("throws `internal` for an answer of the wrong shape", async () => {
    const e = await failure(fetchJson(`${base}/wrong-shape`, {}, N));
    expect(e.code).toBe("internal");
    expect(e.message).toMatch(/n:/);
  });
  it("throws `unavailable` when nothing answers", async () => {
    const e = await failure(fetchJson("http://127.0.0.1:9/ok", {}, N));
    expect(e.code).toBe("unavailable");
  });
  it("rethrows an abort unchanged", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(fetchJson(`${base}/ok`, { signal: ac.signal }, N)).rejects.toMatchObject({ name: "AbortError" });
  });
});
