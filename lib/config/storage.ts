/**
 * Storage configuration from the environment. A bad value fails with a message naming the
 * variable instead of failing on the first request.
 */
import { z } from "zod";
import { zodMessage } from "@/lib/http/errors";

const unsetIfEmpty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const DEFAULT_DATABASE_URL = "file:./data/playground.db";

export const StorageEnv = z.object({
  /** file:PATH (SQLite, relative to the working directory) or postgres(ql)://… */
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .trim()
      .refine((u) => /^file:.+/.test(u) || /^postgres(ql)?:\/\/.+/.test(u), "must be file:PATH or postgres(ql)://…")
      .default(DEFAULT_DATABASE_URL),
  ),
  /** POST /api/runs per client per minute; 0 turns the limit off. */
  RUNS_RATE_LIMIT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(1_000_000).default(30)),
  /** Greedy predictions kept in the database's prediction cache; the oldest go first. 0 = none kept. */
  PREDICTION_CACHE_MAX_ENTRIES: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(10_000_000).default(5000)),
});
export type StorageEnv = z.infer<typeof StorageEnv>;

export type DatabaseKind = "sqlite" | "postgres";

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

/** Read on each call (cheap) so tests and tools can point the process at another database. */
export function storageEnv(env: Record<string, string | undefined> = process.env): StorageEnv {
  const r = StorageEnv.safeParse({
    DATABASE_URL: env.DATABASE_URL,
    RUNS_RATE_LIMIT: env.RUNS_RATE_LIMIT,
    PREDICTION_CACHE_MAX_ENTRIES: env.PREDICTION_CACHE_MAX_ENTRIES,
  });
  if (!r.success) {
    const msg = zodMessage(r.error, "settings");
    // A plain Error: the route answers "Internal error" and the log names the variable.
    throw new Error(`storage configuration: ${msg}`);
  }
  return r.data;
}
