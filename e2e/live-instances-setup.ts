/**
 * What e2e/live-instances.spec.ts runs besides the browser (its PostgreSQL comes from
 * lib/storage/__tests__/test-db.ts, as every test's does): real app servers (`node scripts/start.mjs`, as `npm start` runs them,
 * from the e2e build), and a balancer in front of them that sends each request to the first
 * server that accepts the connection, as a load balancer with health checks would. Not a test file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export interface Instance {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything it printed, for the failure message. */
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (what a process manager sends), and the exit it caused. */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the whole process group: cleanup after a failure. */
  kill(): void;
}

async function waitUntilServing(url: string, inst: { exitedYet: () => boolean; log: () => string }, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (inst.exitedYet()) throw new Error(`the server for ${url} exited while starting:\n${inst.log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`the server for ${url} did not answer within ${ms} ms:\n${inst.log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `npm start` without the build step (the e2e build is there), on PORT with DATABASE_URL. */
export async function startInstance(name: string, port: number, databaseUrl: string): Promise<Instance> {
  // Its own process group, so cleanup reaches start.mjs's serve.mjs child too.
  const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, SKIP_BUILD: "1", NODE_ENV: "production", PORT: String(port), HOSTNAME_BIND: "127.0.0.1", DATABASE_URL: databaseUrl },
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const inst: Instance = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    log: () => `--- ${name} (port ${port}) ---\n${out.slice(-6000)}`,
    exited,
    terminate: async () => {
      if (!done) child.kill("SIGTERM");
      return exited;
    },
    kill: () => {
      if (done || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
  try {
    await waitUntilServing(`${inst.url}/`, { exitedYet: () => done, log: inst.log }, 180_000);
  } catch (err) {
    inst.kill();
    throw err;
  }
  return inst;
}

export interface Balancer {
  url: string;
  /** How many requests each backend answered. */
  served: Map<string, number>;
  /** Every request a backend answered, with the Last-Event-ID it carried. */
  log: { backend: string; method: string; path: string; lastEventId: string | null }[];
  close(): Promise<void>;
}

/**
 * Forwards every request, Host header and all (so the app sees the balancer's origin, as
 * behind a real one), to the first backend in `order()` that accepts the connection. Streams
 * are piped both ways unbuffered; when a backend ends a stream, the client's ends too.
 */
export async function startBalancer(port: number, order: () => string[]): Promise<Balancer> {
  const served = new Map<string, number>();
  const log: Balancer["log"] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const tryNext = (backends: string[]) => {
        const [first, ...rest] = backends;
        if (!first) {
          res.writeHead(502, { "content-type": "text/plain" }).end("no backend accepted the connection");
          return;
        }
        const target = new URL(first);
        const up = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false },
          (upRes) => {
            served.set(first, (served.get(first) ?? 0) + 1);
            const lastEventId = req.headers["last-event-id"];
            log.push({ backend: first, method: req.method ?? "", path: req.url ?? "", lastEventId: typeof lastEventId === "string" ? lastEventId : null });
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.flushHeaders();
            upRes.pipe(res);
            upRes.on("aborted", () => res.destroy());
            upRes.on("error", () => res.destroy());
          },
        );
        let answered = false;
        up.on("response", () => (answered = true));
        up.on("error", (err: NodeJS.ErrnoException) => {
          if (!answered && err.code === "ECONNREFUSED") tryNext(rest);
          else res.destroy();
        });
        res.on("close", () => up.destroy());
        up.end(body);
      };
      tryNext(order());
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    log,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
