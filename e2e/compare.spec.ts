/**
 * Two predictors beside reality: a chat model (the fake chat server, a perfect model of any
 * program) as the predictor, then CWM (the fake vLLM replaying our generation of the gallery's
 * "debug-helper") compared with it in three aligned columns, each scored on its own.
 */
import type { Page } from "@playwright/test";
import { FAKE_CHAT } from "../playwright.config";
import { expect, test } from "./fixtures";

const CHAT_ID = `chat:${FAKE_CHAT.name}`;
const CHAT_LABEL = `${FAKE_CHAT.model} via ${FAKE_CHAT.server}`;

async function openExample(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
  await page.getByLabel("Examples").selectOption("debug-helper");
}

async function finished(page: Page, testId: string) {
  await expect(page.getByTestId(testId)).not.toContainText(/streaming|waiting|stopping/, { timeout: 60_000 });
}

/** CWM first, the chat model compared, Run & Predict; returns when all three sides are done. */
async function compareCwmWithChat(page: Page) {
  await openExample(page);
  await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
  await page.getByLabel("Compare with").selectOption(CHAT_ID);
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("actual-status")).toContainText("returned 5", { timeout: 60_000 });
  await finished(page, "predicted-status");
  await finished(page, "predicted-status-second");
}

test("a chat model as the predictor: Run & Predict shows its label, never CWM, and scores it", async ({ page }) => {
  await openExample(page);
  await page.getByLabel("Predictor").selectOption(CHAT_ID);
  await expect(page.getByLabel("Compare with")).toHaveValue("");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("actual-status")).toContainText("returned 5", { timeout: 60_000 });
  await finished(page, "predicted-status");
  await expect(page.getByTestId("predicted-status")).toContainText("returns 5");
  await expect(page.getByTestId("predictor-info")).toContainText(CHAT_LABEL);
  await expect(page.getByTestId("predictor-info")).not.toContainText("CWM");
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText(`Prediction — ${CHAT_LABEL}`);
  await expect(page.locator('[data-metric="output_correct"]')).toContainText("yes");
  // One prediction: two columns, no second cell, no note about Share.
  await expect(page.getByTestId("second-cell")).toHaveCount(0);
  await expect(page.getByTestId("share-first-only")).toHaveCount(0);
});

test("Compare with lists the other available predictors, not the chosen one", async ({ page }) => {
  await openExample(page);
  const values = await page
    .getByLabel("Compare with")
    .locator("option")
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(values).toEqual(expect.arrayContaining(["", CHAT_ID, "baseline-syntax"]));
  expect(values).not.toContain("cwm-vllm");
});

test("CWM compared with a chat model: three aligned columns, both labels, both scores", async ({ page }) => {
  await compareCwmWithChat(page);
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline).toContainText("Reality (executed)");
  await expect(timeline).toContainText("Prediction — CWM");
  await expect(page.getByTestId("second-column-header")).toContainText(`Prediction — ${CHAT_LABEL}`);
  // Every row has a reality cell, a first-prediction cell and a second-prediction cell.
  const firstRow = page.getByTestId("timeline-row").first();
  await expect(firstRow.locator(":scope > div")).toHaveCount(3);
  expect(await page.getByTestId("second-cell").count()).toBe(await page.getByTestId("timeline-row").count());
  // Both outcomes, each with its own predictor.
  await expect(page.getByTestId("predictor-info")).toContainText("CWM");
  await expect(page.getByTestId("predictor-info-second")).toContainText(CHAT_LABEL);
  await expect(page.getByTestId("predicted-status-second")).toContainText("returns 5");
  // Both scores side by side, each column named by its predictor.
  await expect(page.getByTestId("metrics-column-1")).toContainText("CWM");
  await expect(page.getByTestId("metrics-column-2")).toContainText(CHAT_LABEL);
  await expect(page.getByTestId("metrics-column-2")).not.toContainText("CWM");
  await expect(page.locator('[data-metric="output_correct"][data-slot="first"]')).toContainText(/yes|no/);
  await expect(page.locator('[data-metric="output_correct"][data-slot="second"]')).toContainText("yes");
  await expect(page.locator('[data-metric="state_exact"][data-slot="second"]')).toContainText("100.0%");
  await expect(page.getByTestId("share-first-only")).toContainText("first prediction only");
  // One cursor drives every column: End selects the last row, whose second cell is the return.
  await page.getByTestId("timeline").focus();
  await page.keyboard.press("End");
  const selected = page.locator('[data-testid="timeline-row"][data-selected="true"]');
  await expect(selected.getByTestId("second-cell")).toContainText("return");
});

test("a new Predict without a comparison goes back to two columns", async ({ page }) => {
  await compareCwmWithChat(page);
  await page.getByLabel("Compare with").selectOption("");
  await page.getByRole("button", { name: "Predict", exact: true }).click();
  await finished(page, "predicted-status");
  await expect(page.getByTestId("second-cell")).toHaveCount(0);
  await expect(page.getByTestId("predicted-status-second")).toHaveCount(0);
});

/** How far the page is wider than the window, and the widest elements sticking out (printed on failure). */
async function pageOverflow(page: Page): Promise<{ px: number; offenders: string }> {
  return page.evaluate(() => {
    const w = window.innerWidth;
    const out = [...document.querySelectorAll("body *")]
      .map((e) => ({ e, right: e.getBoundingClientRect().right }))
      .filter((x) => x.right > w + 1)
      .sort((a, b) => b.right - a.right)
      .slice(0, 8)
      .map(({ e, right }) => `${e.tagName.toLowerCase()}[${e.getAttribute("data-testid") ?? e.getAttribute("aria-label") ?? ""}] right=${Math.round(right)}`);
    return { px: document.documentElement.scrollWidth - w, offenders: out.join(", ") };
  });
}

test.describe("on a phone (390×844)", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test("nothing scrolls sideways, with one prediction or with a third column", async ({ page }) => {
    await openExample(page);
    await page.getByLabel("Predictor").selectOption(CHAT_ID);
    await page.getByRole("button", { name: "Run & Predict" }).click();
    await finished(page, "predicted-status");
    const one = await pageOverflow(page);
    await page.getByLabel("Predictor").selectOption("cwm-vllm");
    await page.getByLabel("Compare with").selectOption(CHAT_ID);
    await page.getByRole("button", { name: "Predict", exact: true }).click();
    await finished(page, "predicted-status");
    await finished(page, "predicted-status-second");
    await expect(page.getByTestId("second-cell").first()).toBeVisible();
    const two = await pageOverflow(page);
    console.log(
      `phone page overflow: one prediction ${one.px}px${one.offenders ? ` (${one.offenders})` : ""}; two ${two.px}px${two.offenders ? ` (${two.offenders})` : ""}`,
    );
    expect(one.px, `one prediction: ${one.px}px (${one.offenders})`).toBeLessThanOrEqual(0);
    expect(two.px, `two predictions: ${two.px}px (${two.offenders})`).toBeLessThanOrEqual(0);
    // Nor inside the timeline: values wrap in their column instead of running under the next one.
    const inner = await page.getByTestId("timeline").evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(inner).toBeLessThanOrEqual(0);
  });
});
