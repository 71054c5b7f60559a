/**
 * Keyboard only, from the top of the page: Tab reaches Run without being trapped in the editor
 * (and without typing into it), Run runs, the timeline is reached by Tab and stepped with the
 * arrow keys, and the code is exactly what it was at the start.
 */
import type { Page } from "@playwright/test";
import { expect, openWithCode, test } from "./fixtures";

const CODE = "def total(nums):\n    s = 0\n    for n in nums:\n        s += n\n    return s\n";
const MAX_TABS = 80;

/** What has focus, described well enough to tell two stops apart and to recognise targets. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { key: "body", name: "", inEditor: false, inTimeline: false, role: "", tag: "body" };
    const name = (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
    const path: string[] = [];
    for (let n: Element | null = el; n && n !== document.body; n = n.parentElement)
      path.unshift(`${n.tagName}:${[...(n.parentElement?.children ?? [])].indexOf(n)}`);
    return {
      key: path.join("/"),
      name,
      inEditor: el.closest(".monaco-editor") !== null,
      inTimeline: el.closest('[data-testid="timeline"]') !== null,
      role: el.getAttribute("role") ?? "",
      tag: el.tagName.toLowerCase(),
    };
  });
}

/** The editor's text as the model holds it (Monaco renders spaces as no-break spaces). */
async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = window as unknown as { monaco?: { editor: { getModels(): { getValue(): string }[] } } };
    const models = w.monaco?.editor.getModels() ?? [];
    if (models.length > 0) return models.map((m) => m.getValue()).join("\n---\n");
    const lines = [...document.querySelectorAll('[data-testid="editor"] .view-line')] as HTMLElement[];
    return lines
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((l) => (l.textContent ?? "").replace(/\u00a0/g, " "))
      .join("\n");
  });
}

/** Presses Tab until `want` holds for the focused element; fails if focus sticks or wraps. */
async function tabUntil(page: Page, what: string, want: (f: Awaited<ReturnType<typeof focused>>) => boolean) {
  const seen: string[] = [];
  let previous = (await focused(page)).key;
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    seen.push(`${f.tag}${f.role ? `[${f.role}]` : ""} "${f.name}"${f.inEditor ? " (editor)" : ""}`);
    if (want(f)) return f;
    expect(f.key, `Tab is trapped at ${seen[seen.length - 1]}; stops so far:\n${seen.join("\n")}`).not.toBe(previous);
    previous = f.key;
  }
  throw new Error(`${what} not reached in ${MAX_TABS} Tabs; stops:\n${seen.join("\n")}`);
}

async function currentStep(page: Page): Promise<number> {
  const row = page.locator('[data-testid="timeline-row"][aria-current="step"], [data-testid="timeline-row"][data-selected="true"]').first();
  await expect(row).toBeAttached();
  return Number(await row.getAttribute("data-index"));
}

test.describe("keyboard only", () => {
  test("Tab from the top reaches Run, Run runs, the timeline steps with the arrows, and the code is unchanged", async ({ page }) => {
    await openWithCode(page, CODE, "total([1, 2, 3])");
    const before = await editorText(page);
    expect(before).toContain("s += n");
    // Start from the top of the document, as after opening the page.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });

    const run = await tabUntil(page, "the Run button", (f) => f.tag === "button" && f.name === "Run");
    expect(run.inEditor).toBe(false);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("actual-status")).toContainText("returned 6", { timeout: 60_000 });
    expect(await page.getByTestId("timeline-row").count()).toBeGreaterThan(5);

    // Focus after Run is somewhere sensible (not lost to <body>); from there Tab reaches the timeline.
    const after = await focused(page);
    expect(after.key, "focus is lost after Run").not.toBe("body");
    const inTimeline = after.inTimeline ? after : await tabUntil(page, "the timeline", (f) => f.inTimeline);
    expect(inTimeline.inEditor).toBe(false);

    await page.keyboard.press("Home");
    const first = await currentStep(page);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => currentStep(page)).toBe(first + 2);
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => currentStep(page)).toBe(first + 1);
    await page.keyboard.press("End");
    await expect(page.locator('[data-testid="timeline-row"][aria-current="step"]')).toContainText("return");

    expect(await editorText(page), "the keyboard journey changed the code").toBe(before);
  });

  test("Tab through the editor does not type into it", async ({ page }) => {
    await openWithCode(page, CODE, "total([1, 2, 3])");
    const before = await editorText(page);
    await page.getByTestId("editor").locator(".monaco-editor textarea").first().focus();
    await page.keyboard.press("Tab");
    const f = await focused(page);
    expect(f.inEditor, "Tab inside the editor keeps focus in it (Tab-focus mode is off)").toBe(false);
    expect(await editorText(page)).toBe(before);
  });
});
