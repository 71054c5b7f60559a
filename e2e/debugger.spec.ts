/**
 * The neural debugger over the fake vLLM (it continues our own recorded generations frame by
 * frame: e2e/fixtures/examples-replay.jsonl), and code with holes.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

async function openExample(page: Page, id: string) {
  await page.goto("/");
  await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
  await page.getByLabel("Examples").selectOption(id);
  await expect(page.getByLabel("Examples")).toHaveValue(id);
}

/** Starts a debug session and waits for reality's one run. */
async function startDebug(page: Page) {
  await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
  await page.getByRole("button", { name: "Debug", exact: true }).click();
  await expect(page.getByRole("region", { name: "Debugger" })).toBeVisible();
  await expect(page.getByTestId("debug-status")).toContainText("paused", { timeout: 60_000 });
}

const VERB_BUTTON: Record<string, string> = { Step: "Step (s)", Next: "Next (n)", Out: "Out (o)", Back: "Back (b)", Continue: "Continue (c)" };

/** Presses a verb's button and waits until the model has answered. */
async function verb(page: Page, name: string) {
  await page
    .getByRole("region", { name: "Debugger" })
    .getByRole("button", { name: VERB_BUTTON[name] ?? name, exact: true })
    .click();
  await expect(page.getByTestId("debug-status")).not.toContainText("asking the model");
}

const rows = (page: Page) => page.getByTestId("timeline-row");
const lastRow = (page: Page) => rows(page).last();

test("a debug session: step, next over a call, out, back, edit, continue — both sides shown, the edit marked", async ({ page }) => {
  await openExample(page, "debug-helper");
  await startDebug(page);
  // The model starts at the entry frame; the prediction column says how it is made.
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByTestId("column-badge").filter({ hasText: "step by step" })).toBeVisible();

  // s: one frame at a time (the keyboard shortcut, focus on the timeline).
  await page.getByTestId("timeline").focus();
  await page.keyboard.press("s");
  await expect(rows(page)).toHaveCount(2);
  await verb(page, "Step");
  await verb(page, "Step");
  await expect(rows(page)).toHaveCount(4);
  await expect(lastRow(page)).toContainText("s = 0");
  await verb(page, "Next");
  await verb(page, "Next");
  await expect(lastRow(page)).toContainText("s += square(i)");

  // Next over the call: the callee's body is skipped on both sides, its return value predicted.
  await verb(page, "Next");
  await expect(rows(page)).toHaveCount(9);
  await expect(rows(page).nth(7)).toContainText("→ 0");
  await expect(lastRow(page)).toContainText("for i in range(n):");
  await expect(lastRow(page).locator('[data-testid="gap"]')).toHaveCount(0);

  // Into the next call, then Out to its return and the caller's next line.
  await verb(page, "Step");
  await verb(page, "Step");
  await verb(page, "Step");
  await expect(lastRow(page)).toContainText("return x * x");
  await verb(page, "Out");
  await expect(rows(page)).toHaveCount(14);
  await expect(lastRow(page)).toContainText("for i in range(n):");

  // Back pops both sides.
  await verb(page, "Back");
  await expect(rows(page)).toHaveCount(13);
  await verb(page, "Step");
  await expect(rows(page)).toHaveCount(14);

  // Edit: s = 10 at this frame; reality re-runs with it, both columns mark the frame.
  await page.getByRole("button", { name: "Edit value…" }).click();
  // The form takes room from the timeline; the current row stays in view.
  await expect(lastRow(page)).toBeInViewport();
  await page.getByLabel("Variable name").fill("s");
  await page.getByLabel("New value (a Python literal)").fill("10");
  await page.getByRole("button", { name: "Set", exact: true }).click();
  await expect(page.getByTestId("frame-badge")).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId("frame-badge").first()).toHaveText("✎ edited: s = 10");
  await expect(page.getByTestId("frame-badge").last()).toHaveText("✎ edited: s = 10");

  // Continue to the end: both continuations from the edited frame, side by side.
  await verb(page, "Continue");
  await expect(page.getByTestId("debug-status")).toContainText("the model ended its trace");
  await expect(page.getByTestId("actual-status")).toContainText("returned 14");
  await expect(page.getByTestId("frame-badge")).toHaveCount(2);

  // One click back to the unedited run.
  await page.getByRole("button", { name: "Back to the unedited run" }).click();
  await expect(page.getByTestId("frame-badge")).toHaveCount(0);
  await expect(rows(page)).toHaveCount(14);
  await expect(page.getByTestId("actual-status")).toContainText("returned 5");

  // Continue to a line (the breakpoint is on the predicted side), after a Reset.
  await verb(page, "Reset");
  await expect(rows(page)).toHaveCount(1);
  await page.getByLabel("Breakpoint line").fill("9");
  await verb(page, "Continue to line");
  await expect(lastRow(page)).toContainText("return s");
  // The model's wrong value (the fixture says 6, reality 5) is marked as a difference.
  await expect(page.getByTestId("first-divergence")).toBeVisible();
});

