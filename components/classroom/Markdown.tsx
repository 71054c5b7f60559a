import { Fragment, type ReactNode } from "react";
import { parseMarkdown, type MdBlock, type MdInline } from "@/lib/classroom/markdown";

/**
 * Teacher notes as React elements, never innerHTML: whatever the notes contain is text unless
 * lib/classroom/markdown.ts made it one of a few known nodes (links only to http(s) URLs).
 * `headingLevel` is the HTML level a `#` heading gets, so notes fit under the page's own headings.
 * No hooks: server components may render notes too (parsing 8 KiB is cheap).
 */
export function Markdown({ source, headingLevel = 3, className = "" }: { source: string; headingLevel?: number; className?: string }) {
  return <div className={`space-y-2 ${className}`}>{parseMarkdown(source).map((b, i) => block(b, i, headingLevel))}</div>;
}


const HEADING_SIZE = ["text-2xl", "text-xl", "text-lg", "text-base", "text-base", "text-base"];

function block(b: MdBlock, key: number, headingLevel: number): ReactNode {
  switch (b.type) {
    case "heading": {
      const level = Math.min(6, headingLevel + b.level - 1);
      const Tag = `h${level}` as "h1" | "h2" | "h3" | "h4" | "h5" | "h6";
      return (
        <Tag key={key} className={`${HEADING_SIZE[b.level - 1]} font-semibold`}>
          {inlines(b.children)}
        </Tag>
      );
    }
    case "paragraph":
      return <p key={key}>{inlines(b.children)}</p>;
    case "code":
      return (
        <pre key={key} className="font-code overflow-x-auto rounded bg-slate-100 p-2 text-[0.9em] dark:bg-slate-800">
          <code>{b.text}</code>
        </pre>
      );
    case "quote":
      return (
        <blockquote key={key} className="flex flex-col gap-2 border-l-4 border-slate-400 pl-3 dark:border-slate-500">
          {b.children.map((c, i) => block(c, i, headingLevel))}
        </blockquote>
      );
    case "list": {
      const items = b.items.map((item, i) => <li key={i}>{inlines(item)}</li>);
      return b.ordered ? (
        <ol key={key} start={b.start} className="list-decimal pl-6">
          {items}
        </ol>
      ) : (
        <ul key={key} className="list-disc pl-6">
          {items}
        </ul>
      );
    }
  }
}

function inlines(nodes: MdInline[]): ReactNode {
  return nodes.map((n, i) => {
    switch (n.type) {
      case "text":
        return <Fragment key={i}>{n.text}</Fragment>;
      case "code":
        return (
          <code key={i} className="font-code rounded bg-slate-100 px-1 dark:bg-slate-800">
            {n.text}
          </code>
        );
      case "em":
        return <em key={i}>{inlines(n.children)}</em>;
      case "strong":
        return <strong key={i}>{inlines(n.children)}</strong>;
      case "link":
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow" className="text-sky-800 underline dark:text-sky-300">
            {inlines(n.children)}
          </a>
        );
    }
  });
}
