/** Runs `cwm <args>` as a child process, as a person would (`npm run cwm -- …` runs the same). */
import { spawn } from "node:child_process";
import path from "node:path";

export const REPO = path.resolve(__dirname, "../..");
const TSX = path.join(REPO, "node_modules/.bin/tsx");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(REPO, "cli/main.ts"), ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
