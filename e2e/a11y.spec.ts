/**
 * axe-core (from npm, injected into the page: never a CDN) with the WCAG 2.2 A/AA rules on every
 * page a newcomer sees: the playground before and after Run & Predict (one predictor, two compared), a shared run and its
 * embed, each in the light and the dark scheme. Zero violations; on failure each one is printed
 * with its rule, the element and axe's summary of what to fix.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import type { AxeResults } from "axe-core";
import { FAKE_CHAT } from "../playwright.config";
import { recordedSample } from "./data";
import { expect, openWithCode, shareRun, test } from "./fixtures";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SCHEMES = ["light", "dark"] as const;
const SUM = "def total(nums):\n    s = 0\n    for n in nums:\n        s += n\n    return s\n";

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 160), summary: (n.failureSummary ?? "").replace(/\s+/g, " ").trim() })),
    }));
  }, WCAG_TAGS);
}

/** One line per violating element: rule, page, scheme, element, what to fix. */
function describeViolations(where: string, violations: Violation[]): string {
  return violations.flatMap((v) => v.nodes.map((n) => `[${v.id}] (${v.impact}) ${where} ${n.target} :: ${v.help} :: ${n.summary} :: ${n.html}`)).join("\n");
}

async function expectNoViolations(page: Page, where: string, scheme: (typeof SCHEMES)[number]) {
  expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), `${where} is shown in the ${scheme} scheme`).toBe(scheme === "dark");
  // What is folded away (the legend, "What is this?", the raw model I/O) is checked too.
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  // Transitions (fades, focus rings) are settled before measuring contrast.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const violations = await axeViolations(page);
  const text = describeViolations(where, violations);
  if (text) console.log(`axe violations on ${where}:\n${text}`);
  expect(
    violations.map((v) => v.id),
    `axe (WCAG 2.2 A/AA) on ${where}:\n${text}`,
  ).toEqual([]);
}

/** Runs and predicts with the syntax baseline; returns when both sides have finished. */
async function runAndPredictBaseline(page: Page) {
  await page.getByLabel("Predictor").selectOption("baseline-syntax");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
  await expect(page.getByTestId("predicted-status")).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
}

for (const scheme of SCHEMES) {
  test.describe(`accessibility, ${scheme} scheme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
    });

    test(`the playground before a run has no WCAG 2.2 A/AA violations (${scheme})`, async ({ page }) => {
      await page.goto("/");
      await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
      await expectNoViolations(page, `playground before a run (${scheme})`, scheme);
    });

    test(`the playground after Run & Predict with the baseline has no violations (${scheme})`, async ({ page }) => {
      await openWithCode(page, SUM, "total([1, 2, 3])");
      await runAndPredictBaseline(page);
      await expectNoViolations(page, `playground after Run & Predict, baseline (${scheme})`, scheme);
    });

    test(`the playground after Run & Predict with CWM (fake vLLM), a wrong prediction, has no violations (${scheme})`, async ({ page }) => {
      const s = recordedSample("sample_4");
      await openWithCode(page, s.code, `f(${s.input})`);
      await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
      await page.getByRole("button", { name: "Run & Predict" }).click();
      await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
      await expect(page.getByTestId("predicted-status")).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
      await expectNoViolations(page, `playground after Run & Predict, CWM (${scheme})`, scheme);
    });

    test(`the playground comparing CWM with a chat model (three columns, two scores) has no violations (${scheme})`, async ({ page }) => {
      await page.goto("/");
      await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
      await page.getByLabel("Examples").selectOption("debug-helper");
      await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
      await page.getByLabel("Compare with").selectOption(`chat:${FAKE_CHAT.name}`);
      await page.getByRole("button", { name: "Run & Predict" }).click();
      await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
      for (const id of ["predicted-status", "predicted-status-second"])
        await expect(page.getByTestId(id)).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
      await expect(page.getByTestId("metrics-compare")).toBeVisible();
      await expectNoViolations(page, `playground comparing two predictors (${scheme})`, scheme);
    });

    test(`a debug session with the debugger bar, an edit form and inline values has no violations (${scheme})`, async ({ page }) => {
      await page.goto("/");
      await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
      await page.getByLabel("Examples").selectOption("debug-helper");
      await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
      await page.getByRole("button", { name: "Debug", exact: true }).click();
      const status = page.getByTestId("debug-status");
      await expect(status).toContainText("paused", { timeout: 60_000 });
      for (let i = 0; i < 4; i++) {
        await page.getByRole("region", { name: "Debugger" }).getByRole("button", { name: /^Step/ }).click();
        await expect(status).toContainText(`paused: ${i + 1} model frame`);
      }
      await page.getByRole("button", { name: "Edit value…" }).click();
      await expect(page.getByLabel("Variable name")).toBeVisible();
      await expectNoViolations(page, `playground in a debug session (${scheme})`, scheme);
    });

    test(`a shared run and its embed have no violations (${scheme})`, async ({ page }) => {
      await openWithCode(page, SUM, "total([4, 5])");
      await runAndPredictBaseline(page);
      const id = await shareRun(page);
      await page.goto(`/r/${id}`);
      await expect(page.getByTestId("actual-status")).toContainText("returned");
      await expectNoViolations(page, `shared page /r/<id> (${scheme})`, scheme);
      await page.goto(`/embed/${id}`);
      await expect(page.getByTestId("actual-status")).toContainText("returned");
      await expectNoViolations(page, `embed /embed/<id> (${scheme})`, scheme);
    });
  });
}

test("the check itself finds planted violations (low contrast, an unlabelled field), so a pass means something", async ({ page }) => {
  await page.goto("/");
  await page.evaluate(() => {
    const p = document.createElement("p");
    p.textContent = "barely readable";
    p.setAttribute("style", "color:#eeeeee;background:#ffffff");
    const input = document.createElement("input");
    input.type = "text";
    document.body.append(p, input);
  });
  const ids = (await axeViolations(page)).map((v) => v.id);
  expect(ids).toContain("color-contrast");
  expect(ids).toContain("label");
});
