import { Fragment } from "react";

/** A question's prompt with its `code` spans set in the code font; everything stays text. */
export function PromptText({ text }: { text: string }) {
  const parts = text.split("`");
  // An odd number of backticks leaves the last one unpaired: show it as it is written.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <code key={i} className="font-code rounded bg-slate-100 px-1 dark:bg-slate-800">
            {p}
          </code>
        ) : (
          <Fragment key={i}>{p}</Fragment>
        ),
      )}
    </>
  );
}
