// `npm run test:e2e`: build once (assets, database client, Next build), then Playwright starts
// the servers it needs (see playwright.config.ts) from that build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (label, args) => {
  const r = spawnSync(args[0], args.slice(1), { cwd: root, stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`e2e: ${label} failed`);
    process.exit(r.status ?? 1);
  }
};
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  console.error(`e2e: no Chromium at ${chromium}. Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  process.exit(2);
}
run("preparing assets", [process.execPath, "scripts/prepare-assets.mjs"]);
if (fs.existsSync(path.join(root, "scripts/migrate.mjs"))) run("generating the database client", [process.execPath, "scripts/migrate.mjs", "--generate-only"]);
run("building", [process.execPath, "node_modules/next/dist/bin/next", "build"]);
run("playwright", [process.execPath, "node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)]);
