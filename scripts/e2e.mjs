// `npm run test:e2e`: build once (assets, database client, Next build), then Playwright starts
// the servers it needs (see playwright.config.ts) from that build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium, missingLine } from "./provision.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (label, args) => {
  const r = spawnSync(args[0], args.slice(1), { cwd: root, stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`e2e: ${label} failed`);
    process.exit(r.status ?? 1);
  }
};
const chromium = findChromium();
if (!chromium) {
  console.error(process.env.CHROMIUM_PATH ? `e2e: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file` : missingLine(["chromium"]));
  process.exit(2);
}
// playwright.config.ts reads it: a Chromium found on PATH is used as if it had been named.
process.env.CHROMIUM_PATH = chromium;
run("preparing assets", [process.execPath, "scripts/prepare-assets.mjs"]);
if (fs.existsSync(path.join(root, "scripts/migrate.mjs"))) run("generating the database client", [process.execPath, "scripts/migrate.mjs", "--generate-only"]);
run("building", [process.execPath, "node_modules/next/dist/bin/next", "build"]);
run("playwright", [process.execPath, "node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)]);
