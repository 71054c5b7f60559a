/**
 * The screens the playground is used on: a projector (1280×720, also at 150 % zoom) and a
 * phone (390×844, touch). Checked on layout, not pixels: rows visible at once, timelines above
 * the fold, source text not truncated, touch targets, hover details reachable by tap.
 */
import type { Page } from "@playwright/test";
import { expect, openWithCode, test } from "./fixtures";

/** 5 + 3×6 + 2 = 25 frames or so: more than the 12 rows a projector must show at once. */
const LOOP = "def total(nums):\n    s = 0\n    for n in nums:\n        s += n\n    return s\n";
const LOOP_CALL = "total([3, 1, 4, 1, 5, 9])";
/** Lines much wider than a phone, which must wrap rather than be cut. */
const WIDE =
  "def describe(first_value, second_value):\n" +
  "    combined_total_of_both_values = first_value * 1000 + second_value * 1000 + first_value * second_value\n" +
  "    message = 'the combined total of both values is ' + str(combined_total_of_both_values) + ' units'\n" +
  "    return message\n";

async function runAndPredictBaseline(page: Page) {
  await page.getByLabel("Predictor").selectOption("baseline-syntax");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
  await expect(page.getByTestId("predicted-status")).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
}

/**
 * Rows visible without scrolling the page: inside the window and inside the timeline's own
 * scroll box (a virtualised list renders rows beyond it). A row counts when at least 90 % of
 * its height shows: one clipped by its bottom border or padding is still read whole. Also
 * returns the geometry, printed when the count is short.
 */
async function fullyVisibleRows(page: Page): Promise<{ count: number; geometry: string }> {
  return page.evaluate(() => {
    const box = document.querySelector('[data-testid="timeline"]')?.getBoundingClientRect();
    if (!box) return { count: 0, geometry: "no timeline" };
    const top = Math.max(0, box.top);
    const bottom = Math.min(window.innerHeight, box.bottom);
    const rows = [...document.querySelectorAll('[data-testid="timeline-row"]')].map((row) => row.getBoundingClientRect());
    const inside = rows.filter((r) => r.height > 0 && Math.min(r.bottom, bottom) - Math.max(r.top, top) >= 0.9 * r.height);
    const geometry = `window ${window.innerWidth}×${window.innerHeight}, timeline box ${Math.round(box.top)}–${Math.round(box.bottom)}, rows (top–bottom): ${rows
      .filter((r) => r.bottom > top && r.top < bottom + 100)
      .map((r) => `${Math.round(r.top)}–${Math.round(r.bottom)}`)
      .join(", ")}`;
    return { count: inside.length, geometry };
  });
}

test.describe("projector: 1280×720", () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("at least 12 timeline rows are visible at once after a run with more than 12 frames", async ({ page }) => {
    await openWithCode(page, LOOP, LOOP_CALL);
    await runAndPredictBaseline(page);
    expect(await page.getByTestId("timeline-row").count()).toBeGreaterThan(12);
    await page.evaluate(() => window.scrollTo(0, 0));
    const seen = await fullyVisibleRows(page);
    expect(seen.count, seen.geometry).toBeGreaterThanOrEqual(12);
  });
});

test.describe("projector at 150 % zoom", () => {
  // Browser zoom divides the CSS viewport by the zoom factor: 1280×720 at 150 % lays out as an
  // 853×480 CSS px viewport, which is what media queries and layout see. deviceScaleFactor
  // alone is not zoom (it only renders more device pixels per CSS px, layout unchanged); it is
  // set too so text renders as it would on that screen.
  test.use({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });

  test("the timelines stay above the fold: visible rows of both columns without scrolling the page", async ({ page }) => {
    await openWithCode(page, LOOP, LOOP_CALL);
    await runAndPredictBaseline(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    const timeline = await page.getByTestId("timeline").boundingBox();
    expect(timeline, "the timeline is laid out").not.toBeNull();
    expect(timeline!.y, "the timeline starts inside the first screen").toBeLessThan(480);
    // Enough of it to follow a trace: several whole rows, each with the real and predicted side.
    const seen = await fullyVisibleRows(page);
    expect(seen.count, seen.geometry).toBeGreaterThanOrEqual(4);
    await expect(page.getByTestId("actual-status")).toBeInViewport();
  });
});

test.describe("phone: 390×844, touch", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 });

  test("each row shows its source text in full, wrapped rather than cut", async ({ page }) => {
    await openWithCode(page, WIDE, "describe(12, 34)");
    await runAndPredictBaseline(page);
    const rows = page.getByTestId("timeline-row");
    expect(await rows.count()).toBeGreaterThan(3);
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="timeline-row"] code')]
        .filter((el) => {
          const e = el as HTMLElement;
          const style = getComputedStyle(e);
          const clipped = e.scrollWidth > e.clientWidth + 1 && style.overflowX !== "visible";
          const ellipsis = style.textOverflow === "ellipsis" && e.scrollWidth > e.clientWidth + 1;
          return clipped || ellipsis || /…$/.test(e.textContent ?? "");
        })
        .map((e) => e.textContent),
    );
    expect(cut, "source text truncated in a row").toEqual([]);
    // The wide line itself is on screen, whole, in some row.
    await expect(page.getByTestId("timeline")).toContainText(
      "combined_total_of_both_values = first_value * 1000 + second_value * 1000 + first_value * second_value",
    );
  });

  test("the step buttons are at least 44×44 CSS px", async ({ page }) => {
    await openWithCode(page, LOOP, LOOP_CALL);
    await runAndPredictBaseline(page);
    for (const name of ["First step", "Previous step", "Next step", "Last step"]) {
      const box = await page.getByRole("button", { name, exact: true }).boundingBox();
      expect(box, `${name} is laid out`).not.toBeNull();
      expect(box!.width, `${name} width`).toBeGreaterThanOrEqual(44);
      expect(box!.height, `${name} height`).toBeGreaterThanOrEqual(44);
    }
  });

  test("the details shown on hover (a difference's two values) are reachable by tap", async ({ page }) => {
    // The syntax baseline reads top to bottom and does not loop: its locals differ from reality.
    await openWithCode(page, LOOP, "total([3, 1, 4])");
    await runAndPredictBaseline(page);
    const marker = page.locator('[data-testid="timeline"] [data-diff]').first();
    await expect(marker).toBeAttached();
    await marker.scrollIntoViewIfNeeded();
    const hover = (await marker.getAttribute("title")) ?? "";
    expect(hover, "the difference carries its details").not.toBe("");
    await marker.tap();
    // After a tap the same details are on screen as text, not only in a hover tooltip.
    await expect(page.getByText(hover, { exact: false }).filter({ visible: true }).first()).toBeVisible();
  });
});
