// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LESSON_DRAFT_KEY } from "@/lib/classroom/draft";
import { LessonEditor } from "../LessonEditor";

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

function editor(fork: string | null = null) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <LessonEditor fork={fork} />
    </QueryClientProvider>,
  );
}

const stored = () => JSON.parse(window.localStorage.getItem(LESSON_DRAFT_KEY) ?? "null") as { title: string } | null;

describe("LessonEditor without slides", () => {
  it("says how to add slides from the playground", async () => {
    editor();
    expect((await screen.findByTestId("no-slides")).textContent).toContain("Add to lesson");
  });

  it("counts the title's characters and saves it to local storage", async () => {
    editor();
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Loops 🐍" } });
    expect(screen.getByText("7 / 120 characters")).toBeTruthy();
    expect(stored()?.title).toBe("Loops 🐍");
  });

  it("refuses a title over 120 characters with a message, keeping the old title", async () => {
    editor();
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "ok" } });
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "x".repeat(121) } });
    expect(screen.getByRole("alert").textContent).toContain("at most 120 characters");
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("ok");
  });

  it("refuses to publish a lesson without slides before sending anything", async () => {
    editor();
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Loops" } });
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    expect(screen.getByTestId("publish-error").textContent).toContain("a lesson has at least one slide");
    expect(screen.getByTestId("publish-error").textContent).toContain("Your draft is kept");
    expect(stored()?.title).toBe("Loops");
  });

  it("drops an unreadable stored draft and says so", async () => {
    window.localStorage.setItem(LESSON_DRAFT_KEY, "[1,2");
    editor();
    expect((await screen.findByTestId("notice")).textContent).toContain("was dropped");
    expect(window.localStorage.getItem(LESSON_DRAFT_KEY)).toBeNull();
  });

  it("refuses a fork parameter that is not a lesson id", async () => {
    editor("../admin");
    expect((await screen.findByTestId("fork-status")).textContent).toContain("not a lesson id");
  });
});
