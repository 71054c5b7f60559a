/**
 * The POST /api/runs rate limit over real HTTP: per client address, 429 with Retry-After. The
 * address is the socket's unless TRUST_PROXY says how many proxies stand in front.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes } from "@/test/http-harness";
import { createRunsApi } from "@/lib/storage/runs-api";
import { countRuns } from "@/lib/storage/runs";
import { disconnectDb } from "@/lib/storage/db";
import { counterRun } from "@/lib/storage/__tests__/fixtures";
import { sqliteTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";

const fx = counterRun();
const body = JSON.stringify({ code: fx.code, call: fx.call, actual: fx.actual });
let database: TestDatabase;
const saved = { DATABASE_URL: process.env.DATABASE_URL, TRUST_PROXY: process.env.TRUST_PROXY };
let servers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = sqliteTestDatabase();
  process.env.DATABASE_URL = database.url;
});

afterEach(async () => {
  await Promise.all(servers.map((close) => close()));
  servers = [];
});

afterAll(async () => {
  await disconnectDb();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await database.drop();
});

/** A fresh server with a budget of 3 saves per minute, behind `trustProxy` proxies. */
async function server(trustProxy: number): Promise<(headers?: Record<string, string>) => Promise<Response>> {
  if (trustProxy === 0) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = String(trustProxy);
  const api = createRunsApi({ ratePerMinute: 3 });
  const { url, close } = await serveRoutes({ "POST /api/runs": (req) => api.post(req) }, { trustProxy });
  servers.push(close);
  return (headers = {}) => fetch(`${url}/api/runs`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

describe("POST /api/runs rate limit", () => {
  it("allows a burst of RUNS_RATE_LIMIT saves, then answers 429 with Retry-After and stores nothing", async () => {
    const post = await server(0);
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(201);
    const before = await countRuns();
    const res = await post();
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(20);
    expect((await res.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/try again/) });
    expect(await countRuns()).toBe(before);
  });

  it("without TRUST_PROXY, a rotating X-Forwarded-For does not escape the limit", async () => {
    const post = await server(0);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post({ "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `203.0.113.${i}` })).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429]);
  });

  it("without TRUST_PROXY, a client-sent socket-address header is replaced by the real one", async () => {
    const post = await server(0);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post({ "x-cwm-socket-address": `192.0.2.${i}` })).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });

  it("with TRUST_PROXY=1, keys on the last X-Forwarded-For hop: each client has its own budget", async () => {
    const post = await server(1);
    for (let i = 0; i < 3; i++) expect((await post({ "x-forwarded-for": "198.51.100.1" })).status).toBe(201);
    expect((await post({ "x-forwarded-for": "198.51.100.1" })).status).toBe(429);
    expect((await post({ "x-forwarded-for": "198.51.100.2" })).status).toBe(201);
  });

  it("with TRUST_PROXY=1, a forged earlier hop does not reset the budget", async () => {
    const post = await server(1);
    for (let i = 0; i < 3; i++) expect((await post({ "x-forwarded-for": `10.0.0.${i}, 192.0.2.9` })).status).toBe(201);
    expect((await post({ "x-forwarded-for": "10.9.9.9, 192.0.2.9" })).status).toBe(429);
  });

  it("with TRUST_PROXY=2, keys on the hop the outer proxy reported, not on the inner proxy", async () => {
    const post = await server(2);
    for (let i = 0; i < 3; i++) expect((await post({ "x-forwarded-for": `6.6.6.${i}, 198.51.100.7, 10.0.0.2` })).status).toBe(201);
    expect((await post({ "x-forwarded-for": "198.51.100.7, 10.0.0.2" })).status).toBe(429);
    expect((await post({ "x-forwarded-for": "198.51.100.8, 10.0.0.2" })).status).toBe(201);
  });
});
