/**
 * `cwm lesson create --replay` against the running app (`next start`, its real CSRF rules: a
 * CLI sends no Origin and must be accepted), then the lesson it printed opened in the browser.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { SHARED_DATA, SHARED_DATA_MISSING, sharedDataPresent } from "../scripts/needs-shared-data.mjs";
import { expect, test } from "./fixtures";

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["cli/main.ts", "lesson", ...args], { env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("lesson create --replay stores a lesson on the running server; its study and present pages open", async ({ page, baseURL }) => {
  test.skip(!sharedDataPresent, `needs shared data: ${SHARED_DATA_MISSING}`);
  test.setTimeout(180_000);
  const title = "CRUXEval from the command line";
  const r = await cli([
    "create",
    "--dataset",
    path.join(SHARED_DATA, "cruxeval/cruxeval.jsonl"),
    "--ids",
    "sample_4,sample_0",
    "--replay",
    path.join(SHARED_DATA, "cwm-recorded/cruxeval-800.jsonl"),
    "--title",
    title,
    "--questions",
    "auto",
    "--server",
    baseURL!,
  ]);
  expect(r.code, r.stderr).toBe(0);
  const m = /^lesson: (\S+\/l\/([A-Za-z0-9_-]{16}))$/m.exec(r.stdout);
  expect(m, r.stdout).not.toBeNull();
  const [, lessonUrl, id] = m!;
  expect(r.stdout).toContain(`present: ${new URL(`/present/${id}`, baseURL).href}`);

  const res = await page.request.get(`/api/lessons/${id}`);
  expect(res.status()).toBe(200);
  const lesson = (await res.json()) as { title: string; slides: { run: { title: string; provenance: string; predictions: { predictor: { label: string; model: string } }[] }; questions: unknown[] }[] };
  expect(lesson.title).toBe(title);
  expect(lesson.slides.map((s) => s.run.title)).toEqual(["sample_4", "sample_0"]);
  for (const s of lesson.slides) {
    expect(s.run.predictions[0].predictor).toMatchObject({ label: "CWM (recorded)", model: "cruxeval-800.jsonl" });
    expect(s.run.provenance).toBe("uploaded");
    expect(s.questions.length).toBeGreaterThan(0);
  }

  await page.goto(lessonUrl);
  await expect(page.getByText(title).first()).toBeVisible();
  const present = await page.request.get(`/present/${id}`);
  expect(present.status()).toBe(200);
});
