// @vitest-environment happy-dom
import fs from "node:fs";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { RecordedSet } from "@/lib/classroom/recorded";
import { requireSharedData } from "@/test/shared-data";
import { RecordedLoader } from "../RecordedLoader";

afterEach(cleanup);

const SAMPLE = requireSharedData("cwm-recorded/cruxeval-sample8.jsonl");

function pick(file: File) {
  fireEvent.change(screen.getByLabelText(/Recorded predictions/), { target: { files: [file] } });
}

describe("present RecordedLoader", () => {
  it("hands on the file's text and its parsed recording", async () => {
    const loaded: { text: string; set: RecordedSet }[] = [];
    render(<RecordedLoader recorded={null} onLoad={(f) => loaded.push(f)} />);
    const text = fs.readFileSync(SAMPLE, "utf8");
    pick(new File([text], "sample.jsonl"));
    await waitFor(() => expect(loaded).toHaveLength(1));
    expect(loaded[0].text).toBe(text);
    expect(loaded[0].set.fileName).toBe("sample.jsonl");
    expect(loaded[0].set.lookup.size).toBeGreaterThan(0);
  });

  it("refuses a file that is not a recording, naming the file, and hands on nothing", async () => {
    const loaded: unknown[] = [];
    render(<RecordedLoader recorded={null} onLoad={(f) => loaded.push(f)} />);
    pick(new File(['{"id": "a"}\n'], "notes.jsonl"));
    expect((await screen.findByRole("alert")).textContent).toMatch(/notes\.jsonl/);
    expect(loaded).toEqual([]);
  });
});