test("an edit reality cannot apply is said, and the model side still takes a plain literal", async ({ page }) => {
  await openExample(page, "debug-helper");
  await startDebug(page);
  for (let i = 0; i < 3; i++) await verb(page, "Step");
  await page.getByRole("button", { name: "Edit value…" }).click();
  await page.getByLabel("Variable name").fill("nope");
  await page.getByLabel("New value (a Python literal)").fill("3");
  await page.getByRole("button", { name: "Set", exact: true }).click();
  await expect(page.getByTestId("debug-message")).toContainText("Reality could not apply it", { timeout: 60_000 });
  await expect(page.getByTestId("frame-badge").filter({ hasText: "edited: nope = 3" })).toHaveCount(1);
});

test("code with a hole (an undefined function): reality's error once, the imagined trace on the right", async ({ page }) => {
  await openExample(page, "hole-undefined");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  const note = page.getByTestId("hole-note");
  await expect(note).toContainText("Reality could not run this: NameError: name 'transform' is not defined", { timeout: 60_000 });
  await expect(note).toContainText("The right column is what the model imagines");
  await expect(page.getByText("Reality could not run this")).toHaveCount(1);
  await expect(page.getByTestId("editor-error")).toHaveCount(0);
  await expect(page.getByTestId("predicted-status")).toContainText("returns ['Ada', 'Grace', 'Alan']");
});

test("code with a hole (import requests): the module is missing in the browser, the model imagines the request", async ({ page }) => {
  await openExample(page, "hole-import");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("hole-note")).toContainText("Reality could not run this: ModuleNotFoundError: No module named 'requests'", { timeout: 60_000 });
  await expect(page.getByTestId("predicted-status")).toContainText("returns 'Hello, world'");
  await expect(page.getByTestId("timeline")).toContainText("resp = requests.get(url, timeout=5)");
});

test("the syntax baseline cannot step: Debug says why it is off", async ({ page }) => {
  await openExample(page, "debug-helper");
  await page.getByLabel("Predictor").selectOption("baseline-syntax");
  const debug = page.getByRole("button", { name: "Debug", exact: true });
  await expect(debug).toBeDisabled();
  await expect(debug).toHaveAttribute("title", /needs a connected CWM predictor/);
});

test("a click on a line number sets the breakpoint that Continue to line runs to", async ({ page }) => {
  await openExample(page, "debug-helper");
  await startDebug(page);
  await page.locator(".monaco-editor .line-numbers", { hasText: /^8$/ }).click();
  await expect(page.getByLabel("Breakpoint line")).toHaveValue("8");
  await expect(page.getByTestId("editor")).toContainText(/breakpoint/);
  await verb(page, "Continue to line");
  await expect(lastRow(page)).toContainText("s += square(i)");
  await expect(rows(page)).toHaveCount(6);
});

test("inline values: the current step's values at the end of its line, real and model told apart in words", async ({ page }) => {
  await openExample(page, "debug-helper");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("predicted-status")).toContainText("predicts it returns 6", { timeout: 60_000 });
  // Row 4: the loop's first visit, the same on both sides.
  await rows(page).nth(4).click();
  await expect(page.getByTestId("editor")).toContainText("real and model: n = 3, s = 0");
  // The last line frame of sum_squares: the model's s is wrong.
  await rows(page).filter({ hasText: "L9" }).first().click();
  await expect(page.getByTestId("editor")).toContainText("real: s = 5 · model: s = 6");
});
