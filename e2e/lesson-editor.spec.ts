/**
 * Authoring a lesson in the playground (issue 11): Add to lesson on two runs, the editor
 * (questions picked from the real trace, notes with a preview, reordering), Publish, Fork, and
 * what must never happen: markup from a title or notes executing, a refused publish losing the
 * draft, an unreadable stored draft breaking the page.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import type { AxeResults } from "axe-core";
import { expect, openWithCode, runAndWait, test } from "./fixtures";

const SUM = "def total(nums):\n    s = 0\n    for n in nums:\n        s += n\n    return s\n";
const DOWN = "def countdown(n):\n    while n > 0:\n        n -= 1\n    return n\n";
const XSS_TITLE = '<img src=x onerror="window.__xss=1"> Loops';
const XSS_NOTES = '**Watch `s`** grow.\n\n<script>window.__xss=2</script><img src=x onerror="window.__xss=3">';
const DRAFT_KEY = "cwm-playground:lesson-draft:v1";
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe;
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      resultTypes: ["violations"],
    });
    return r.violations.flatMap((v) => v.nodes.map((n) => `[${v.id}] ${n.target.join(" ")} :: ${v.help} :: ${n.html.slice(0, 160)}`));
  });
}

async function addToLesson(page: Page, expected: RegExp) {
  await page.getByRole("button", { name: "Add to lesson" }).click();
  await expect(page.getByTestId("add-to-lesson-status")).toContainText(expected);
}

async function publish(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByLabel("Link to the lesson")).toHaveValue(/\/l\/[A-Za-z0-9_-]{16,}$/);
  return (await page.getByLabel("Link to the lesson").inputValue()).split("/l/")[1];
}

function noMarkupRan(page: Page) {
  return page.evaluate(() => (window as unknown as { __xss?: number }).__xss);
}

test.describe("lesson authoring", () => {
  test("two runs become a lesson: questions from the trace, notes, reorder, publish, fork", async ({ page, request }) => {
    page.on("dialog", () => {
      throw new Error("a dialog opened: markup was executed");
    });
    await openWithCode(page, SUM, "total([1, 2, 3])");
    await expect(page.getByRole("button", { name: "Add to lesson" })).toBeDisabled();
    await runAndWait(page);
    await addToLesson(page, /Added slide 1 to the lesson: def total\(nums\): · total\(\[1, 2, 3\]\)/);
    await expect(page.getByRole("link", { name: "Lesson (1 slide)" })).toBeVisible();

    // A run already shared is not stored again. (about:blank first: a new hash alone does not reload the page.)
    await page.goto("about:blank");
    await openWithCode(page, DOWN, "countdown(2)");
    await runAndWait(page);
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/runs") posts.push(r.url());
    });
    await page.getByRole("button", { name: "Share" }).click();
    await expect(page.getByLabel("Link to this run")).toHaveValue(/\/r\/[A-Za-z0-9_-]+$/);
    const sharedDown = (await page.getByLabel("Link to this run").inputValue()).split("/r/")[1];
    await addToLesson(page, /Added slide 2/);
    expect(posts).toHaveLength(1);

    await page.getByRole("link", { name: "Lesson (2 slides)" }).click();
    await expect(page).toHaveURL(/\/lessons\/new$/);
    const slides = page.getByTestId("draft-slide");
    await expect(slides).toHaveCount(2);
    const first = slides.nth(0);
    // total([1, 2, 3]): frames 0-1 the entry wrapper, 2 the call, 3 `s = 0`, 4 `for`, 5 `s += n` with s = 0.
    await first.getByRole("button", { name: /^Ask the value of s at frame 5 \(line 4\)$/ }).click();
    // Keyboard alone: Space on a frame number, Enter on a move button.
    await first.getByRole("button", { name: /^Ask which line runs after frame 4 \(line 3\)$/ }).press("Space");
    await expect(first.getByTestId("slide-questions")).toContainText("What is s when line 4 is about to run (1st time)?");
    await expect(first.getByTestId("slide-questions")).toContainText("Which line runs after line 3 (1st time)?");
    await expect(first.getByRole("button", { name: /^Ask the value of s at frame 5/ })).toHaveAttribute("aria-pressed", "true");
    // The last frame has no next line to ask for.
    const frameCount = await first.getByTestId("editor-frames").locator("tbody tr").count();
    await expect(first.getByRole("button", { name: new RegExp(`^Ask which line runs after frame ${frameCount - 1}\\b`) })).toHaveCount(0);
    await expect(first.getByRole("button", { name: new RegExp(`^Ask which line runs after frame ${frameCount - 2}\\b`) })).toHaveCount(1);

    await page.getByLabel("Notes for slide 1 (Markdown)").fill(XSS_NOTES);
    await expect(first.getByTestId("notes-preview").locator("strong")).toContainText("Watch");
    await expect(first.getByTestId("notes-preview")).toContainText("<script>window.__xss=2</script>");
    await slides.nth(1).getByRole("button", { name: "Ask whether countdown(2) finishes" }).click();

    await page.getByRole("button", { name: "Move slide 1 down" }).press("Enter");
    await expect(slides.nth(0)).toContainText("def countdown(n):");
    await expect(page.getByRole("button", { name: "Move slide 2 up" })).toBeFocused();
    await expect(page.getByTestId("editor-status")).toHaveText("Moved slide 1 to position 2.");

    // Publishing without a title is refused before anything is sent; the draft stays.
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByTestId("publish-error")).toContainText("title is empty");
    await page.getByLabel("Title").fill(XSS_TITLE);
    await expect(page.getByText(`${[...XSS_TITLE].length} / 120 characters`)).toBeVisible();
    const id = await publish(page);
    await expect(page.getByRole("link", { name: "Present" })).toHaveAttribute("href", `/present/${id}`);
    await expect(page.getByRole("link", { name: "Study" })).toHaveAttribute("href", `/l/${id}`);

    const res = await request.get(`/api/lessons/${id}`);
    expect(res.status()).toBe(200);
    const lesson = (await res.json()) as { title: string; slides: { run: { id: string; code: string }; notes: string | null; questions: unknown[] }[] };
    expect(lesson.title).toBe(XSS_TITLE);
    expect(lesson.slides.map((s) => s.run.code)).toEqual([DOWN, SUM]);
    expect(lesson.slides[0].run.id).toBe(sharedDown);
    expect(lesson.slides[0].questions).toEqual([{ kind: "halts" }]);
    expect(lesson.slides[1].questions).toEqual([
      { kind: "value", frame: 5, name: "s" },
      { kind: "next_line", frame: 4 },
    ]);
    expect(lesson.slides[1].notes).toBe(XSS_NOTES);

    // Fork: the draft is not empty, so the editor asks before replacing it.
    await page.goto(`/lessons/new?fork=${id}`);
    await expect(page.getByTestId("fork-confirm")).toBeVisible();
    await page.getByRole("button", { name: "Replace my draft" }).click();
    await expect(page.getByTestId("fork-status")).toContainText("Replaced the draft");
    await expect(page).toHaveURL(/\/lessons\/new$/);
    await expect(page.getByLabel("Title")).toHaveValue(XSS_TITLE);
    await expect(page.getByTestId("forked-from")).toContainText(id);
    await page.getByLabel("Title").fill("Loops, second edition");
    const second = await publish(page);
    expect(second).not.toBe(id);
    const forked = (await (await request.get(`/api/lessons/${second}`)).json()) as typeof lesson;
    expect(forked.title).toBe("Loops, second edition");
    expect(forked.slides.map((s) => [s.run.id, s.questions, s.notes])).toEqual(lesson.slides.map((s) => [s.run.id, s.questions, s.notes]));
    expect(((await (await request.get(`/api/lessons/${id}`)).json()) as typeof lesson).title).toBe(XSS_TITLE);

    expect(await noMarkupRan(page)).toBeUndefined();
    expect(await page.locator("img[src=x]").count()).toBe(0);
  });

  test("a refused publish shows the server's message and keeps the draft", async ({ page }) => {
    const draft = { version: 1, title: "Ghost", forkedFrom: null, slides: [{ run: "AAAAAAAAAAAAAAAA", title: "def ghost():", notes: "kept", questions: [] }] };
    await page.addInitScript(([k, v]) => window.localStorage.setItem(k, v), [DRAFT_KEY, JSON.stringify(draft)] as const);
    await page.goto("/lessons/new");
    await expect(page.getByTestId("draft-slide")).toHaveCount(1);
    await expect(page.getByTestId("draft-slide")).toContainText("Could not load this slide's run");
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByTestId("publish-error")).toContainText('no saved run with id "AAAAAAAAAAAAAAAA"');
    await expect(page.getByTestId("publish-error")).toContainText("Your draft is kept");
    await page.reload();
    await expect(page.getByLabel("Title")).toHaveValue("Ghost");
    await expect(page.getByLabel("Notes for slide 1 (Markdown)")).toHaveValue("kept");
  });

  test("an unreadable stored draft is dropped with a notice; a bad fork id is refused", async ({ page }) => {
    await page.addInitScript((k) => window.localStorage.setItem(k, '{"version":1,"slides":"<script>'), DRAFT_KEY);
    await page.goto("/lessons/new?fork=..%2F..%2Fetc");
    await expect(page.getByText(/could not be read .* was dropped/)).toBeVisible();
    await expect(page.getByTestId("no-slides")).toBeVisible();
    await expect(page.getByTestId("fork-status")).toContainText("not a lesson id");
    await page.goto("/lessons/new?fork=AAAAAAAAAAAAAAAA");
    await expect(page.getByTestId("fork-status")).toContainText("Could not load the lesson AAAAAAAAAAAAAAAA");
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`the lesson editor with a slide, questions and notes has no WCAG 2.2 A/AA violations (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openWithCode(page, SUM, "total([4, 5])");
      await runAndWait(page);
      await addToLesson(page, /Added slide 1/);
      await page.getByRole("link", { name: /^Lesson \(1 slide\)$/ }).click();
      await page.getByRole("button", { name: /^Ask the value of s at frame 5/ }).click();
      await page.getByRole("button", { name: /^Ask what total\(\[4, 5\]\) returns$/ }).click();
      await page.getByLabel("Notes for slide 1 (Markdown)").fill("# Heading\n\nSome `code` and a [link](https://example.org).");
      await page.getByRole("button", { name: "Publish", exact: true }).click();
      await expect(page.getByTestId("publish-error")).toBeVisible();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const violations = await axeViolations(page);
      expect(violations, violations.join("\n")).toEqual([]);
    });
  }
});
