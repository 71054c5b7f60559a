// `npm start`: everything a fresh clone needs, then the production server.
// 1. assets (Pyodide, Monaco, executor worker) into public/;
// 2. the database created and migrated (SQLite file by default);
// 3. `next build` when the build is missing or older than the sources;
// 4. the server (scripts/serve.mjs: Next behind a cache of shared-run pages) on PORT (default 3000).
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

function step(label, cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`npm start: ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

step("preparing assets", process.execPath, [path.join(root, "scripts/prepare-assets.mjs")]);
if (fs.existsSync(path.join(root, "scripts/migrate.mjs"))) {
  step("migrating the database", process.execPath, [path.join(root, "scripts/migrate.mjs")]);
}

const buildId = path.join(root, ".next/BUILD_ID");
const sources = ["app", "components", "lib", "prisma"].map((d) => newestMtime(path.join(root, d)));
const configs = ["next.config.ts", "package.json", "postcss.config.mjs"].map((f) =>
  fs.existsSync(path.join(root, f)) ? fs.statSync(path.join(root, f)).mtimeMs : 0,
);
const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
if (process.env.SKIP_BUILD !== "1" && Math.max(...sources, ...configs) > builtAt) {
  step("building", process.execPath, [nextBin, "build"]);
}

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs")], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
