/**
 * `cwm lesson create` as a teacher runs it: the CLI as its own process (tsx), the app's real
 * route modules on 127.0.0.1 over a throwaway SQLite database, real CRUXEval programs executed
 * in Pyodide and real recorded CWM generations.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runsRoute from "@/app/api/runs/route";
import * as lessonsRoute from "@/app/api/lessons/route";
import * as lessonRoute from "@/app/api/lessons/[id]/route";
import * as predictorsRoute from "@/app/api/predictors/route";
import { LESSON_LIMITS, questionProblem } from "@/lib/storage/lesson-schema";
import { route } from "@/lib/http/route";
import { countLessons } from "@/lib/storage/lessons";
import { createLessonsApi } from "@/lib/storage/lessons-api";
import { countRuns } from "@/lib/storage/runs";
import { StoredLesson } from "@/lib/storage/lesson-schema";
import { repoRoot } from "@/lib/storage/__tests__/test-db";
import { runCli, type CliResult } from "@/cli/__tests__/run-cli";
import { startFakeChat } from "@/test/fakes/chat";
import { apiOnTestDatabase } from "./api-server";
import { serveRoutes } from "./http-harness";
import { SHARED_DATA, sharedDataPresent } from "./shared-data";

const DATASET = path.join(SHARED_DATA, "cruxeval/cruxeval.jsonl");
const RECORDED = path.join(SHARED_DATA, "cwm-recorded/cruxeval-800.jsonl");
const TSX = path.join(repoRoot, "node_modules/.bin/tsx");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-lesson-cli-"));

const lessonItem = (req: Request, ctx: { params: Promise<Record<string, string>> }) => lessonRoute.GET(req, { params: ctx.params.then((p) => ({ id: p.id })) });

const api = apiOnTestDatabase({
  "POST /api/runs": runsRoute.POST,
  "POST /api/lessons": lessonsRoute.POST,
  "GET /api/lessons/:id": lessonItem,
  "GET /api/predictors": predictorsRoute.GET,
});

/** The CLI as a teacher runs it, with no CWM server configured from the environment. */
const cli = (args: string[]): Promise<CliResult> => runCli(["lesson", ...args], { env: { CWM_VLLM_URL: "", CWM_FASTGEN_URL: "" } });

/** Everything a create needs but the server; each test adds or overrides. */
const base = () => ["create", "--dataset", DATASET, "--replay", RECORDED, "--title", "CWM on CRUXEval"];

async function stored(): Promise<{ runs: number; lessons: number }> {
  return { runs: await countRuns(), lessons: await countLessons() };
}

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("cwm lesson: arguments (refused before anything runs)", () => {
  const cases: [string, string[], RegExp][] = [
    ["no subcommand", [], /usage: npm run cwm -- lesson create/],
    ["an unknown subcommand", ["publish"], /unknown subcommand "publish"/],
    ["no --dataset", ["create", "--replay", "r.jsonl", "--title", "T"], /--dataset is required/],
    ["no --title", ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl"], /--title is required/],
    ["a blank --title", ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "   "], /--title is required/],
    [
      "a title over 120 characters",
      ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "x".repeat(121)],
      /--title is longer than 120 characters/,
    ],
    [
      "both --backend and --replay",
      ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--backend", "baseline", "--title", "T"],
      /exactly one of --backend and --replay/,
    ],
    ["neither --backend nor --replay", ["create", "--dataset", "d.jsonl", "--title", "T"], /exactly one of --backend and --replay/],
    [
      "--questions other than auto or none",
      ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "T", "--questions", "all"],
      /--questions must be auto or none/,
    ],
    [
      "a --server that is not http(s)",
      ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "T", "--server", "file:///etc/passwd"],
      /--server must be an http\(s\) URL/,
    ],
    [
      "a --server that is not a URL",
      ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "T", "--server", "localhost 3000"],
      /--server must be a URL/,
    ],
    ["an unknown option", ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "T", "--publish"], /unknown option --publish/],
    ["a flag without its value", ["create", "--dataset"], /--dataset needs a value/],
    ["an id listed twice", ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "T", "--ids", "a,b,a"], /--ids lists "a" twice/],
    [
      "a limit that is not a positive integer",
      ["create", "--dataset", "d.jsonl", "--replay", "r.jsonl", "--title", "T", "--limit", "0"],
      /--limit must be a positive integer/,
    ],
    [
      "a dataset that cannot be read",
      ["create", "--dataset", "/nonexistent/d.jsonl", "--replay", "r.jsonl", "--title", "T"],
      /cannot read \/nonexistent\/d.jsonl/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`exits 2 on ${what}, saying so`, async () => {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr + r.stdout).toMatch(message);
    });
  }

  it("prints its help with exit 0 on --help", async () => {
    const r = await cli(["create", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--questions MODE/);
  });
});

