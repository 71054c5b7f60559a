/**
 * State-changing routes refuse requests another site made a browser send (Sec-Fetch-Site, or
 * Origin where that is absent) with 403 and a message, and store nothing; clients that send
 * neither header (curl, the CLI) are served.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiOnTestDatabase } from "@/test/api-server";
import * as predict from "@/app/api/predict/route";
import * as runs from "@/app/api/runs/route";
import * as runItem from "@/app/api/runs/[id]/route";
import { ErrorBody } from "@/lib/http/errors";
import { countRuns } from "@/lib/storage/runs";
import { counterRun } from "@/lib/storage/__tests__/fixtures";

const fx = counterRun();
const bodies = {
  "/api/runs": JSON.stringify({ code: fx.code, call: fx.call, actual: fx.actual }),
  "/api/predict": JSON.stringify({ runId: "r1", predictor: "baseline-syntax", code: "def f(x):\n    return x\n", call: "f(1)" }),
};
const api = apiOnTestDatabase({
  "POST /api/runs": runs.POST,
  "PUT /api/runs": runs.PUT,
  "DELETE /api/runs": runs.DELETE,
  "POST /api/predict": predict.POST,
  "GET /api/runs/:id": (req, ctx) => runItem.GET(req, { params: ctx.params.then((p) => ({ id: p.id })) }),
  "DELETE /api/runs/:id": runItem.DELETE,
});
let host: string;

beforeAll(() => {
  host = new URL(api.url).host;
});

afterEach(() => {
  delete process.env.CSRF_ALLOW_SAME_SITE;
});

const post = (path: keyof typeof bodies, headers: Record<string, string>) =>
  fetch(`${api.url}${path}`, { method: "POST", body: bodies[path], headers: { "content-type": "application/json", ...headers } });

async function expectRefused(res: Response) {
  expect(res.status).toBe(403);
  const { error } = ErrorBody.parse(await res.json());
  expect(error.code).toBe("forbidden");
  expect(error.message).toMatch(/refused/);
}

for (const path of ["/api/runs", "/api/predict"] as const) {
  describe(`POST ${path}`, () => {
    it("refuses Sec-Fetch-Site: cross-site with 403 and stores nothing", async () => {
      const before = await countRuns();
      await expectRefused(await post(path, { "sec-fetch-site": "cross-site", origin: "https://evil.example" }));
      expect(await countRuns()).toBe(before);
    });

    it("refuses a cross-site request even when its Origin claims this host", async () => {
      await expectRefused(await post(path, { "sec-fetch-site": "cross-site", origin: `http://${host}` }));
    });

    it("refuses Sec-Fetch-Site: same-site by default", async () => {
      await expectRefused(await post(path, { "sec-fetch-site": "same-site", origin: "https://docs.example.org" }));
    });

    it("accepts Sec-Fetch-Site: same-site with CSRF_ALLOW_SAME_SITE=1", async () => {
      process.env.CSRF_ALLOW_SAME_SITE = "1";
      expect((await post(path, { "sec-fetch-site": "same-site" })).status).toBeLessThan(300);
    });

    it("accepts Sec-Fetch-Site: same-origin", async () => {
      expect((await post(path, { "sec-fetch-site": "same-origin", origin: `http://${host}` })).status).toBeLessThan(300);
    });

    it("without Sec-Fetch-Site, refuses an Origin of another host", async () => {
      await expectRefused(await post(path, { origin: "https://evil.example" }));
    });

    it("without Sec-Fetch-Site, refuses an Origin on another port of the same host", async () => {
      await expectRefused(await post(path, { origin: "http://127.0.0.1:1" }));
    });

    it("without Sec-Fetch-Site, refuses Origin: null (a sandboxed frame or a local file)", async () => {
      await expectRefused(await post(path, { origin: "null" }));
    });

    it("without Sec-Fetch-Site, accepts an Origin that matches the host", async () => {
      expect((await post(path, { origin: `http://${host}` })).status).toBeLessThan(300);
    });

    it("accepts a client that sends neither header (curl, the CLI)", async () => {
      expect((await post(path, {})).status).toBeLessThan(300);
    });

    it("is not fooled by a forwarded host without TRUST_PROXY", async () => {
      await expectRefused(await post(path, { origin: "https://evil.example", "x-forwarded-host": "evil.example" }));
    });
  });
}

describe("other methods", () => {
  it("refuses a cross-site DELETE or PUT before anything else", async () => {
    await expectRefused(await fetch(`${api.url}/api/runs/AAAAAAAAAAAAAAAA`, { method: "DELETE", headers: { "sec-fetch-site": "cross-site" } }));
    await expectRefused(await fetch(`${api.url}/api/runs`, { method: "PUT", headers: { "sec-fetch-site": "cross-site" } }));
  });

  it("serves a cross-site GET of a run (reading is not a change)", async () => {
    const { id } = await (await post("/api/runs", {})).json();
    const res = await fetch(`${api.url}/api/runs/${id}`, { headers: { "sec-fetch-site": "cross-site", origin: "https://evil.example" } });
    expect(res.status).toBe(200);
  });
});
