import { test as base, expect, type Page, type Request } from "@playwright/test";

/**
 * Every test records the requests of its browser context (pages and workers) and fails if any
 * left the app's origin: the product must work on a closed network.
 */
export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const off = new Map<Request, string>();
      const leaves = (url: string) => {
        if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) return false;
        try {
          return new URL(url).origin !== origin;
        } catch {
          return true;
        }
      };
      context.on("request", (r) => {
        if (leaves(r.url())) off.set(r, r.url());
      });
      // Chromium reports a request the Content-Security-Policy blocked (it never left the
      // browser) as a request that then failed with the reason "csp".
      context.on("requestfailed", (r) => {
        const why = r.failure()?.errorText ?? "";
        if (why === "csp" || why.includes("BLOCKED_BY_CSP")) off.delete(r);
      });
      await use([]);
      expect([...off.values()], "requests that left the app's origin").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Opens the playground with the given code and call (through the URL hash, as shared links do). */
export async function openWithCode(page: Page, code: string, call: string) {
  const enc = (s: string) => Buffer.from(s, "utf8").toString("base64url");
  await page.goto(`/#code=${enc(code)}&call=${enc(call)}`);
  await expect(page.getByTestId("interpreter-status")).toContainText("ready", { timeout: 60_000 });
}

export async function runAndWait(page: Page) {
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("actual-status")).not.toContainText("running", { timeout: 60_000 });
}

/** Shares the playground's finished run through the UI; the run id the server gave it. */
export async function shareRun(page: Page): Promise<string> {
  const posted = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/runs" && r.request().method() === "POST");
  await page.getByRole("button", { name: "Share" }).click();
  const res = await posted;
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
