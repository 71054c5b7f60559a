/**
 * An app instance serving /api/live in a process of its own (test/servers/live-routes.ts) on
 * a given database: killed and started again by the restart test, run twice by the
 * instances test. Not a test file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface Instance {
  url: string;
  child: ChildProcess;
  /** SIGKILL: a crash, nothing flushed or closed politely. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "..");

/** The live routes on `databaseUrl`; `nodeArgs` go to node first (the bench's --cpu-prof). */
export function startInstance(databaseUrl: string, nodeArgs: string[] = []): Promise<Instance> {
  return spawnListening([...nodeArgs, "--conditions=react-server", "--import", "tsx", "test/servers/live-routes.ts"], {
    DATABASE_URL: databaseUrl,
    RUNS_RATE_LIMIT: "0",
    NODE_ENV: "production",
  });
}

/** A node process (these args, the environment plus `env`) that prints `listening <url>` once it serves. */
export async function spawnListening(args: string[], env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the server process exited with ${code}`)));
  });
  const end = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { url, child, crash: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}
