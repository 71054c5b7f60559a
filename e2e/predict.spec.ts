import { PORTS } from "../playwright.config";
import { recordedSample } from "./data";
import { expect, openWithCode, test } from "./fixtures";

test.describe("prediction with a CWM server (fake vLLM replaying real generations)", () => {
  test("Run & Predict fills both timelines and labels the backend and model", async ({ page }) => {
    const s = recordedSample("sample_0");
    await openWithCode(page, s.code, `f(${s.input})`);
    await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
    await page.getByRole("button", { name: "Run & Predict" }).click();
    await expect(page.getByTestId("actual-status")).toContainText(`returned ${s.expected}`, { timeout: 60_000 });
    await expect(page.getByTestId("predicted-status")).toContainText("model predicts it returns", { timeout: 60_000 });
    await expect(page.getByTestId("predictor-info")).toContainText("facebook/cwm");
    await expect(page.getByTestId("predictor-info")).toContainText("T=0");
    await expect(page.getByTestId("metrics")).toBeVisible();
    await expect(page.locator('[data-metric="output_correct"]')).toContainText("yes");
    // Raw view: the exact prompt, special tokens visible.
    await page.getByText("Raw model I/O").click();
    await expect(page.getByTestId("raw-prompt")).toContainText("<|trace_context_start|>");
    await expect(page.getByTestId("raw-output")).toContainText("<|frame_sep|>");
  });

  test("a wrong prediction: the first divergence is marked and the jump lands on it", async ({ page }) => {
    const s = recordedSample("sample_4");
    expect(s.correct).toBe(false);
    await openWithCode(page, s.code, `f(${s.input})`);
    await page.getByRole("button", { name: "Run & Predict" }).click();
    await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
    await expect(page.getByTestId("predicted-status")).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
    await expect(page.locator('[data-metric="output_correct"]')).toContainText("no");
    const jump = page.getByRole("button", { name: /Jump to first divergence/ });
    await expect(jump).toBeVisible();
    await jump.click();
    const selected = page.locator('[data-testid="timeline-row"][data-selected="true"]');
    await expect(selected.getByTestId("first-divergence")).toBeVisible();
    await expect(selected.locator("[data-diff]").first()).toBeVisible();
    // The keyboard does the same from anywhere outside the editor.
    await page.keyboard.press("Home");
    await expect(page.getByTestId("frame-caption")).toContainText("Step 1 of");
    await page.keyboard.press("d");
    await expect(selected.getByTestId("first-divergence")).toBeVisible();
  });

  test("Stop cancels a streaming prediction and keeps its frames, marked incomplete", async ({ page }) => {
    // A program no earlier test predicted: a greedy prediction seen before comes from the cache at once.
    const s = recordedSample("sample_6");
    await openWithCode(page, s.code, `f(${s.input})`);
    await page.getByLabel("Predictor").selectOption("cwm-vllm");
    await page.getByRole("button", { name: "Predict", exact: true }).click();
    await expect(page.getByTestId("predicted-status")).toContainText("streaming");
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(page.getByTestId("predicted-status")).toContainText("prediction incomplete");
    await expect(page.getByTestId("predicted-error")).toContainText("stopped");
    const kept = await page.getByTestId("timeline-row").count();
    expect(kept).toBeGreaterThan(0);
  });
});

test.describe("with nothing configured", () => {
  test.use({ baseURL: `http://127.0.0.1:${PORTS.bare}` });

  test("the baseline works and is labelled as not a model; CWM explains how to connect", async ({ page }) => {
    await openWithCode(page, "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n", "f(3)");
    await expect(page.getByLabel("Predictor")).toHaveValue("baseline-syntax");
    await page.getByRole("button", { name: "Run & Predict" }).click();
    await expect(page.getByTestId("actual-status")).toContainText("returned 3", { timeout: 60_000 });
    await expect(page.getByTestId("predictor-info")).toContainText("Syntax-only baseline (not a model)");
    await expect(page.getByTestId("predictor-info")).not.toContainText(/CWM/);
    await expect(page.getByTestId("predictor-info")).not.toContainText("T=");
    await page.getByLabel("Predictor").selectOption("cwm-vllm");
    await expect(page.getByTestId("connect-help")).toContainText("CWM_VLLM_URL");
    await expect(page.getByRole("button", { name: "Predict", exact: true })).toBeDisabled();
  });
});
