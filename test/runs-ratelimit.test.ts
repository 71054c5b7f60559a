/** The POST /api/runs rate limit over real HTTP: per client address, 429 with Retry-After. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes } from "@/test/http-harness";
import { createRunsApi } from "@/lib/storage/runs-api";
import { countRuns } from "@/lib/storage/runs";
import { disconnectDb } from "@/lib/storage/db";
import { counterRun } from "@/lib/storage/__tests__/fixtures";
import { sqliteTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";

const fx = counterRun();
const body = JSON.stringify({ code: fx.code, call: fx.call, actual: fx.actual });
let database: TestDatabase;
let base: string;
let close: () => Promise<void>;
const savedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  database = sqliteTestDatabase();
  process.env.DATABASE_URL = database.url;
  const api = createRunsApi({ ratePerMinute: 3 });
  ({ url: base, close } = await serveRoutes({ "POST /api/runs": (req) => api.post(req) }));
});

afterAll(async () => {
  await close();
  await disconnectDb();
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
  await database.drop();
});

const postAs = (ip: string) =>
  fetch(`${base}/api/runs`, { method: "POST", body, headers: { "content-type": "application/json", "x-forwarded-for": ip } });

describe("POST /api/runs rate limit", () => {
  it("allows a burst of RUNS_RATE_LIMIT saves, then answers 429 with Retry-After and stores nothing", async () => {
    for (let i = 0; i < 3; i++) expect((await postAs("203.0.113.7")).status).toBe(201);
    const before = await countRuns();
    const res = await postAs("203.0.113.7");
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(20);
    expect((await res.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/try again/) });
    expect(await countRuns()).toBe(before);
  });

  it("keeps a separate budget for each client address", async () => {
    for (let i = 0; i < 3; i++) expect((await postAs("198.51.100.1")).status).toBe(201);
    expect((await postAs("198.51.100.1")).status).toBe(429);
    expect((await postAs("198.51.100.2")).status).toBe(201);
  });

  it("keys on the last X-Forwarded-For hop, so a forged first hop does not reset the budget", async () => {
    for (let i = 0; i < 3; i++) expect((await postAs(`10.0.0.${i}, 192.0.2.9`)).status).toBe(201);
    expect((await postAs("10.9.9.9, 192.0.2.9")).status).toBe(429);
  });
});
