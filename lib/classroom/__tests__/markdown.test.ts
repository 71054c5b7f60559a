import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref, type MdInline } from "../markdown";

/** The inlines as the text a reader sees. */
function inlineText(nodes: MdInline[]): string {
  return nodes.map((n) => (n.type === "text" || n.type === "code" ? n.text : inlineText(n.children))).join("");
}

const text = (t: string) => ({ type: "text", text: t });

describe("markdown blocks", () => {
  it("a heading keeps its level and inline content", () => {
    expect(parseMarkdown("## Loops *twice*")).toEqual([{ type: "heading", level: 2, children: [text("Loops "), { type: "em", children: [text("twice")] }] }]);
  });

  it("a hash without a space is text, not a heading", () => {
    expect(parseMarkdown("#hashtag")).toEqual([{ type: "paragraph", children: [text("#hashtag")] }]);
  });

  it("lines separated by a blank line are two paragraphs", () => {
    expect(parseMarkdown("one\ntwo\n\nthree")).toEqual([
      { type: "paragraph", children: [text("one two")] },
      { type: "paragraph", children: [text("three")] },
    ]);
  });

  it("CRLF line endings parse like LF", () => {
    expect(parseMarkdown("a\r\n\r\nb")).toEqual(parseMarkdown("a\n\nb"));
  });

  it("a fenced code block keeps its text verbatim and its language", () => {
    expect(parseMarkdown("```python\nfor i in range(3):\n    *x* = <b>\n```")).toEqual([
      { type: "code", lang: "python", text: "for i in range(3):\n    *x* = <b>" },
    ]);
  });

  it("an unclosed fence runs to the end", () => {
    expect(parseMarkdown("~~~\nx = 1\n\ny = 2")).toEqual([{ type: "code", lang: null, text: "x = 1\n\ny = 2" }]);
  });

  it("bullets make one unordered list", () => {
    expect(parseMarkdown("- a\n* b\n+ c")).toEqual([{ type: "list", ordered: false, start: 1, items: [[text("a")], [text("b")], [text("c")]] }]);
  });

  it("a numbered list keeps its start number", () => {
    expect(parseMarkdown("3. three\n4. four")).toEqual([{ type: "list", ordered: true, start: 3, items: [[text("three")], [text("four")]] }]);
  });

  it("an indented line continues the list item", () => {
    expect(parseMarkdown("- first\n  more")).toEqual([{ type: "list", ordered: false, start: 1, items: [[text("first more")]] }]);
  });

  it("a list after a paragraph line starts a list", () => {
    expect(parseMarkdown("Ask:\n- why?").map((b) => b.type)).toEqual(["paragraph", "list"]);
  });

  it("empty notes have no blocks", () => {
    expect(parseMarkdown("  \n\n")).toEqual([]);
  });
});

describe("markdown inlines", () => {
  it("emphasis and strong", () => {
    expect(parseInline("*a* **b** _c_ __d__")).toEqual([
      { type: "em", children: [text("a")] },
      text(" "),
      { type: "strong", children: [text("b")] },
      text(" "),
      { type: "em", children: [text("c")] },
      text(" "),
      { type: "strong", children: [text("d")] },
    ]);
  });

  it("strong inside emphasis", () => {
    expect(parseInline("*a **b** c*")).toEqual([{ type: "em", children: [text("a "), { type: "strong", children: [text("b")] }, text(" c")] }]);
  });

  it("underscores inside a word stay text (snake_case names)", () => {
    expect(parseInline("total_sum and my_var_x")).toEqual([text("total_sum and my_var_x")]);
  });

  it("a lone star stays text", () => {
    expect(parseInline("2 * 3 = 6")).toEqual([text("2 * 3 = 6")]);
  });

  it("inline code is verbatim: no emphasis inside", () => {
    expect(parseInline("see `s *= 2`")).toEqual([text("see "), { type: "code", text: "s *= 2" }]);
  });

  it("double backticks may hold a backtick", () => {
    expect(parseInline("`` a`b ``")).toEqual([{ type: "code", text: "a`b" }]);
  });

  it("an unmatched backtick is text", () => {
    expect(parseInline("a ` b")).toEqual([text("a ` b")]);
  });

  it("a backslash escapes a marker", () => {
    expect(parseInline("\\*not em\\*")).toEqual([text("*not em*")]);
  });

  it("an https link is a link with its label parsed", () => {
    expect(parseInline("[the *report*](https://example.org/a?b=1)")).toEqual([
      { type: "link", href: "https://example.org/a?b=1", children: [text("the "), { type: "em", children: [text("report")] }] },
    ]);
  });

  it("deep nesting is bounded and loses no text", () => {
    const deep = "*".repeat(40) + "x" + "*".repeat(40);
    expect(inlineText(parseInline(deep)).replace(/\*/g, "")).toBe("x");
  });
});

describe("markdown safety", () => {
  it("a javascript: link stays its source text", () => {
    const nodes = parseInline("[click](javascript:alert(1))");
    expect(nodes.some((n) => n.type === "link")).toBe(false);
    expect(inlineText(nodes)).toBe("[click](javascript:alert(1))");
  });

  it("a javascript: link hidden with tabs and case is refused", () => {
    expect(parseInline("[x](JaVa\tScRiPt:alert(1))").some((n) => n.type === "link")).toBe(false);
  });

  it("data: and relative links are not links", () => {
    expect(parseInline("[a](data:text/html,<script>alert(1)</script>) [b](/x) [c](//evil.example)").some((n) => n.type === "link")).toBe(false);
  });

  it("raw HTML is text", () => {
    expect(parseMarkdown("<script>alert(1)</script>")).toEqual([{ type: "paragraph", children: [text("<script>alert(1)</script>")] }]);
  });

  it("an img with onerror is text", () => {
    expect(inlineText(parseInline('<img src=x onerror="alert(1)">'))).toBe('<img src=x onerror="alert(1)">');
  });

  it("safeHref accepts http and https only", () => {
    expect(safeHref("http://a.example/")).toBe("http://a.example/");
    expect(safeHref(" https://a.example/x ")).toBe("https://a.example/x");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("vbscript:x")).toBeNull();
    expect(safeHref("https://")).toBeNull();
    expect(safeHref("mailto:a@b.c")).toBeNull();
  });

  it("hostile input of the full notes size parses in bounded time", () => {
    const nodes = parseMarkdown("[".repeat(4000) + "*_`".repeat(1300));
    expect(nodes.length).toBeGreaterThan(0);
  });
});

describe("block quotes", () => {
  it("gathers consecutive > lines into one quote of blocks", () => {
    expect(parseMarkdown("> **Note.** one\n> two\n\nafter")).toEqual([
      { type: "quote", children: [{ type: "paragraph", children: [{ type: "strong", children: [{ type: "text", text: "Note." }] }, { type: "text", text: " one two" }] }] },
      { type: "paragraph", children: [{ type: "text", text: "after" }] },
    ]);
  });
  it("ends a paragraph where a quote starts", () => {
    expect(parseMarkdown("text\n> quoted").map((b) => b.type)).toEqual(["paragraph", "quote"]);
  });
  it("keeps quotes nested past the depth bound as text", () => {
    const deep = parseMarkdown(">".repeat(50) + " x");
    let depth = 0;
    let b = deep[0];
    while (b.type === "quote") {
      depth++;
      b = b.children[0];
    }
    expect(depth).toBeLessThanOrEqual(6);
    expect(b.type).toBe("paragraph");
  });
});
