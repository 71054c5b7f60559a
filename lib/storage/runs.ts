/**
 * Saved runs: created once, never changed (a shared link always shows what was shared).
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import { type TraceMetrics } from "@/lib/compare/metrics";
import { runModeOf, type CanonicalTrace, type PredictedTrace } from "@/lib/trace/schema";
import { db, isUniqueViolation } from "./db";
import { type Provenance, RunId, StoredRun } from "./schema";
import { zodMessage } from "@/lib/http/errors";

export interface NewRun {
  code: string;
  call?: string | null;
  title?: string | null;
  actual: CanonicalTrace;
  predictions?: PredictedTrace[];
  /** One per prediction; a missing one is stored as "uploaded". */
  provenance?: Provenance[];
  metrics?: TraceMetrics | null;
}

/** 12 random bytes → 16 base64url characters: 96 bits, unguessable, URL-safe. */
export function newRunId(): string {
  return randomBytes(12).toString("base64url");
}

export function runUrl(id: string): string {
  return `/r/${id}`;
}

const ID_ATTEMPTS = 3;

/** `fixedId` (the built-in lessons' runs): one insert, and a taken id is the caller's unique violation. */
export async function createRun(run: NewRun, fixedId?: string): Promise<{ id: string; url: string }> {
  const client = await db();
  const call = run.call && run.call.trim() !== "" ? run.call : null;
  const title = run.title && run.title.trim() !== "" ? run.title.trim() : null;
  const predictions = (run.predictions ?? []).map((p, position) => {
    const { cached: _cached, ...trace } = p;
    return { position, trace: JSON.stringify(trace), provenance: run.provenance?.[position] ?? "uploaded" };
  });
  // A collision of 96 random bits will not happen; retrying costs nothing if it ever does.
  for (let attempt = 1; ; attempt++) {
    const id = fixedId ?? newRunId();
    try {
      await client.run.create({
        data: {
          id,
          title,
          code: run.code,
          call,
          mode: runModeOf(call),
          executor: run.actual.executor ?? null,
          actual: JSON.stringify(run.actual),
          metrics: run.metrics ? JSON.stringify(run.metrics) : null,
          predictions: { create: predictions },
        },
      });
      return { id, url: runUrl(id) };
    } catch (err) {
      if (!isUniqueViolation(err) || fixedId !== undefined || attempt >= ID_ATTEMPTS) throw err;
    }
  }
}

/** Parsed runs by id, up to 64 MiB of their JSON text; least recently read go first. */
const RECENT_BYTES = 64 * 1024 * 1024;
const recent = new LRUCache<string, StoredRun>({ maxSize: RECENT_BYTES });

/**
 * The run, or null for an unknown or malformed id. Runs never change, so parsed runs are
 * kept in memory (bounded by size): a link shared with a class is read from the database and
 * validated once per server, not once per visitor. The object is shared: never mutate it.
 */
export async function getRun(id: string): Promise<StoredRun | null> {
  if (!RunId.safeParse(id).success) return null;
  const hit = recent.get(id);
  if (hit) return hit;
  // A class opening a fresh link at once makes one query, not thirty.
  let pending = loading.get(id);
  if (!pending) {
    pending = loadRun(id).finally(() => loading.delete(id));
    loading.set(id, pending);
  }
  return pending;
}

const loading = new Map<string, Promise<StoredRun | null>>();

async function loadRun(id: string): Promise<StoredRun | null> {
  const client = await db();
  const row = await client.run.findUnique({ where: { id }, include: { predictions: { orderBy: { position: "asc" } } } });
  if (!row) return null;
  // Stored JSON is a boundary too: a row written by an older version fails loudly here, as
  // a server error (not a 4xx: the client did nothing wrong), not somewhere in the page.
  const parsed = StoredRun.safeParse({
    id: row.id,
    url: runUrl(row.id),
    createdAt: row.createdAt.toISOString(),
    title: row.title,
    code: row.code,
    call: row.call,
    mode: row.mode,
    executor: row.executor,
    actual: parseJson(row.actual),
    predictions: row.predictions.map((p) => parseJson(p.trace)),
    // Rows saved before provenance was recorded cannot show they came from this server.
    provenance: row.predictions.length === 0 ? null : (row.predictions[0].provenance === "server" ? "server" : "uploaded"),
    metrics: row.metrics === null ? null : parseJson(row.metrics),
  });
  if (!parsed.success) throw new Error(`stored run ${id} is unreadable: ${zodMessage(parsed.error, "run")}`);
  const run = parsed.data;
  const size = row.actual.length + row.code.length + row.predictions.reduce((n, p) => n + p.trace.length, 0);
  // Runs larger than the whole cache are served but not kept.
  if (size <= RECENT_BYTES) recent.set(id, run, { size: Math.max(1, size) });
  return run;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** How many runs are stored (tests, operators). */
export async function countRuns(): Promise<number> {
  return (await db()).run.count();
}
