/**
 * Real databases for tests: a migrated SQLite file in a temp dir, and a fresh database on a
 * real PostgreSQL (TEST_POSTGRES_URL, else a throwaway cluster from scripts/pg-test.sh).
 * Other helpers' tests may use these too (they are not test files themselves).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function node(args: string[], env: Record<string, string>): void {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

/** Generates lib/generated/* when missing (a fresh clone's first test run). */
export function ensurePrismaClients(): void {
  node([path.join(repoRoot, "scripts/migrate.mjs"), "--generate-only"], {});
}

/** Applies the committed migrations with the same script `npm start` runs. */
export function migrate(url: string): void {
  node([path.join(repoRoot, "scripts/migrate.mjs")], { DATABASE_URL: url });
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export function sqliteTestDatabase(): TestDatabase {
  ensurePrismaClients();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-sqlite-"));
  const url = `file:${path.join(dir, "test.db")}`;
  migrate(url);
  return { url, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

interface PgServer {
  url: string;
  stop(): void;
}

let server: PgServer | null | undefined;

/** A PostgreSQL server for this test file, or null (loudly) when none can exist here. */
function pgServer(): PgServer | null {
  if (server !== undefined) return server;
  const given = process.env.TEST_POSTGRES_URL;
  if (given) return (server = { url: given, stop: () => {} });
  const r = spawnSync("bash", [path.join(repoRoot, "scripts/pg-test.sh")], { encoding: "utf8" });
  if (r.status === 3) {
    console.warn(`\n*** PostgreSQL tests SKIPPED: ${r.stderr.trim()} — set TEST_POSTGRES_URL or install postgresql ***\n`);
    return (server = null);
  }
  if (r.status !== 0) throw new Error(`scripts/pg-test.sh failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const vars = Object.fromEntries(
    r.stdout
      .split("\n")
      .map((l) => l.match(/^([A-Z_]+)=(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  if (!vars.DATABASE_URL || !vars.PGTEST_DIR) throw new Error(`scripts/pg-test.sh printed no DATABASE_URL:\n${r.stdout}`);
  const dir = vars.PGTEST_DIR;
  return (server = {
    url: vars.DATABASE_URL,
    stop: () => void spawnSync("bash", [path.join(repoRoot, "scripts/pg-test.sh"), "stop", dir]),
  });
}

/**
 * A new database on the test server, migrated unless `migrated` is false (e2e servers that
 * migrate it themselves, as `npm start` does); drop() removes it (and a server we started).
 * The one way tests and e2e get a PostgreSQL.
 */
export async function postgresTestDatabase({ migrated = true }: { migrated?: boolean } = {}): Promise<TestDatabase | null> {
  const srv = pgServer();
  if (!srv) return null;
  ensurePrismaClients();
  const name = `cwm_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: srv.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(srv.url);
  u.pathname = `/${name}`;
  const url = u.toString();
  if (migrated) migrate(url);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: srv.url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
      srv.stop();
      server = undefined;
    },
  };
}
