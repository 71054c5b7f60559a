/**
 * One data model, two providers: the generated schemas must match prisma/models.prisma, and
 * each provider's committed migrations must build exactly its schema (a model edited without
 * a migration for both databases fails here, not in production).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DONE, runPrisma } from "../../../prisma/cli.mjs";
import { postgresTestDatabase, repoRoot, sqliteTestDatabase, type TestDatabase } from "./test-db";

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const d of opened) await d.drop();
});

/** `prisma db push` on a freshly migrated database changes nothing iff migrations == schema. */
async function pushReport(url: string): Promise<string> {
  const r = await runPrisma(["db", "push", "--skip-generate"], { env: { DATABASE_URL: url }, doneWhen: DONE.push });
  return `${r.stdout}\n${r.stderr}`;
}

const migrationNames = (provider: string) =>
  fs
    .readdirSync(path.join(repoRoot, "prisma", provider, "migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

describe("prisma schemas and migrations", () => {
  it("generates both provider schemas from prisma/models.prisma", () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, "prisma/build-schemas.mjs"), "--check"], { cwd: repoRoot, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("has the same migrations, by name, for SQLite and PostgreSQL", () => {
    expect(migrationNames("sqlite").length).toBeGreaterThan(0);
    expect(migrationNames("postgres")).toEqual(migrationNames("sqlite"));
  });

  it("keeps a snapshot of the schema in every migration, the last one equal to the schema", () => {
    for (const p of ["sqlite", "postgres"]) {
      const names = migrationNames(p);
      for (const n of names) {
        expect(fs.existsSync(path.join(repoRoot, "prisma", p, "migrations", n, "migration.sql"))).toBe(true);
        expect(fs.existsSync(path.join(repoRoot, "prisma", p, "migrations", n, "schema.snapshot.prisma"))).toBe(true);
      }
      const last = fs.readFileSync(path.join(repoRoot, "prisma", p, "migrations", names[names.length - 1], "schema.snapshot.prisma"), "utf8");
      // A model edited without `npm run db:migration -- <name>` fails here.
      expect(last).toBe(fs.readFileSync(path.join(repoRoot, "prisma", p, "schema.prisma"), "utf8"));
    }
  });

  it("locks each migrations folder to its provider", () => {
    const lock = (p: string) => fs.readFileSync(path.join(repoRoot, "prisma", p, "migrations/migration_lock.toml"), "utf8");
    expect(lock("sqlite")).toMatch(/provider = "sqlite"/);
    expect(lock("postgres")).toMatch(/provider = "postgresql"/);
  });

  it("builds exactly the SQLite schema from the SQLite migrations", async () => {
    const d = sqliteTestDatabase();
    opened.push(d);
    expect(await pushReport(d.url)).toMatch(/already in sync/);
  });

  it("builds exactly the PostgreSQL schema from the PostgreSQL migrations", async (ctx) => {
    const d = await postgresTestDatabase();
    if (!d) return ctx.skip();
    opened.push(d);
    expect(await pushReport(d.url)).toMatch(/already in sync/);
  });
});
