/**
 * The API routes on a real HTTP server over a throwaway SQLite database, for one test file:
 * registers its own beforeAll/afterAll, and restores the environment it changed.
 */
import { afterAll, beforeAll } from "vitest";
import { disconnectDb } from "@/lib/storage/db";
import { sqliteTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";
import { serveRoutes, type Routes } from "./http-harness";

export function apiOnTestDatabase(routes: Routes, env: Record<string, string> = {}): { readonly url: string } {
  // The rate limit has its own tests; elsewhere it would only get in the way.
  const settings: Record<string, string> = { RUNS_RATE_LIMIT: "0", ...env };
  const saved: Record<string, string | undefined> = { DATABASE_URL: process.env.DATABASE_URL };
  for (const k of Object.keys(settings)) saved[k] = process.env[k];
  let database: TestDatabase;
  let served: { url: string; close: () => Promise<void> } | null = null;

  beforeAll(async () => {
    database = sqliteTestDatabase();
    process.env.DATABASE_URL = database.url;
    Object.assign(process.env, settings);
    served = await serveRoutes(routes);
  });

  afterAll(async () => {
    await served?.close();
    await disconnectDb();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await database.drop();
  });

  return {
    get url() {
      if (!served) throw new Error("the API server starts in beforeAll");
      return served.url;
    },
  };
}
