import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDataset, type BenchProgram } from "@/lib/compare/dataset";
import { BenchResult } from "@/lib/compare/summary";
import { createNodeTracer } from "@/lib/executor/node";
import { PredictedTrace } from "@/lib/trace/schema";
import { chatScript, startFakeChat, type ChatFakeMode, type FakeChat } from "@/test/fakes/chat";
import { SHARED_DATA } from "@/test/shared-data";
import { runCli } from "./run-cli";

const CRUX = path.join(SHARED_DATA, "cruxeval/cruxeval.jsonl");
// A spread of CRUXEval programs: loops, string methods, a comprehension, dict and list updates.
const IDS = ["sample_0", "sample_4", "sample_19", "sample_25", "sample_61", "sample_100"];
const RATES = ["output_correct", "valid_format", "state_exact", "action_exact", "valid_json", "key_match", "key_value_match"] as const;

function hasPython(): boolean {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const ready = existsSync(CRUX) && hasPython();
let dir: string;
let dataset: string;
let programs: BenchProgram[];
let script: Map<string, string>;

beforeAll(async () => {
  if (!ready) return;
  dir = await mkdtemp(path.join(os.tmpdir(), "cwm-chat-cli-"));
  const lines = new Map((await readFile(CRUX, "utf8")).split("\n").filter(Boolean).map((l) => [JSON.parse(l).id as string, l]));
  const text = IDS.map((id) => lines.get(id)!).join("\n");
  dataset = path.join(dir, "few.jsonl");
  await writeFile(dataset, text);
  programs = parseDataset(text).programs;
  // The chat server streams the real traces: what bench executes with the same interpreter.
  const tracer = await createNodeTracer({ python: "python3" });
  try {
    const traced = [];
    for (const p of programs) traced.push({ code: p.code, call: p.call, frames: (await tracer.trace({ code: p.code, call: p.call })).frames });
    script = chatScript(traced);
  } finally {
    await tracer.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function lastJson(stdout: string): unknown {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

function checkProtocol(fake: FakeChat, model: string, key: string | null): void {
  const posts = fake.requests.filter((r) => r.path === "/v1/chat/completions");
  expect(posts).toHaveLength(IDS.length);
  const seen = new Set<string>();
  for (const r of posts) {
    expect(r.method).toBe("POST");
    expect(r.headers.authorization ?? null).toBe(key === null ? null : `Bearer ${key}`);
    const body = r.body as { model: string; stream: boolean; temperature: number; max_tokens: number; messages: Array<{ role: string; content: string }> };
    expect(body).toMatchObject({ model, stream: true, temperature: 0, max_tokens: expect.any(Number) });
    expect(body.messages[0].role).toBe("system");
    expect(body.messages.at(-1)!.role).toBe("user");
    seen.add(body.messages.at(-1)!.content);
  }
  // One request per program, each asking for its own program.
  for (const p of script.keys()) expect([...seen].some((c) => c.includes(p))).toBe(true);
}

describe.skipIf(!ready)("cwm bench and predict with a chat model (fake chat server streaming real traces)", () => {
  it.each(["plain", "fence", "fence-json"] as ChatFakeMode[])(
    "bench --predictors chat:NAME,baseline: every metric at 100 percent when the answers are the real traces, %s",
    async (mode) => {
      const fake = await startFakeChat({ script, mode, model: "qwen2.5-coder:7b", apiKey: "sk-bench", seed: mode.length });
      try {
        const report = path.join(dir, `board-${mode}.html`);
        const out = path.join(dir, `board-${mode}.jsonl`);
        const r = await runCli(["bench", "--dataset", dataset, "--predictors", "chat:qwen,baseline", "--python", "python3", "--json", "--report", report, "--out", out, "--concurrency", "2"], {
          env: { CHAT_MODELS: `qwen|${fake.url}|qwen2.5-coder:7b|Fake Ollama`, CHAT_API_KEY_QWEN: "sk-bench" },
        });
        expect(r.stderr).toContain(`bench ${IDS.length}/${IDS.length}`);
        expect(r.code).toBe(0);
        const board = lastJson(r.stdout) as { programs: number; predictors: Array<Record<string, number | string>> };
        expect(board.programs).toBe(IDS.length);
        expect(board.predictors.map((p) => p.id)).toEqual(["chat:qwen", "baseline-syntax"]);
        const chat = board.predictors[0];
        expect(chat.label).toBe("qwen2.5-coder:7b via Fake Ollama");
        expect(chat.programs).toBe(IDS.length);
        for (const k of RATES) expect(chat[k], k).toBe(1);
        // The table for people: a row per predictor, the floor marked, Table 9 beside them.
        expect(r.stdout).toMatch(/qwen2\.5-coder:7b via Fake Ollama\s+100\.00\s+100\.00\s+100\.00\s+100\.00\s+100\.00\s+100\.00\s+100\.00/);
        expect(r.stdout).toContain("Syntax-only baseline (not a model) [floor]");
        expect(r.stdout).toMatch(/CWM report, CruxEval \(Table 9, not run here\)\s+88\.0\s+99\.6/);
        checkProtocol(fake, "qwen2.5-coder:7b", "sk-bench");
        const lines = (await readFile(out, "utf8")).trim().split("\n").map((l) => BenchResult.parse(JSON.parse(l)));
        expect(lines).toHaveLength(IDS.length * 2);
        expect(lines.filter((l) => l.predictor === "chat:qwen").every((l) => l.metrics!.first_divergence === null)).toBe(true);
        const html = await readFile(report, "utf8");
        expect(html).toContain("qwen2.5-coder:7b via Fake Ollama");
        expect(html).toContain("CWM report, CruxEval (Table 9)");
        expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(RATES.length);
        expect(html).not.toMatch(/<script/i);
      } finally {
        await fake.close();
      }
    },
  );

  it("scores below 100% when the server cuts answers by length, and says why per program", async () => {
    const fake = await startFakeChat({ script, mode: "length" });
    try {
      const r = await runCli(["bench", "--dataset", dataset, "--backend", "chat", "--url", fake.url, "--model", "qwen2.5-coder:7b", "--python", "python3", "--json"]);
      expect(r.code).toBe(0);
      const s = lastJson(r.stdout) as Record<string, number>;
      expect(s.programs).toBe(IDS.length);
      expect(s.valid_format).toBe(0);
      expect(s.output_correct).toBe(0);
      expect(s.action_exact).toBeLessThan(1);
      checkProtocol(fake, "qwen2.5-coder:7b", null);
    } finally {
      await fake.close();
    }
  });

  it("bench --backend chat with --url/--model scores a model that is not configured", async () => {
    const fake = await startFakeChat({ script, mode: "fence", apiKey: "k" });
    try {
      const r = await runCli(["bench", "--dataset", dataset, "--backend", "chat", "--url", fake.url, "--model", "qwen2.5-coder:7b", "--api-key", "k", "--server", "LM", "--python", "python3", "--json"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("predictions from qwen2.5-coder:7b via LM");
      const s = lastJson(r.stdout) as Record<string, number>;
      for (const k of RATES) expect(s[k], k).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it("predict --backend chat prints the predicted trace", async () => {
    const fake = await startFakeChat({ script, mode: "fence-json" });
    try {
      const p = programs[0];
      const file = path.join(dir, "p.py");
      await writeFile(file, p.code);
      const r = await runCli(["predict", file, "--call", p.call, "--backend", "chat", "--url", fake.url, "--model", "qwen2.5-coder:7b"]);
      expect(r.code).toBe(0);
      const t = PredictedTrace.parse(JSON.parse(r.stdout));
      expect(t).toMatchObject({ status: "returned", finish: "eos", valid_format: true, predictor: { id: "chat", label: `qwen2.5-coder:7b via 127.0.0.1:${new URL(fake.url).port}` } });
      expect(t.frames[0]).toMatchObject({ event: "call", source: "def main():" });
    } finally {
      await fake.close();
    }
  });
});

describe("chat arguments of the CLI", () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(await mkdtemp(path.join(os.tmpdir(), "cwm-chat-args-")), "x.py");
    await writeFile(file, "x = 1\n");
  });
  afterAll(async () => {
    if (file) await rm(path.dirname(file), { recursive: true, force: true });
  });

  it("predict --backend chat needs --url and --model (exit 2)", async () => {
    const r = await runCli(["predict", file, "--backend", "chat", "--url", "http://127.0.0.1:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--backend chat needs --url (the server's base URL) and --model");
  });

  it("predict --backend chat:NAME names the configured models when NAME is not one", async () => {
    const r = await runCli(["predict", file, "--backend", "chat:nope"], { env: { CHAT_MODELS: "qwen|http://127.0.0.1:1|m" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no chat model "nope" in CHAT_MODELS (configured: qwen)');
  });

  it("bench refuses --predictors with --backend, a duplicate, and an unknown name", async () => {
    const both = await runCli(["bench", "--dataset", "d.jsonl", "--predictors", "baseline", "--backend", "baseline"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give --predictors or --backend, not both");
    const dup = await runCli(["bench", "--dataset", "d.jsonl", "--predictors", "chat:a,chat:a"]);
    expect(dup.stderr).toContain('--predictors lists "chat:a" twice');
    const bad = await runCli(["bench", "--dataset", "d.jsonl", "--predictors", "gpt4"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('chat:NAME, got "gpt4"');
  });

  it.skipIf(!existsSync(CRUX))("bench chat:NAME that is not configured says how to configure it (exit 2)", async () => {
    const r = await runCli(["bench", "--dataset", CRUX, "--limit", "1", "--predictors", "chat:qwen"], { env: { CHAT_MODELS: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no chat model "qwen" in CHAT_MODELS; set CHAT_MODELS=NAME|URL|MODEL|SERVER');
  });
});
