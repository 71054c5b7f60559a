// Writes a new migration for BOTH providers after an edit of prisma/models.prisma:
//   npm run db:migration -- add_something
// Prisma 6.19's `migrate dev` needs a shadow database, which its wasm engine cannot make
// here through either driver adapter. Each migration folder therefore keeps a snapshot of
// the schema it leads to (schema.snapshot.prisma), and the new migration is the diff from
// the last snapshot to the current schema. lib/storage/__tests__/schema-sync.test.ts checks
// that the migrations build exactly the schema on real databases.
// The diff needs a reachable database of each kind: a temp SQLite file, and DATABASE_URL or
// TEST_POSTGRES_URL when it is PostgreSQL, else a throwaway cluster from scripts/pg-test.sh.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runPrisma, root } from "./cli.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const SNAPSHOT = "schema.snapshot.prisma";

function lastSnapshot(provider) {
  const dir = path.join(here, provider, "migrations");
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, "migration.sql"))).sort() : [];
  if (!names.length) return null;
  const snap = path.join(dir, names[names.length - 1], SNAPSHOT);
  if (!fs.existsSync(snap)) throw new Error(`${path.relative(root, snap)} is missing: cannot tell what the last migration built`);
  return snap;
}

function postgresUrl() {
  for (const u of [process.env.DATABASE_URL, process.env.TEST_POSTGRES_URL]) if (u && /^postgres(ql)?:\/\//.test(u)) return { url: u, stop: () => {} };
  const r = spawnSync("bash", [path.join(root, "scripts/pg-test.sh")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`no PostgreSQL to diff against (set TEST_POSTGRES_URL): ${r.stderr.trim()}`);
  const vars = Object.fromEntries(r.stdout.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  return { url: vars.DATABASE_URL, stop: () => spawnSync("bash", [path.join(root, "scripts/pg-test.sh"), "stop", vars.PGTEST_DIR]) };
}

async function diff(provider, url) {
  const from = lastSnapshot(provider);
  const schema = path.join(here, provider, "schema.prisma");
  const args = ["migrate", "diff", ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", schema, "--script"];
  const r = await runPrisma(args, { env: { DATABASE_URL: url } });
  if (r.code !== 0) throw new Error(`prisma ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.replace(/^Loaded Prisma config.*\n+/m, "");
}

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name in snake_case>");
  process.exit(2);
}
const check = spawnSync(process.execPath, [path.join(here, "build-schemas.mjs")], { stdio: "inherit" });
if (check.status !== 0) process.exit(1);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-newmig-"));
const pg = postgresUrl();
try {
  const sql = {
    sqlite: await diff("sqlite", `file:${path.join(tmp, "diff.db")}`),
    postgres: await diff("postgres", pg.url),
  };
  if (Object.values(sql).every((s) => /This is an empty migration/.test(s) || s.trim() === "")) {
    console.log("no change to migrate");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    for (const [provider, text] of Object.entries(sql)) {
      const dir = path.join(here, provider, "migrations", `${stamp}_${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), text);
      fs.copyFileSync(path.join(here, provider, "schema.prisma"), path.join(dir, SNAPSHOT));
      console.log(`wrote ${path.relative(root, dir)}`);
    }
  }
} finally {
  pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
