/**
 * Recorded CWM generations loaded in the browser: the gallery's "debug-helper" has a recorded
 * generation in e2e/fixtures/examples-replay.jsonl (our own, made by make-examples-replay.ts).
 * The prediction is read from the file, labelled "CWM (recorded)" with the file's name, and no
 * prediction request reaches the server.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const FILE = path.join(import.meta.dirname, "fixtures/examples-replay.jsonl");

async function openExample(page: Page, id: string) {
  await page.goto("/");
  await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
  await page.getByLabel("Examples").selectOption(id);
}

test("a recording loaded from a file predicts the matching program, labelled as recorded, without the server", async ({ page }) => {
  const predictCalls: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/predict/") || new URL(r.url()).pathname === "/api/predict") predictCalls.push(r.url());
  });
  await openExample(page, "debug-helper");
  await page.getByTestId("recorded-file").setInputFiles(FILE);
  await expect(page.getByTestId("recorded-status")).toContainText("examples-replay.jsonl");
  await expect(page.getByLabel("Predictor")).toHaveValue("recorded");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("actual-status")).toContainText("returned 5", { timeout: 60_000 });
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("Prediction — CWM (recorded) · examples-replay.jsonl");
  // The recording is wrong on purpose at the last step (5 → 6, see make-examples-replay.ts).
  await expect(page.getByTestId("predicted-status")).toContainText("returns 6");
  await expect(page.getByTestId("predictor-info")).toContainText("CWM (recorded) · model examples-replay.jsonl");
  expect(predictCalls).toEqual([]);
});

test("a program the recording does not hold fails with a message naming the file", async ({ page }) => {
  await openExample(page, "debug-helper");
  await page.getByTestId("recorded-file").setInputFiles(FILE);
  await page.getByLabel("Call").fill("sum_squares(4)");
  await page.getByRole("button", { name: "Predict", exact: true }).click();
  await expect(page.getByTestId("predicted-error")).toContainText("examples-replay.jsonl has no recorded generation for this code and call");
});

test("a file that is not a recording is refused with its line, and the predictors stay as they were", async ({ page }) => {
  await openExample(page, "debug-helper");
  await page.getByTestId("recorded-file").setInputFiles({ name: "notes.jsonl", mimeType: "text/plain", buffer: Buffer.from('{"id": "a"}\n') });
  await expect(page.getByTestId("recorded-error")).toContainText("notes.jsonl line 1");
  await expect(page.getByLabel("Predictor")).not.toHaveValue("recorded");
  await expect(page.getByTestId("recorded-status")).toHaveCount(0);
});
