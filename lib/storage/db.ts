/**
 * THE only door to the database. SQLite (better-sqlite3) or PostgreSQL (pg) through Prisma's
 * driver adapters, chosen by DATABASE_URL; one client per process and URL.
 */
import "server-only";
import path from "node:path";
import { databaseKind, storageEnv, type DatabaseKind } from "@/lib/config/storage";
import type { PrismaClient } from "@/lib/generated/sqlite/client";

/**
 * Both generated clients come from the same models (prisma/models.prisma), so their model
 * APIs are the same; the storage code is typed against the SQLite one and the test suite
 * runs it against both databases.
 */
export type Db = PrismaClient;

const GLOBAL_KEY = Symbol.for("cwm-playground.storage.clients");
type ClientMap = Map<string, Promise<Db>>;
// On globalThis so Next's dev reloads do not open a new pool per edit.
const clients: ClientMap = ((globalThis as Record<symbol, unknown>)[GLOBAL_KEY] as ClientMap | undefined) ?? new Map();
(globalThis as Record<symbol, unknown>)[GLOBAL_KEY] = clients;

async function open(url: string): Promise<Db> {
  if (databaseKind(url) === "postgres") {
    // Imported lazily: a PostgreSQL deployment never loads the native SQLite module.
    const [{ PrismaClient: PgClient }, { PrismaPg }] = await Promise.all([
      import("@/lib/generated/postgres/client"),
      import("@prisma/adapter-pg"),
    ]);
    const client = new PgClient({ adapter: new PrismaPg({ connectionString: url }) });
    return client as unknown as Db;
  }
  const [{ PrismaClient: SqliteClient }, { PrismaBetterSQLite3 }] = await Promise.all([
    import("@/lib/generated/sqlite/client"),
    import("@prisma/adapter-better-sqlite3"),
  ]);
  // Relative to where the server runs (the project root under `npm start`); not a build-time path.
  const file = path.resolve(/*turbopackIgnore: true*/ process.cwd(), url.slice("file:".length));
  const client = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 5000 }) });
  // WAL lets readers (shared links) proceed while a run is being written.
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  return client;
}

/** The client for DATABASE_URL (default file:./data/playground.db). */
export function db(): Promise<Db> {
  const url = storageEnv().DATABASE_URL;
  let client = clients.get(url);
  if (!client) {
    client = open(url);
    clients.set(url, client);
    // A failed open (missing file permissions, server down) is retried on the next call.
    client.catch(() => clients.delete(url));
  }
  return client;
}

/** Prisma's error for an insert that hit a unique key (an id or join code taken, a row already there). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

/** Which database db()'s client talks to (raw SQL differs: placeholders, NOTIFY). */
export function dbKind(): DatabaseKind {
  return databaseKind(storageEnv().DATABASE_URL);
}

/** Closes every client (tests, graceful shutdown). */
export async function disconnectDb(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map(async (c) => (await c.catch(() => null))?.$disconnect()));
}
