/**
 * Presentation mode (issue 11): a lesson made of runs shared from the playground, shown at
 * 1280×720 on a projector. Nothing scrolls, the code is at least 24 px, the clicker keys walk
 * line → question → model → reality with each answer absent from the page until its reveal,
 * the presenter view follows (and leads) in a second window, and both pass axe in both schemes.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import type { AxeResults } from "axe-core";
import { expect, openWithCode, runAndWait, shareRun, test } from "./fixtures";

const SHOUT = 'def shout(word):\n    out = ""\n    for ch in word:\n        out = ch.upper() + out\n    return out + "!"\n';
const SHOUT_CALL = 'shout("cwm")';
/** Appears nowhere on the page until reality is revealed (the code only has "cwm" in lower case). */
const SECRET = "MWC";
const NOTES = "**Ask first.** Then reveal. <script>window.__xss = 1</script> [bad](javascript:alert(1)) [paper](https://example.org/cwm)";

interface Frame {
  event: string;
  source: string;
  line: number | null;
  locals?: Record<string, string>;
}

async function framesOf(page: Page, run: string): Promise<Frame[]> {
  const res = await page.request.get(`/api/runs/${run}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { actual: { frames: Frame[] } }).actual.frames;
}

let lessonId: string | null = null;

/**
 * Two runs made in the playground (one predicted by CWM through the fake vLLM, one run only),
 * then a three-slide lesson through the API: questions on the first two, none on the third.
 */
async function lesson(page: Page): Promise<string> {
  if (lessonId) return lessonId;
  // The program first: openWithCode only changes the hash of an open playground.
  await openWithCode(page, SHOUT, SHOUT_CALL);
  await runAndWait(page);
  const plain = await shareRun(page);

  await page.getByLabel("Examples").selectOption("debug-helper");
  await expect(page.getByLabel("Predictor")).toHaveValue("cwm-vllm");
  await page.getByRole("button", { name: "Run & Predict" }).click();
  await expect(page.getByTestId("actual-status")).toContainText("returned", { timeout: 60_000 });
  await expect(page.getByTestId("predicted-status")).not.toContainText(/streaming|waiting/, { timeout: 60_000 });
  const predicted = await shareRun(page);
  expect(predicted).not.toBe(plain);

  const shoutFrames = await framesOf(page, plain);
  expect(
    shoutFrames.some((f) => f.source.includes("ch.upper()")),
    "the shared run is the program's",
  ).toBe(true);
  const atReturn = shoutFrames.findLastIndex((f) => f.event === "line" && f.line === 5);
  const atLoopBody = shoutFrames.findIndex((f) => f.event === "line" && f.line === 4);
  const sumFrames = await framesOf(page, predicted);
  const sAtReturn = sumFrames.findLastIndex((f) => f.event === "line" && f.locals && "s" in f.locals);
  const res = await page.request.post("/api/lessons", {
    data: {
      title: "Loops <b>by</b> hand",
      slides: [
        { run: predicted, notes: NOTES, questions: [{ kind: "value", frame: sAtReturn, name: "s" }, { kind: "return" }] },
        {
          run: plain,
          notes: "Strings are built *backwards* here.",
          questions: [
            { kind: "value", frame: atReturn, name: "out" },
            { kind: "next_line", frame: atLoopBody },
          ],
        },
        { run: plain, notes: "No questions: just the result." },
      ],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  lessonId = ((await res.json()) as { id: string }).id;
  return lessonId;
}

async function expectNoScroll(page: Page, where: string) {
  const m = await page.evaluate(() => {
    const inner = [...document.querySelectorAll<HTMLElement>("main *")].filter(
      // sr-only text is clipped to 1 px on purpose: not a scroller.
      (e) => e.clientHeight > 1 && e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== "visible",
    );
    return {
      page: document.scrollingElement!.scrollHeight,
      h: window.innerHeight,
      w: document.scrollingElement!.scrollWidth,
      iw: window.innerWidth,
      inner: inner.map((e) => e.outerHTML.slice(0, 80)),
    };
  });
  expect(m.page, `${where}: the page is taller than the window`).toBeLessThanOrEqual(m.h);
  expect(m.w, `${where}: the page is wider than the window`).toBeLessThanOrEqual(m.iw);
  expect(m.inner, `${where}: something inside scrolls`).toEqual([]);
}

/** Every visible text and every attribute of the page, scripts included: "absent" means absent. */
const pageHolds = async (page: Page, text: string) => (await page.content()).includes(text);

async function openProjector(page: Page, id: string) {
  await page.setViewportSize({ width: 1280, height: 720 });
  const res = await page.goto(`/present/${id}`);
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("title-slide")).toBeVisible();
  // The server-rendered slide shows before the keys are listened to: a clicker press must not be lost in a test.
  await expect(page.locator("[data-testid=projector][data-ready]")).toHaveCount(1);
}

/** With PRESENT_SHOTS=dir, what the projector shows is saved there for a person to look at. */
async function shot(page: Page, name: string) {
  if (process.env.PRESENT_SHOTS) await page.screenshot({ path: `${process.env.PRESENT_SHOTS}/${name}.png` });
}

/** Next until the header names this beat (keys go to the window, as a clicker's do). */
async function pressUntil(page: Page, key: string, description: RegExp) {
  for (let i = 0; i < 30; i++) {
    if (description.test((await page.getByTestId("beat-description").textContent()) ?? "")) return;
    await page.keyboard.press(key);
  }
  await expect(page.getByTestId("beat-description")).toHaveText(description);
}

test.describe("presentation mode", () => {
  test("the title slide shows the lesson's link large and a QR code drawn locally, and nothing scrolls at 1280×720", async ({ page, baseURL }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await expect(page.getByRole("heading", { level: 2 })).toHaveText("Loops <b>by</b> hand");
    await expect(page.getByTestId("lesson-link")).toHaveText(`${new URL(baseURL!).host}/l/${id}`);
    await expect(page.getByRole("img", { name: new RegExp(`QR code of the lesson's link, ${baseURL}/l/${id}`) })).toBeVisible();
    const qrBox = await page.getByTestId("qr-code").boundingBox();
    expect(qrBox!.width).toBeGreaterThanOrEqual(240);
    await shot(page, "title");
    await expectNoScroll(page, "title slide");
  });

  test("the clicker walks line → question → model → reality; each answer is absent until its reveal", async ({ page }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await page.keyboard.press("PageDown");
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 1 of 3 · the code");
    const px = await page.getByTestId("present-code").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(px).toBeGreaterThanOrEqual(24);
    await shot(page, "slide1-code");
    await expectNoScroll(page, "slide 1 code");

    // Number keys + Enter jump to a slide.
    await page.keyboard.press("2");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 2 of 3 · the code");
    expect(await pageHolds(page, SECRET), "the answer is in the page before any question").toBe(false);

    await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("present-line")).toHaveText("Line 5 is about to run.");
    await expect(page.locator("[data-current-line]")).toContainText('return out + "!"');
    await expect(page.getByTestId("present-question")).toHaveCount(0);

    await page.keyboard.press(" ");
    await expect(page.getByTestId("present-question")).toHaveText("What is out when line 5 is about to run?");
    await expect(page.getByTestId("present-question").locator("code")).toHaveText("out");
    await expect(page.getByTestId("model-help")).toHaveCount(0);
    expect(await pageHolds(page, SECRET), "the answer is in the page at the question").toBe(false);

    await page.keyboard.press("ArrowDown");
    // This run was shared without a prediction: the model column says so, never the baseline.
    await expect(page.getByTestId("model-help")).toContainText("No model prediction for this slide");
    await expect(page.getByTestId("real-answer")).toHaveCount(0);
    expect(await pageHolds(page, SECRET), "the answer is in the page before reality").toBe(false);
    await expect(page.getByText(/baseline/i)).toHaveCount(0);

    await page.keyboard.press("PageDown");
    await expect(page.getByTestId("real-answer")).toHaveText(`'${SECRET}'`);
    await shot(page, "slide2-reality");
    await expectNoScroll(page, "slide 2 reality");

    // Back hides reality again: it leaves the page, not just the screen.
    await page.keyboard.press("PageUp");
    await expect(page.getByTestId("real-answer")).toHaveCount(0);
    expect(await pageHolds(page, SECRET)).toBe(false);
  });

  test("a CWM prediction is revealed with its label and scored against reality", async ({ page }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await page.keyboard.press("PageDown");
    await pressUntil(page, "PageDown", /question 1 of 2 · the model's answer/);
    await expect(page.getByRole("region", { name: "The model's answer" })).toContainText("facebook/cwm");
    await expect(page.getByTestId("model-answer")).toHaveText(/^\d+$/);
    await expect(page.getByTestId("model-verdict")).toHaveCount(0);
    await page.keyboard.press("PageDown");
    await expect(page.getByTestId("real-answer")).toHaveText("5");
    await expect(page.getByTestId("model-verdict")).toHaveText(/The model was (right|wrong)/);
    await shot(page, "slide1-reality");
    await expectNoScroll(page, "slide 1 reality");
  });

  test("a slide without questions shows its notes and, at the last beat, the result", async ({ page }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await page.keyboard.press("End");
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 3 of 3 · the result");
    await expect(page.getByTestId("real-answer")).toHaveText(`'${SECRET}!'`);
    await expect(page.getByTestId("present-panel")).toContainText("No questions: just the result.");
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByTestId("real-answer")).toHaveCount(0);
    await page.keyboard.press("Home");
    await expect(page.getByTestId("title-slide")).toBeVisible();
  });

  test("B blanks the screen black and back; + and − change the code size, remembered after a reload", async ({ page }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await page.keyboard.press("PageDown");
    await page.keyboard.press("b");
    const blank = page.getByTestId("blank-screen");
    await expect(blank).toBeVisible();
    expect(await blank.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(0, 0, 0)");
    await page.keyboard.press("PageDown"); // lifts the blank without moving on
    await expect(blank).toHaveCount(0);
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 1 of 3 · the code");

    await page.keyboard.press("+");
    await expect(page.getByTestId("code-size")).toHaveText("26 px");
    await page.reload();
    await page.keyboard.press("PageDown");
    await expect(page.getByTestId("code-size")).toHaveText("26 px");
    expect(await page.getByTestId("present-code").evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBe(26);
    await page.keyboard.press("-");
    await expect(page.getByTestId("code-size")).toHaveText("24 px");
  });

  test("the teacher can walk the run to any frame on a code slide; the slider keeps its keys", async ({ page }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await page.keyboard.press("2");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 2 of 3 · the code");
    expect(await pageHolds(page, SECRET)).toBe(false);
    await page.getByRole("button", { name: "Walk the run (shows reality)" }).click();
    const slider = page.getByRole("slider");
    await slider.focus();
    await page.keyboard.press("End");
    await expect(page.getByTestId("frame-walk")).toContainText(`returns '${SECRET}!'`);
    await page.keyboard.press("Home");
    await expect(page.getByTestId("frame-walk")).toContainText("Frame 1 of");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    // The arrows moved the slider, not the deck: frames 1–2 are the entry wrapper's, 3 is the call of shout.
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 2 of 3 · the code");
    await expect(page.getByTestId("frame-walk")).toContainText("Frame 3 of");
    await expect(page.locator("[data-current-line]")).toContainText("def shout(word):");
    await expect(page.getByTestId("frame-walk-locals")).toContainText("'cwm'");
    await page.getByRole("button", { name: "Stop walking" }).click();
    await page.keyboard.press("PageDown");
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 2 of 3 · question 1 of 2 · the line about to run");
    expect(await pageHolds(page, SECRET), "walking is put away when the slide moves on").toBe(false);
  });

  test("the teacher can jump to any question from the Go to menu; it opens with the answer hidden", async ({ page }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await page.getByLabel("Go to").selectOption({ label: "2.2 Which line runs after line 4 (1st time)?" });
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 2 of 3 · question 2 of 2 · the line about to run");
    await page.keyboard.press("ArrowRight"); // the menu gave focus back: keys drive the deck again
    await expect(page.getByTestId("present-question")).toHaveText("Which line runs after line 4 (1st time)?");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("real-answer")).toHaveText("line 3");
  });

  test("the presenter view opens from the projector, shows notes, answer and what is next, and the two windows lead each other", async ({ page, context }) => {
    const id = await lesson(page);
    await openProjector(page, id);
    await page.keyboard.press("PageDown");
    await page.keyboard.press("PageDown");
    const popup = context.waitForEvent("page");
    await page.getByRole("button", { name: "Presenter view" }).click();
    const notes = await popup;
    await expect(notes).toHaveURL(new RegExp(`/present/${id}/notes$`));
    // A late joiner asks for the state and gets it.
    await expect(notes.getByTestId("notes-beat")).toHaveText("Slide 1 of 3 · question 1 of 2 · the line about to run");
    // The presenter sees the answer the class does not see yet, and the notes as safe Markdown.
    await expect(notes.getByTestId("real-answer")).toHaveText("5");
    await expect(notes.getByTestId("notes-text").locator("strong")).toHaveText("Ask first.");
    await expect(notes.getByTestId("notes-text")).toContainText("<script>window.__xss = 1</script>");
    await expect(notes.getByTestId("notes-text").locator("a")).toHaveCount(1);
    expect(await notes.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await expect(notes.getByTestId("notes-next")).toHaveText("Slide 1 of 3 · question 1 of 2 · the question");
    await shot(notes, "presenter-view");
    await expect(page.getByTestId("real-answer")).toHaveCount(0);

    // The projector leads.
    await page.keyboard.press("PageDown");
    await expect(notes.getByTestId("notes-beat")).toHaveText("Slide 1 of 3 · question 1 of 2 · the question");
    // The presenter view leads: its keys and buttons move the projector.
    await notes.bringToFront();
    await notes.keyboard.press("PageDown");
    await expect(page.getByTestId("beat-description")).toHaveText("Slide 1 of 3 · question 1 of 2 · the model's answer");
    await notes.getByRole("button", { name: "Next ▶" }).click();
    await expect(page.getByTestId("real-answer")).toHaveText("5");
    await notes.getByRole("button", { name: "Blank (B)" }).click();
    await expect(page.getByTestId("blank-screen")).toBeVisible();
    await page.keyboard.press("b");
    await expect(notes.getByTestId("notes-blank")).toHaveCount(0);
  });

  test("an unknown or malformed lesson id is a 404 page", async ({ page }) => {
    for (const path of ["/present/AAAAAAAAAAAAAAAAAAAAAA", "/present/AAAAAAAAAAAAAAAAAAAAAA/notes", "/present/%3Cscript%3E", "/present/x/notes"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      // The lesson's own 404, not the shared-run one the root not-found page words.
      await expect(page.getByRole("heading", { name: "Lesson not found" }), path).toBeVisible();
    }
  });
});

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function expectNoViolations(page: Page, where: string) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `[${v.id}] ${v.help} :: ${n.target.join(" ")} :: ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`));
  }, WCAG_TAGS);
  expect(violations, `axe (WCAG 2.2 A/AA) on ${where}`).toEqual([]);
}

for (const scheme of ["light", "dark"] as const) {
  test(`presentation pages have no WCAG 2.2 A/AA violations (${scheme})`, async ({ page, context }) => {
    const id = await lesson(page);
    await page.emulateMedia({ colorScheme: scheme });
    await openProjector(page, id);
    await expectNoViolations(page, `title slide (${scheme})`);
    await page.keyboard.press("PageDown");
    await pressUntil(page, "PageDown", /question 1 of 2 · reality/);
    await expectNoViolations(page, `slide 1 reality with the model's answer (${scheme})`);
    await pressUntil(page, "PageDown", /Slide 2 of 3 · question 1 of 2 · reality/);
    await expectNoViolations(page, `slide 2 reality without a model (${scheme})`);
    const notes = await context.newPage();
    await notes.emulateMedia({ colorScheme: scheme });
    await notes.goto(`/present/${id}/notes`);
    await expect(notes.getByTestId("notes-beat")).toHaveText("Slide 2 of 3 · question 1 of 2 · reality");
    await expectNoViolations(notes, `presenter view (${scheme})`);
  });
}
