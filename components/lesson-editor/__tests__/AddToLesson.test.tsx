// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMPTY_DRAFT, LESSON_DRAFT_KEY } from "@/lib/classroom/draft";
import { LESSON_LIMITS } from "@/lib/storage/lesson-schema";
import type { CanonicalTrace } from "@/lib/trace/schema";
import { useShare, type ShareInput } from "../../useShare";
import { AddToLesson } from "../AddToLesson";

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

const INPUT: ShareInput = {
  code: "def f():\n    return 1\n",
  call: "f()",
  actual: { status: "returned", frames: [], result: "1", error: null, stdout: "" } satisfies CanonicalTrace,
  prediction: null,
};

function Harness({ input }: { input: ShareInput | null }) {
  const share = useShare();
  return <AddToLesson input={input} share={share} />;
}

function mount(input: ShareInput | null) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Harness input={input} />
    </QueryClientProvider>,
  );
}

describe("AddToLesson", () => {
  it("is disabled until there is a finished run", () => {
    mount(null);
    expect((screen.getByRole("button", { name: "Add to lesson" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("counts the slides of the stored draft in its link to the editor", async () => {
    const slide = { run: "AAAAAAAAAAAAAAAA", title: "a", notes: "", questions: [] };
    window.localStorage.setItem(LESSON_DRAFT_KEY, JSON.stringify({ ...EMPTY_DRAFT, slides: [slide, slide] }));
    mount(INPUT);
    const link = await screen.findByRole("link", { name: "Lesson (2 slides)" });
    expect(link.getAttribute("href")).toBe("/lessons/new");
  });

  it("refuses a slide past the limit before storing the run", async () => {
    const slide = { run: "AAAAAAAAAAAAAAAA", title: "a", notes: "", questions: [] };
    window.localStorage.setItem(LESSON_DRAFT_KEY, JSON.stringify({ ...EMPTY_DRAFT, slides: Array.from({ length: LESSON_LIMITS.slides }, () => slide) }));
    mount(INPUT);
    await screen.findByRole("link", { name: `Lesson (${LESSON_LIMITS.slides} slides)` });
    fireEvent.click(screen.getByRole("button", { name: "Add to lesson" }));
    // Had it shared first, the (absent) server would have made this "Could not add …".
    expect((await screen.findByRole("alert")).textContent).toBe(`Not added: a lesson has at most ${LESSON_LIMITS.slides} slides.`);
  });
});
