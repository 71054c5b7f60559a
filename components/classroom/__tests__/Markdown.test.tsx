// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Markdown } from "../Markdown";
import { PromptText } from "../PromptText";

afterEach(cleanup);

describe("Markdown renders notes as elements, never as markup", () => {
  it("a script tag is shown as text and never becomes an element", () => {
    const { container } = render(<Markdown source={"<script>window.__xss = 1</script>"} />);
    expect(container.querySelector("script")).toBeNull();
    expect(container.textContent).toBe("<script>window.__xss = 1</script>");
  });

  it("an img with onerror stays text", () => {
    const { container } = render(<Markdown source={'<img src=x onerror="window.__xss=2">'} />);
    expect(container.querySelector("img")).toBeNull();
  });

  it("a javascript: link is not a link", () => {
    const { container } = render(<Markdown source={"[click me](javascript:alert(1))"} />);
    expect(container.querySelector("a")).toBeNull();
    expect(container.textContent).toContain("click me");
  });

  it("an https link opens apart, without the opener", () => {
    const { container } = render(<Markdown source={"[report](https://example.org/cwm)"} />);
    const a = container.querySelector("a")!;
    expect(a.getAttribute("href")).toBe("https://example.org/cwm");
    expect(a.getAttribute("rel")).toContain("noopener");
  });

  it("a # heading becomes the heading level asked for", () => {
    const { container } = render(<Markdown source={"# Loops\n\n## Why"} headingLevel={3} />);
    expect(container.querySelector("h3")?.textContent).toBe("Loops");
    expect(container.querySelector("h4")?.textContent).toBe("Why");
  });

  it("lists, code blocks and emphasis become their elements", () => {
    const { container } = render(<Markdown source={"- *a*\n- **b**\n\n```\nx = 1\n```"} />);
    expect(container.querySelectorAll("li")).toHaveLength(2);
    expect(container.querySelector("em")?.textContent).toBe("a");
    expect(container.querySelector("strong")?.textContent).toBe("b");
    expect(container.querySelector("pre code")?.textContent).toBe("x = 1");
  });

  it("an ordered list keeps its start", () => {
    const { container } = render(<Markdown source={"4. four\n5. five"} />);
    expect(container.querySelector("ol")?.getAttribute("start")).toBe("4");
  });

  it("a prompt renders its code spans without a paragraph", () => {
    const { container } = render(<PromptText text={"What is `s` when line 4 is about to run?"} />);
    expect(container.querySelector("p")).toBeNull();
    expect(container.querySelector("code")?.textContent).toBe("s");
  });
});
