/** Paths and methods no route serves still answer the one error model, never an HTML page or an empty body. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes } from "@/test/http-harness";
import * as catchAll from "@/app/api/[...path]/route";
import * as predict from "@/app/api/predict/route";
import * as predictors from "@/app/api/predictors/route";
import * as runs from "@/app/api/runs/route";
import { ErrorBody } from "@/lib/http/errors";

let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url: base, close } = await serveRoutes({
    "GET /api/predict": predict.GET,
    "POST /api/predictors": predictors.POST,
    "GET /api/runs": runs.GET,
    "GET /api/nope": catchAll.GET,
    "POST /api/nope": catchAll.POST,
    "DELETE /api/runs/x/y": catchAll.DELETE,
  }));
});
afterAll(() => close());

async function errorOf(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return ErrorBody.parse(await res.json()).error;
}

describe("the error model for what no route serves", () => {
  for (const [method, path, allow] of [
    ["GET", "/api/predict", "POST"],
    ["POST", "/api/predictors", "GET"],
    ["GET", "/api/runs", "POST"],
  ] as const) {
    it(`answers ${method} ${path} with 405, Allow: ${allow} and a message`, async () => {
      const res = await fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(await errorOf(res)).toMatchObject({ code: "method_not_allowed", message: expect.stringContaining(allow) });
    });
  }

  it("answers an unknown API path with a JSON 404 that names it", async () => {
    const res = await fetch(`${base}/api/nope`);
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: "not_found", message: expect.stringContaining("/api/nope") });
  });

  it("refuses a cross-site POST to an unknown API path as it does everywhere (403 first)", async () => {
    const res = await fetch(`${base}/api/nope`, { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
  });

  it("answers an unknown path below a known one with a JSON 404", async () => {
    expect((await fetch(`${base}/api/runs/x/y`, { method: "DELETE" })).status).toBe(404);
  });
});
