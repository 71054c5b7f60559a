// The PostgreSQL adapter for the Prisma CLI (migrate deploy/diff/dev). Prisma 6.19's wasm
// schema engine reads the catalog through @prisma/adapter-pg, which rejects columns of
// PostgreSQL's catalog types `name` and `"char"` ("Column type 'name' could not be
// deserialized", prisma/orm#27403), so every migrate command fails. Both are plain text on
// the wire: this client reports them as `text` to the adapter. Only the CLI uses it; the
// app's own tables have no such columns.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

// Catalog-only types the adapter does not know: `"char"` (pg_class.relkind, ...) and `name`.
const PG_CATALOG_TEXT_OIDS = new Set([18, 19]);
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function nameAsText<T>(result: T): T {
  const fields = (result as QueryResultLike | undefined)?.fields;
  if (fields) for (const f of fields) if (PG_CATALOG_TEXT_OIDS.has(f.dataTypeID)) f.dataTypeID = PG_TEXT_OID;
  return result;
}

type Socket = { ref(): void; unref(): void };

class NameAsTextClient extends pg.Client {
  private inFlight = 0;

  /**
   * The CLI never closes the adapter's connections, so an open socket kept it running for a
   * minute after its work was done. The socket holds the process only while a query runs.
   */
  private socket(): Socket | undefined {
    return (this as unknown as { connection?: { stream?: Partial<Socket> } }).connection?.stream as Socket | undefined;
  }

  private settle(): void {
    if (--this.inFlight === 0) this.socket()?.unref?.();
  }

  // pg's query() has a dozen overloads (callback, promise, submittable); wrap them all.
  query(...args: unknown[]): never {
    this.inFlight++;
    this.socket()?.ref?.();
    const last = args[args.length - 1];
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        this.settle();
      }
    };
    if (typeof last === "function") {
      const cb = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) => {
        done();
        cb(err, err ? res : nameAsText(res));
      };
    }
    let out: unknown;
    try {
      out = (super.query as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      done();
      throw err;
    }
    if (out && typeof (out as Promise<unknown>).then === "function") {
      return (out as Promise<unknown>).then(
        (r) => (done(), nameAsText(r)),
        (e) => {
          done();
          throw e;
        },
      ) as never;
    }
    if (typeof last !== "function") done();
    return out as never;
  }
}

/**
 * Connection fields rather than a connection string: migrate's shadow database is made by
 * overriding `database`, which a connection string would silently win over.
 */
function poolConfig(connectionString: string): pg.PoolConfig {
  const u = new URL(connectionString);
  const sslmode = u.searchParams.get("sslmode");
  return {
    host: decodeURIComponent(u.hostname) || u.searchParams.get("host") || undefined,
    port: u.port ? Number(u.port) : undefined,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined,
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
    // The CLI does not always close the adapter: idle connections must not keep it running.
    allowExitOnIdle: true,
  };
}

export function cliPostgresAdapter(connectionString: string): PrismaPg {
  return new PrismaPg({ ...poolConfig(connectionString), Client: NameAsTextClient });
}
