import { recordedSample } from "./data";
import { expect, openWithCode, runAndWait, test } from "./fixtures";

test.describe("sharing a run", () => {
  test("Share stores the run; the link shows the same traces and metrics without starting an executor; Run re-executes", async ({ page, browser, baseURL }) => {
    const s = recordedSample("sample_4");
    await openWithCode(page, s.code, `f(${s.input})`);
    await page.getByRole("button", { name: "Run & Predict" }).click();
    await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
    await expect(page.getByTestId("predicted-status")).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
    const actualStatus = await page.getByTestId("actual-status").textContent();
    const stateExact = await page.locator('[data-metric="state_exact"]').textContent();
    await page.getByRole("button", { name: "Share" }).click();
    await expect(page.getByLabel("Link to this run")).toHaveValue(/\/r\/[A-Za-z0-9_-]+$/);
    const link = await page.getByLabel("Link to this run").inputValue();

    const fresh = await browser.newContext();
    const visitor = await fresh.newPage();
    const executorRequests: string[] = [];
    fresh.on("request", (r) => {
      if (/\/executor\/|\/pyodide\//.test(r.url())) executorRequests.push(r.url());
      expect(new URL(r.url()).origin).toBe(new URL(baseURL!).origin);
    });
    await visitor.goto(link);
    await expect(visitor.getByTestId("actual-status")).toHaveText(actualStatus!);
    await expect(visitor.locator('[data-metric="state_exact"]')).toHaveText(stateExact!);
    await expect(visitor.getByTestId("predictor-info")).toContainText("facebook/cwm");
    await expect(visitor.getByRole("button", { name: /Jump to first divergence/ })).toBeVisible();
    await visitor.waitForTimeout(1000);
    expect(executorRequests, "opening a shared link must not start the executor").toEqual([]);

    await visitor.getByRole("button", { name: "Run", exact: true }).click();
    await expect(visitor.getByTestId("rerun-status")).toContainText("matches the stored trace", { timeout: 60_000 });
    expect(executorRequests.length).toBeGreaterThan(0);

    // Fork opens the shared code in the editor as a new draft.
    await visitor.getByRole("link", { name: "Fork" }).click();
    await expect(visitor.getByLabel("Call")).toHaveValue(`f(${s.input})`);
    await expect(visitor.getByTestId("editor")).toContainText("def f(");

    const embed = await fresh.newPage();
    await embed.goto(link.replace("/r/", "/embed/"));
    await expect(embed.getByRole("link", { name: /Open in playground/ })).toBeVisible();
    await expect(embed.getByTestId("actual-status")).toHaveText(actualStatus!);
    await fresh.close();
  });

  test("values holding HTML are shown as text, never as markup", async ({ page }) => {
    const payload = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
    await openWithCode(page, `def f():\n    s = ${JSON.stringify(payload)}\n    return s\n`, "f()");
    page.on("dialog", () => {
      throw new Error("a dialog opened: markup was executed");
    });
    await runAndWait(page);
    await expect(page.getByTestId("actual-status")).toContainText("<script>");
    await page.getByRole("button", { name: "Share" }).click();
    await expect(page.getByLabel("Link to this run")).toHaveValue(/\/r\/[A-Za-z0-9_-]+$/);
    const link = await page.getByLabel("Link to this run").inputValue();
    await page.goto(link);
    await expect(page.getByTestId("timeline")).toContainText("<img src=x onerror=");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("img[src=x]").count()).toBe(0);
  });

  test("an unknown run id is a 404 page", async ({ page }) => {
    const res = await page.goto("/r/AAAAAAAAAAAAAAAAAAAAAA");
    expect(res?.status()).toBe(404);
  });
});
