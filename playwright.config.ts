import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";
import { SHARED_DATA, SHARED_DATA_MISSING, sharedDataPresent } from "./scripts/needs-shared-data.mjs";

/**
 * Two app servers from one build: APP (a fake vLLM connected, replaying real CWM generations, and
 * a fake chat model) and BARE (nothing configured: baseline only). Chromium is Debian's, driven by playwright-core.
 */
export const PORTS = { app: 3100, bare: 3101, fakeVllm: 3199, fakeChat: 3198 } as const;
/** The fake chat-completions server's model: a perfect chat model (our tracer's trace of any program). */
export const FAKE_CHAT = { name: "fake", model: "qwen2.5-coder:7b", server: "fake chat server" } as const;
// The fake vLLM replays real CWM generations from the shared data; without it the fake answers
// every prompt with its one built-in generation and the specs that need a recorded sample skip
// (e2e/data.ts) with one line saying where the data was looked for.
// Our own generations for the gallery examples the debugger specs use (e2e/fixtures/make-examples-replay.ts) are always there.
const replayFiles = [
  ...(sharedDataPresent ? [path.join(SHARED_DATA, "cwm-recorded/cruxeval-800.jsonl")] : []),
  path.join(import.meta.dirname, "e2e/fixtures/examples-replay.jsonl"),
];
const replay = `--replay ${replayFiles.join(",")}`;
if (!sharedDataPresent && process.env.TEST_WORKER_INDEX === undefined)
  console.log(`e2e: the fake vLLM has no replay and recorded-sample tests skip: ${SHARED_DATA_MISSING}`);
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
      command: `npx tsx test/fakes/vllm.ts --port ${PORTS.fakeVllm} ${replay} --model facebook/cwm --rate 300`,
      url: `http://127.0.0.1:${PORTS.fakeVllm}/v1/models`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx tsx test/fakes/chat.ts --port ${PORTS.fakeChat} --model ${FAKE_CHAT.model}`,
      url: `http://127.0.0.1:${PORTS.fakeChat}/v1/models`,
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
        // Only the APP server has a chat model: the BARE one stays baseline-only.
        CHAT_MODELS: `${FAKE_CHAT.name}|http://127.0.0.1:${PORTS.fakeChat}|${FAKE_CHAT.model}|${FAKE_CHAT.server}`,
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
