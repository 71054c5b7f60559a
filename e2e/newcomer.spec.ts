import { expect, openWithCode, runAndWait, test } from "./fixtures";

const SUM = "def total(nums):\n    s = 0\n    for n in nums:\n        s += n\n    return s\n";

test.describe("a screen a newcomer can trust", () => {
  test("after an edit, earlier results are marked and a Run never scores the old prediction", async ({ page }) => {
    await openWithCode(page, SUM, "total([1, 2])");
    await page.getByLabel("Predictor").selectOption("baseline-syntax");
    await page.getByRole("button", { name: "Run & Predict" }).click();
    await expect(page.getByTestId("actual-status")).toContainText("returned 3", { timeout: 60_000 });
    await expect(page.getByTestId("metrics")).toBeVisible();
    await expect(page.getByTestId("stale-notice")).toHaveCount(0);

    await page.getByLabel("Call").fill("total([5, 6, 7])");
    await expect(page.getByTestId("stale-notice")).toContainText("earlier code");
    await expect(page.getByTestId("column-badge").first()).toHaveText("for earlier code");
    await expect(page.getByRole("button", { name: "Share" })).toBeDisabled();

    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("actual-status")).toContainText("returned 18", { timeout: 60_000 });
    await expect(page.getByTestId("notice")).toContainText("earlier prediction was for different code");
    await expect(page.getByTestId("metrics")).toHaveCount(0);
    await expect(page.getByTestId("predicted-status")).toHaveCount(0);
    await expect(page.getByTestId("stale-notice")).toHaveCount(0);
  });

  test("Predict alone says once that reality has not run, instead of a column of gaps", async ({ page }) => {
    await openWithCode(page, SUM, "total([1, 2])");
    await page.getByLabel("Predictor").selectOption("baseline-syntax");
    await page.getByRole("button", { name: "Predict", exact: true }).click();
    await expect(page.getByTestId("predicted-status")).toContainText("the baseline predicts", { timeout: 60_000 });
    await expect(page.getByTestId("real-note")).toContainText("Not run yet");
    await expect(page.getByTestId("gap")).toHaveCount(0);
    await expect(page.getByTestId("predicted-status")).not.toContainText("model");
  });

  test("an uncaught exception marks its line in the editor", async ({ page }) => {
    await openWithCode(page, "def f(x):\n    y = x + 1\n    return y / 0\n", "f(1)");
    await runAndWait(page);
    await expect(page.getByTestId("actual-status")).toContainText("raised ZeroDivisionError");
    await expect(page.getByTestId("editor-error")).toContainText("Line 3");
    await expect(page.locator("[data-testid=editor] .squiggly-error")).toHaveCount(1);
  });

  test("a syntax error marks its line in the editor and the reality column says it could not run", async ({ page }) => {
    await openWithCode(page, "def f(x):\n    return (x +\n", "f(1)");
    await runAndWait(page);
    await expect(page.getByTestId("actual-status")).toContainText("could not run");
    await expect(page.getByTestId("editor-error")).toContainText("SyntaxError");
    await expect(page.locator("[data-testid=editor] .squiggly-error")).toHaveCount(1);
  });

  test("picking an example keeps the user's code in Drafts, with an undo", async ({ page }) => {
    await openWithCode(page, "def mine():\n    return 42\n", "mine()");
    await page.getByLabel("Examples").selectOption({ label: "Recursion: factorial" });
    await expect(page.getByLabel("Examples")).toHaveValue("factorial");
    await expect(page.getByLabel("Call")).toHaveValue("fact(5)");
    await page.getByRole("button", { name: "Undo" }).click();
    await expect(page.getByLabel("Call")).toHaveValue("mine()");
    await expect(page.getByTestId("editor")).toContainText("return 42");
    await expect(page.getByTestId("drafts")).toContainText("Drafts (1)");
  });

  test("the output panel shows what was printed up to the current step", async ({ page }) => {
    await openWithCode(page, "print('first')\nx = 1\nprint('second')\ny = 2\n", "");
    await runAndWait(page);
    // A run starts at its first step, before anything is printed.
    await expect(page.getByTestId("frame-caption")).toContainText("Step 1 of");
    await expect(page.getByTestId("stdout")).not.toContainText("first");
    await page.getByRole("button", { name: "Last step" }).click();
    await expect(page.getByTestId("stdout")).toContainText("first\nsecond");
  });

  test("an object's attributes can be expanded on the real side", async ({ page }) => {
    await openWithCode(page, "class Counter:\n    def __init__(self):\n        self.count = 7\n\ndef f():\n    c = Counter()\n    return c.count\n", "f()");
    await runAndWait(page);
    // The line event of `return c.count`: `c` is a local holding the object.
    await page.getByTestId("timeline-row").filter({ hasText: "return c.count" }).first().click();
    await page.getByTestId("object-attrs").first().locator("summary").click();
    await expect(page.getByTestId("object-attrs").first()).toContainText(".count");
    await expect(page.getByTestId("object-attrs").first()).toContainText("7");
  });

  test("the legend explains the marks", async ({ page }) => {
    await openWithCode(page, SUM, "total([1])");
    await page.getByTestId("legend").locator("summary").click();
    await expect(page.getByTestId("legend")).toContainText("before its line runs");
    await expect(page.getByTestId("legend")).toContainText("≠");
    await expect(page.getByTestId("legend")).toContainText("∅");
  });
});
