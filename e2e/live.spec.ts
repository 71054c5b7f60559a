/**
 * A live class through the UI: a teacher presents a lesson and starts a live session; three
 * students (one on a phone-sized screen) join with the code, answer, and see the reveal. The
 * lesson's run is made in the playground (Run & Predict with the fake chat model, a perfect
 * model of any program) and shared, as a teacher would.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import type { AxeResults } from "axe-core";
import { FAKE_CHAT } from "../playwright.config";
import { expect, openWithCode, shareRun, test } from "./fixtures";

const CODE = 'def rev(word):\n    s = ""\n    for ch in word:\n        s = ch + s\n    return s\n';
const CALL = 'rev("abc")';
/** Reality's answer: s when line 4 is about to run the third time. Nowhere in the code or call. */
const REAL = "'ba'";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function axeViolations(page: Page, where: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const found = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `[${v.id}] ${v.help} :: ${n.target.join(" ")} :: ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`));
  }, WCAG_TAGS);
  if (found.length) console.log(`axe violations on ${where}:\n${found.join("\n")}`);
  return found;
}

async function expectAccessible(page: Page, where: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page, `${where} (${scheme})`), `axe on ${where} (${scheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** Runs the code with the chat model predicting, shares it, and returns the run id. */
async function runPredictAndShare(page: Page): Promise<string> {
  await openWithCode(page, CODE, CALL);
  await page.getByLabel("Predictor").selectOption(`chat:${FAKE_CHAT.name}`);
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
  await expect(page.getByTestId("predicted-status")).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
  return shareRun(page);
}

/** A lesson of one slide asking for `s` at the frame where it is 'ba' and line 4 is next. */
async function makeLesson(page: Page): Promise<string> {
  const runId = await runPredictAndShare(page);
  const run = (await (await page.request.get(`/api/runs/${runId}`)).json()) as {
    actual: { frames: { line: number | null; locals?: Record<string, string> }[] };
  };
  const frame = run.actual.frames.findIndex((f) => f.line === 4 && f.locals?.s === REAL);
  expect(frame).toBeGreaterThan(0);
  const res = await page.request.post("/api/lessons", {
    data: { title: "Reversing a word", slides: [{ run: runId, questions: [{ kind: "value", frame, name: "s" }, { kind: "return" }] }] },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

interface Student {
  context: BrowserContext;
  page: Page;
}

async function joinAs(browser: Browser, baseURL: string, code: string, name: string, phone: boolean): Promise<Student> {
  const context = await browser.newContext({
    baseURL,
    ...(phone ? { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 } : {}),
  });
  const page = await context.newPage();
  await page.goto("/join");
  await page.getByLabel("Join code").fill(code.toLowerCase());
  await expect(page.getByLabel("Join code")).toHaveValue(code);
  await page.getByLabel(/Nickname/).fill(name);
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(/\/live\/[A-Za-z0-9_-]+$/);
  return { context, page };
}

async function answer(s: Student, text: string) {
  const box = s.page.getByLabel("Your answer");
  await expect(box).toBeEnabled();
  await box.fill(text);
  const posted = s.page.waitForResponse((r) => /\/api\/live\/[^/]+\/answers$/.test(new URL(r.url()).pathname));
  await s.page.getByRole("button", { name: /Submit|Change answer/ }).click();
  expect((await posted).status()).toBe(200);
  await expect(s.page.getByTestId("live-answer-status")).toContainText(`Your answer: ${text.trim()}`);
}

async function bars(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const b of await page.getByTestId("histogram-bar").all()) out[(await b.getAttribute("data-answer"))!] = Number(await b.getAttribute("data-count"));
  return out;
}

test.describe("a live class", () => {
  test.setTimeout(300_000);

  test("three students answer one question from open to reveal; the histogram counts them; nobody sees the answer early", async ({
    page,
    browser,
    baseURL,
  }) => {
    const lesson = await makeLesson(page);

    // The teacher starts the session from the presentation's title slide.
    await page.goto(`/present/${lesson}`);
    await page.getByRole("button", { name: "Start live session" }).click();
    await expect(page).toHaveURL(new RegExp(`/present/${lesson}\\?live=[A-Za-z0-9_-]+$`));
    const panel = page.getByTestId("teacher-panel");
    const code = (await panel.getByTestId("join-code").textContent())!.trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    await expect(panel.getByTestId("qr-code")).toBeVisible();
    await expect(panel).toContainText(`/join`);

    const phone = await joinAs(browser, baseURL!, code, "Ada", true);
    const s2 = await joinAs(browser, baseURL!, code, "Grace", false);
    // The third follows the QR code's link: the code is filled in.
    const s3ctx = await browser.newContext({ baseURL });
    const s3page = await s3ctx.newPage();
    await s3page.goto(`/join?code=${code}`);
    await expect(s3page.getByLabel("Join code")).toHaveValue(code);
    await s3page.getByRole("button", { name: "Join" }).click();
    await expect(s3page).toHaveURL(/\/live\//);
    const s3 = { context: s3ctx, page: s3page };
    const students = [phone, s2, s3];
    await expect(panel.getByTestId("live-counts")).toContainText("3 joined");

    // The question is on every phone before it opens; the input waits.
    await expect(panel.getByTestId("live-phase")).toHaveText("Not open yet");
    for (const s of students) await expect(s.page.getByLabel("Your answer")).toBeDisabled();
    await page.getByRole("button", { name: "Open answers" }).click();
    await expect(panel.getByTestId("live-phase")).toHaveText(/Open/);
    for (const s of students) {
      await expect(s.page.getByTestId("live-prompt")).toHaveText("What is s when line 4 is about to run (3rd time)?");
      await expect(s.page.locator('[aria-current="step"]')).toContainText("s = ch + s");
    }

    await answer(phone, "'ba'");
    await answer(s2, ' "ba" ');
    await answer(s3, "'ab'");
    // Changeable until locked: the third student changes their mind and back.
    await answer(s3, "'cba'");
    await expect(panel.getByTestId("live-counts")).toContainText("3 answered");
    // "ba" and 'ba' are one value once the teacher's sandbox has parsed them.
    await expect.poll(() => bars(page), { timeout: 60_000 }).toEqual({ [REAL]: 2, "'cba'": 1 });
    // Before the reveal no bar is marked correct and no screen holds the answer key.
    await expect(panel).not.toContainText("correct");
    expect(await s3.page.content()).not.toContain(REAL);
    for (const s of students) {
      await expect(s.page.getByTestId("live-reveal")).toHaveCount(0);
      const html = await s.page.content();
      expect(html).not.toContain("Reality");
      expect(html).not.toContain("The model");
    }
    // A phone that reloads shows its stored answer.
    await phone.page.reload();
    await expect(phone.page.getByTestId("live-answer-status")).toContainText(`Your answer: ${REAL}`);
    await expectAccessible(phone.page, "/live/<id> with an open question");

    await page.getByRole("button", { name: "Lock answers" }).click();
    await expect(panel.getByTestId("live-phase")).toHaveText(/Locked/);
    await expect(s2.page.getByLabel("Your answer")).toBeDisabled();
    await expect(s2.page.getByTestId("live-answer-status")).toContainText("Answers are locked");

    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(panel.getByTestId("live-phase")).toHaveText("Revealed");
    await expect(panel.locator(`[data-testid="histogram-bar"][data-answer="${REAL}"]`)).toContainText("✓ correct");
    await expect(panel.getByTestId("live-key")).toContainText(`Reality: ${REAL}`);
    await expect(panel.getByTestId("live-key")).toContainText(FAKE_CHAT.model);
    await expect(panel.getByTestId("live-key")).toContainText("— right.");
    await expectAccessible(page, "/present/<id>?live=<session> after the reveal");

    // Each phone scores its own answer in its own sandbox: "ba" is 'ba'.
    await expect(phone.page.getByTestId("live-verdict")).toHaveText("✓ You were right.", { timeout: 60_000 });
    await expect(s2.page.getByTestId("live-verdict")).toHaveText("✓ You were right.", { timeout: 60_000 });
    await expect(s3.page.getByTestId("live-verdict")).toHaveText("✗ Not this time.", { timeout: 60_000 });
    await expect(phone.page.getByTestId("live-reveal")).toContainText(`Reality: ${REAL}`);
    await expect(phone.page.getByTestId("live-reveal")).toContainText(FAKE_CHAT.model);
    // The phone scores the model in its own sandbox too, so it agrees with the projector.
    await expect(phone.page.getByTestId("live-reveal")).toContainText("— right.", { timeout: 60_000 });
    await expectAccessible(phone.page, "/live/<id> after the reveal");
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the phone never scrolls sideways").toBe(true);

    // Next question: every phone shows it with an empty, closed box; the old answer stays with the old question.
    await page.getByRole("button", { name: "Next question" }).click();
    await expect(panel.getByTestId("live-phase")).toHaveText("Not open yet");
    for (const s of students) {
      await expect(s.page.getByTestId("live-prompt")).toHaveText('What does rev("abc") return?');
      await expect(s.page.getByLabel("Your answer")).toHaveValue("");
      await expect(s.page.getByLabel("Your answer")).toBeDisabled();
      await expect(s.page.getByTestId("live-reveal")).toHaveCount(0);
    }
    await expect(panel.getByTestId("histogram-bar")).toHaveCount(0);
    // An answer to the old question is refused and changes nothing.
    const stale = await s3.page.request.post(`${new URL(s3.page.url()).pathname.replace("/live/", "/api/live/")}/answers`, {
      data: { slide: 0, question: 0, answer: "'ba'" },
    });
    expect(stale.status()).toBe(409);
    await page.getByRole("button", { name: "Open answers" }).click();
    await answer(s3, "'cba'");
    await expect(panel.getByTestId("live-counts")).toContainText("1 answered");
    await expect.poll(() => bars(page), { timeout: 60_000 }).toEqual({ "'cba'": 1 });

    // The end: a summary per question and its CSV.
    await page.getByRole("button", { name: "End session…" }).click();
    await page.getByRole("button", { name: "Yes, end the session" }).click();
    await expect(panel.getByTestId("live-phase")).toHaveText("The session has ended");
    const table = panel.getByTestId("live-summary-table");
    await expect(table).toContainText("67% (2)", { timeout: 60_000 });
    await expect(table).toContainText("right");
    const download = page.waitForEvent("download");
    await panel.getByRole("link", { name: "Download CSV" }).click();
    const csv = fs.readFileSync((await (await download).path())!, "utf8");
    expect(csv).toContain("lesson,Reversing a word");
    expect(csv).toMatch(/\r\n1,1,What is `s` when line 4 is about to run \(3rd time\)\?,3,2,67,'ba',/);
    expect(csv).toMatch(/\r\n1,2,"?What does `rev\(""abc""\)` return\?"?,1,1,100,'cba',/);
    for (const s of students) await expect(s.page.getByText("The class has ended.")).toBeVisible();

    // The ended code no longer works.
    const late = await browser.newContext({ baseURL });
    const latePage = await late.newPage();
    await latePage.goto(`/join?code=${code}`);
    await latePage.getByRole("button", { name: "Join" }).click();
    // Next adds a route announcer with role alert of its own: the form's alert is found by its words.
    await expect(latePage.getByRole("alert").filter({ hasText: "Could not join" })).toContainText(/ended|no live session/i);
    for (const c of [phone.context, s2.context, s3ctx, late]) await c.close();
  });

  test("/join explains look-alike characters and is accessible in both schemes", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/join");
    await expectAccessible(page, "/join");
    await page.getByLabel("Join code").fill("ab0");
    await expect(page.getByText("0 (zero) and O are never in a code")).toBeVisible();
    await expect(page.getByRole("button", { name: "Join" })).toBeDisabled();
    await expectAccessible(page, "/join with a wrong code");
  });

  test("a page of a session this browser never joined says so instead of hanging", async ({ page }) => {
    await page.goto("/live/AAAAAAAAAAAAAAAAAAAAAA");
    await expect(page.getByRole("alert").filter({ hasText: /not joined|no live session/ })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("link", { name: "Join with a code" })).toBeVisible();
  });
});
