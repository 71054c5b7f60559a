/**
 * The lesson index (/lessons) under `next start`: the built-in lessons are in the database
 * without anyone doing anything (seeded at start-up), listed with Study and Present links that
 * open, reachable from the playground's header, usable by keyboard, and free of WCAG 2.2 A/AA
 * violations in both colour schemes.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import type { AxeResults } from "axe-core";
import { expect, test } from "./fixtures";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const LESSONS = [
  { id: "builtin-lesson-loops", title: "How a world model reads a loop", slides: 3 },
  { id: "builtin-lesson-pitfalls", title: "Where trace prediction goes wrong", slides: 5 },
  { id: "builtin-lesson-halting", title: "Will it halt?", slides: 3 },
];

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `[${v.id}] ${n.target.join(" ")} :: ${v.help} :: ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`));
  }, WCAG_TAGS);
}

test("lists the built-in lessons with their slide counts and Study and Present links", async ({ page }) => {
  await page.goto("/lessons");
  await expect(page.getByRole("heading", { level: 1, name: "Lessons" })).toBeVisible();
  for (const l of LESSONS) {
    const card = page.getByRole("article", { name: l.title });
    await expect(card).toContainText(`${l.slides} slides`);
    await expect(card.getByRole("link", { name: `Study: ${l.title}` })).toHaveAttribute("href", `/l/${l.id}`);
    await expect(card.getByRole("link", { name: `Present: ${l.title}` })).toHaveAttribute("href", `/present/${l.id}`);
  }
  // (Next's route announcer is an empty role="alert" of its own: look for our words.)
  await expect(page.getByText(/could not be stored/)).toHaveCount(0);
});

test("serves every built-in lesson from the API at its fixed id, with no model prediction", async ({ request }) => {
  for (const l of LESSONS) {
    const res = await request.get(`/api/lessons/${l.id}`);
    expect(res.status(), l.id).toBe(200);
    const body = (await res.json()) as { title: string; slides: { run: { predictions: unknown[] } }[] };
    expect(body.title).toBe(l.title);
    expect(body.slides).toHaveLength(l.slides);
    for (const s of body.slides) expect(s.run.predictions).toEqual([]);
  }
});

test("opens a lesson's study and present pages from the index by keyboard", async ({ page }) => {
  await page.goto("/lessons");
  const study = page.getByRole("link", { name: `Study: ${LESSONS[0].title}` });
  await study.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/l/${LESSONS[0].id}$`));
  await expect(page.getByText(LESSONS[0].title).first()).toBeVisible();
  const present = await page.request.get(`/present/${LESSONS[2].id}`);
  expect(present.status()).toBe(200);
});

test("the playground's header links to the lessons", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Lessons", exact: true }).click();
  await expect(page).toHaveURL(/\/lessons$/);
  await expect(page.getByRole("heading", { level: 1, name: "Lessons" })).toBeVisible();
});

for (const scheme of ["light", "dark"] as const) {
  test(`the lesson index has no WCAG 2.2 A/AA violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/lessons");
    await expect(page.getByRole("heading", { level: 1, name: "Lessons" })).toBeVisible();
    expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(scheme === "dark");
    const found = await violations(page);
    expect(found, found.join("\n")).toEqual([]);
  });
}
