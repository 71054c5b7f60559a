// Creates and migrates the database with no step by hand (run by `npm start` before the
// server, and by the test setup with --generate-only).
//   1. generates both Prisma clients into lib/generated/{sqlite,postgres} when missing or
//      older than their schema (offline: the `prisma-client` generator with engineType
//      "client" needs no native engine);
//   2. creates the SQLite file's folder (default file:./data/playground.db);
//   3. `prisma migrate deploy` on the provider chosen by DATABASE_URL (prisma.config.ts).
// Several app servers may run this at once on one PostgreSQL: migrate deploy takes an
// advisory lock, so the migrations are applied once.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DONE, root, runPrisma } from "../prisma/cli.mjs";

const PROVIDERS = ["sqlite", "postgres"];

async function prisma(args, opts = {}) {
  const r = await runPrisma(args, opts);
  if (r.code !== 0) {
    process.stderr.write(r.stdout);
    process.stderr.write(r.stderr);
    throw new Error(`prisma ${args.join(" ")} failed (exit ${r.code})`);
  }
  return r.stdout;
}

const LOCK = path.join(root, "lib/generated/.generate.lock");
const STALE_LOCK_MS = 120_000;

/** Parallel test workers of a fresh clone all want the clients: one generates, the rest wait. */
async function withGenerateLock(fn) {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

function isFresh(p) {
  const schema = path.join(root, "prisma", p, "schema.prisma");
  const marker = path.join(root, "lib/generated", p, "client.ts");
  return fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(schema).mtimeMs;
}

export async function generateClients({ force = false } = {}) {
  if (!force && !fs.existsSync(LOCK) && PROVIDERS.every(isFresh)) return;
  await withGenerateLock(async () => {
    for (const p of PROVIDERS) {
      // Checked again under the lock: another process may have just generated it.
      if (isFresh(p) && !force) continue;
      await prisma(["generate", "--schema", path.join(root, "prisma", p, "schema.prisma")]);
      console.log(`generated lib/generated/${p}`);
    }
  });
}

export function databaseUrl() {
  return process.env.DATABASE_URL || "file:./data/playground.db";
}

export async function migrate(url = databaseUrl()) {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be file:… or postgres(ql)://…, got ${JSON.stringify(url)}`);
    fs.mkdirSync(path.dirname(path.resolve(root, url.slice("file:".length))), { recursive: true });
  }
  await prisma(["migrate", "deploy"], { env: { DATABASE_URL: url }, doneWhen: DONE.deploy });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await generateClients({ force: process.argv.includes("--force") });
    if (!process.argv.includes("--generate-only")) {
      await migrate();
      console.log(`database ready: ${databaseUrl().replace(/\/\/[^@/]*@/, "//***@")}`);
    }
  } catch (err) {
    console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