describe("cwm lesson create: generated notes", () => {
  it("keeps a slide's notes within the server's byte limit when the error is long and not ASCII", async () => {
    const data = path.join(tmp, "wide.jsonl");
    fs.writeFileSync(data, `${JSON.stringify({ id: "wide", code: 'def f(n):\n    raise ValueError("€" * n)', call: "f(5000)" })}\n`);
    const r = await cli(["create", "--dataset", data, "--backend", "baseline", "--title", "T", "--server", api.url]);
    expect(r.code, r.stderr).toBe(0);
    const id = /^lesson: http:\/\/127\.0\.0\.1:\d+\/l\/([A-Za-z0-9_-]{16})$/m.exec(r.stdout)![1];
    const notes = StoredLesson.parse(await (await fetch(`${api.url}/api/lessons/${id}`)).json()).slides[0].notes!;
    expect(notes).toMatch(/^\*\*wide\*\* from `wide\.jsonl`: `f\(5000\)` raises `ValueError: €€/);
    expect(Buffer.byteLength(notes)).toBeLessThanOrEqual(LESSON_LIMITS.notesBytes / 2);
  }, 120_000);
});

describe.skipIf(!sharedDataPresent)("cwm lesson create --replay against a running server", () => {
  it("stores the runs and the lesson, prints both links, predictions labelled as recorded, auto questions the server accepted", async () => {
    const ids = ["sample_4", "sample_33", "sample_0"];
    const before = await stored();
    const r = await cli([...base(), "--ids", ids.join(","), "--questions", "auto", "--server", api.url]);
    expect(r.code, r.stderr).toBe(0);
    const lessonUrl = /^lesson: (http:\/\/127\.0\.0\.1:\d+\/l\/([A-Za-z0-9_-]{16}))$/m.exec(r.stdout);
    expect(lessonUrl, r.stdout).not.toBeNull();
    const id = lessonUrl![2];
    expect(r.stdout).toContain(`present: ${api.url}/present/${id}`);
    expect(await stored()).toEqual({ runs: before.runs + 3, lessons: before.lessons + 1 });

    const lesson = StoredLesson.parse(await (await fetch(`${api.url}/api/lessons/${id}`)).json());
    expect(lesson.title).toBe("CWM on CRUXEval");
    // In the order asked, not the dataset's.
    expect(lesson.slides.map((s) => s.run.title)).toEqual(ids);
    for (const s of lesson.slides) {
      expect(s.run.predictions).toHaveLength(1);
      expect(s.run.predictions[0].predictor).toEqual({ id: "recorded", model: "cruxeval-800.jsonl", label: "CWM (recorded)" });
      // The server did not make it, so it says the sharer uploaded it.
      expect(s.run.provenance).toBe("uploaded");
      expect(s.run.metrics).not.toBeNull();
      expect(s.questions.length).toBeGreaterThanOrEqual(1);
      expect(s.questions.length).toBeLessThanOrEqual(4);
      for (const q of s.questions) expect(questionProblem(q, s.run.actual.frames)).toBeNull();
      expect(s.notes).toMatch(new RegExp(`^\\*\\*${s.run.title}\\*\\* from \`cruxeval.jsonl\``));
    }
    // sample_4: CWM's recorded trace differs from reality; the first question is about where.
    const first = lesson.slides[0].questions[0];
    expect(first.kind === "value" || first.kind === "next_line").toBe(true);
  }, 120_000);

  it("labels a chat prediction with the chat server's host, never with the playground's --server", async () => {
    const fake = await startFakeChat({});
    try {
      const r = await cli(["create", "--dataset", DATASET, "--ids", "sample_0", "--title", "T", "--backend", "chat", "--url", fake.url, "--model", fake.options.model, "--server", api.url]);
      expect(r.code, r.stderr).toBe(0);
      const id = /^lesson: http:\/\/127\.0\.0\.1:\d+\/l\/([A-Za-z0-9_-]{16})$/m.exec(r.stdout)![1];
      const lesson = StoredLesson.parse(await (await fetch(`${api.url}/api/lessons/${id}`)).json());
      expect(lesson.slides[0].run.predictions[0].predictor.label).toBe(`${fake.options.model} via ${new URL(fake.url).host}`);
    } finally {
      await fake.close();
    }
  }, 120_000);

  it("exits 2 naming an id that is not in the dataset, and stores nothing", async () => {
    const before = await stored();
    const r = await cli([...base(), "--ids", "sample_0,no_such_program", "--server", api.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not in .*cruxeval\.jsonl: no_such_program/);
    expect(r.stderr).toMatch(/nothing was stored/);
    expect(await stored()).toEqual(before);
  }, 60_000);

  it("exits 2 naming a program that has no recorded generation, and stores nothing", async () => {
    const data = path.join(tmp, "mine.jsonl");
    fs.writeFileSync(
      data,
      `${JSON.stringify({ id: "mine", code: "def g(x):\n    return x * 7", call: "g(6)" })}\n${fs.readFileSync(DATASET, "utf8").split("\n")[0]}\n`,
    );
    const before = await stored();
    const r = await cli(["create", "--dataset", data, "--replay", RECORDED, "--title", "T", "--server", api.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no recorded generation in .*cruxeval-800\.jsonl for: mine/);
    expect(await stored()).toEqual(before);
  }, 60_000);

  it("exits 2 when the dataset has more programs than a lesson has slides, asking for --ids or --limit", async () => {
    const r = await cli([...base(), "--server", api.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/800 programs, but a lesson has at most 50 slides: choose some with --ids or --limit/);
  }, 60_000);

  it("exits 1 when nothing listens at --server, before running anything, and stores nothing", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const before = await stored();
    const r = await cli([...base(), "--limit", "2", "--server", `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`could not reach the playground at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    expect(r.stderr).not.toMatch(/ground truth/);
    expect(await stored()).toEqual(before);
  }, 60_000);

  it("prints the server's message when it refuses the lesson, says no lesson was made and lists the runs it stored", async () => {
    // The real lessons API with a rate limit of one a minute, already used up: the lesson gets 429.
    const limited = createLessonsApi({ ratePerMinute: 1 });
    const server = await serveRoutes({
      "POST /api/runs": runsRoute.POST,
      "POST /api/lessons": route((req: Request) => limited.post(req)),
      "GET /api/predictors": predictorsRoute.GET,
    });
    try {
      await fetch(`${server.url}/api/lessons`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      const before = await stored();
      const r = await cli([...base(), "--ids", "sample_1,sample_2", "--server", server.url]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/POST \/api\/lessons answered 429: /);
      expect(r.stderr).toMatch(
        /no lesson was created; these runs were stored before the failure:\n {2}sample_1: http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{16}\n {2}sample_2: /,
      );
      expect(r.stdout).not.toMatch(/^lesson: /m);
      expect(await stored()).toEqual({ runs: before.runs + 2, lessons: before.lessons });
    } finally {
      await server.close();
    }
  }, 120_000);
});

beforeAll(() => {
  expect(fs.existsSync(TSX)).toBe(true);
});
