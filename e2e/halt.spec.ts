/**
 * "Will it halt?" in the browser against the fake vLLM of the e2e config (its chat replies are
 * scripted in test/fakes/halt.ts): the reasoning streams, the answer is shown beside the
 * executor's and the trace's verdicts, each labelled with who made it.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import { PORTS } from "../playwright.config";
import { expect, test } from "./fixtures";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

async function openExample(page: Page, id: string) {
  await page.goto("/");
  await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
  await page.getByLabel("Examples").selectOption(id);
  await expect(page.getByLabel("Examples")).toHaveValue(id);
}

/** axe (WCAG 2.2 A/AA) on the panel only; the page as a whole is e2e/a11y.spec.ts's job. */
async function panelViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    type Axe = { run: (ctx: object, opts: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const r = await axe.run({ include: [['[data-testid="halt-panel"]']] }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }, resultTypes: ["violations"] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(" ")}`));
  });
}

test.describe("Will it halt? with a CWM server (fake vLLM)", () => {
  test("on the program that never halts: the model says no, the run cannot tell, each verdict says who made it", async ({ page }) => {
    await openExample(page, "collatz-forever");
    await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const executor = page.getByTestId("halt-executor-verdict");
    await expect(executor).toContainText("unknown — budget spent", { timeout: 60_000 });
    await expect(executor).toContainText("Pyodide in your browser");

    await page.getByRole("button", { name: "Will it halt?" }).click();
    const model = page.getByTestId("halt-model-verdict");
    await expect(model).toContainText("no — it does not halt", { timeout: 60_000 });
    await expect(model).toContainText("CWM (vLLM) · facebook/cwm");
    await expect(page.getByTestId("halt-reasoning-text")).toContainText("runs forever");
    await expect(page.getByTestId("halt-answer-text")).toContainText("Answer: no");
    await expect(page.getByTestId("halt-live")).toHaveText("Will it halt? CWM (vLLM) · facebook/cwm: no — it does not halt");
    await expect(page.getByTestId("halt-trace-verdict")).toContainText("no trace predicted yet");

    // The answer belongs to the code it was asked about.
    await page.getByLabel("Examples").selectOption("long-but-halts");
    await expect(page.getByTestId("halt-panel")).toContainText("for earlier code");
  });

  test("on the long run that does halt: the model says yes", async ({ page }) => {
    await openExample(page, "long-but-halts");
    await page.getByRole("button", { name: "Will it halt?" }).click();
    await expect(page.getByTestId("halt-model-verdict")).toContainText("yes — it halts", { timeout: 60_000 });
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("halt-executor-verdict")).toContainText("yes — it returned 111", { timeout: 60_000 });
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`the panel with its streamed reasoning has no WCAG 2.2 A/AA violations (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openExample(page, "collatz-forever");
      await page.getByRole("button", { name: "Will it halt?" }).click();
      await expect(page.getByTestId("halt-model-verdict")).toContainText("no — it does not halt", { timeout: 60_000 });
      expect(await panelViolations(page)).toEqual([]);
    });
  }
});

test.describe("Will it halt? with nothing configured", () => {
  test.use({ baseURL: `http://127.0.0.1:${PORTS.bare}` });

  test("the baseline cannot answer: the server's 422 is shown, and the baseline is never called CWM", async ({ page }) => {
    await openExample(page, "collatz-forever");
    await expect(page.getByLabel("Predictor")).toHaveValue("baseline-syntax");
    await page.getByRole("button", { name: "Will it halt?" }).click();
    await expect(page.getByTestId("halt-error")).toContainText("Will it halt? needs CWM");
    const model = page.getByTestId("halt-model-verdict");
    await expect(model).toContainText("Syntax-only baseline (not a model)");
    await expect(model).not.toContainText("CWM");
  });
});
