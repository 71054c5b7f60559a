// Runs the Prisma CLI (node_modules/prisma) as a child process. With the PostgreSQL adapter,
// Prisma 6.19's wasm schema engine leaves guard timers of 10–60 s behind after its work is
// done, and the CLI waits them out before exiting. When the CLI has printed the line that
// reports success, nothing is left to do: it is stopped after a short grace period.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "node_modules/prisma/build/index.js");
const GRACE_MS = 1500;

/** Lines the CLI prints once a command has fully succeeded. */
export const DONE = {
  deploy: /All migrations have been successfully applied|No pending migrations to apply/,
  push: /already in sync with the Prisma schema|Your database is now in sync/,
};

/**
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, doneWhen?: RegExp }} [opts]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runPrisma(args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let succeeded = false;
    let timer;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!succeeded && opts.doneWhen?.test(stdout)) {
        succeeded = true;
        timer = setTimeout(() => child.kill("SIGTERM"), GRACE_MS);
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: succeeded ? 0 : (code ?? 1), stdout, stderr });
    });
  });
}
