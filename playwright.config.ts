import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Two app servers from one build: APP (a fake vLLM connected, replaying real CWM generations)
 * and BARE (nothing configured: baseline only). Chromium is Debian's, driven by playwright-core.
 */
export const PORTS = { app: 3100, bare: 3101, fakeVllm: 3199 } as const;
const shared = process.env.CWM_SHARED_DATA ?? path.resolve(here, "../shared/data");
const tmp = process.env.E2E_TMP ?? path.join(os.tmpdir(), `cwm-e2e-${process.pid}`);

const common = { SKIP_BUILD: "1", NODE_ENV: "production" };

export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "reports/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORTS.app}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      command: `npx tsx test/fakes/vllm.ts --port ${PORTS.fakeVllm} --replay ${path.join(shared, "cwm-recorded/cruxeval-800.jsonl")} --model facebook/cwm --rate 300`,
      url: `http://127.0.0.1:${PORTS.fakeVllm}/v1/models`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: "node scripts/start.mjs",
      url: `http://127.0.0.1:${PORTS.app}/`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        ...common,
        PORT: String(PORTS.app),
        DATABASE_URL: `file:${tmp}/app.db`,
        CWM_VLLM_URL: `http://127.0.0.1:${PORTS.fakeVllm}`,
      },
    },
    {
      command: "node scripts/start.mjs",
      url: `http://127.0.0.1:${PORTS.bare}/`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: { ...common, PORT: String(PORTS.bare), DATABASE_URL: `file:${tmp}/bare.db` },
    },
  ],
});
