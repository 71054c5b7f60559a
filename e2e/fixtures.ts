import { test as base, expect, type Page } from "@playwright/test";

/**
 * Every test records the requests of its browser context (pages and workers) and fails if any
 * left the app's origin: the product must work on a closed network.
 */
export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const off: string[] = [];
      const check = (url: string) => {
        if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) return;
        try {
          if (new URL(url).origin !== origin) off.push(url);
        } catch {
          off.push(url);
        }
      };
      context.on("request", (r) => check(r.url()));
      context.on("serviceworker", (w) => check(w.url()));
      await use(off);
      expect(off, "requests that left the app's origin").toEqual([]);
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
