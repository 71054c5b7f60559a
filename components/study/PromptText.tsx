/** Inline `code` spans of a prompt ("What is `s` …?") as code; everything else as text. */
export function PromptText({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]*`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") && part.length >= 2 ? (
          <code key={i} className="font-code rounded bg-slate-100 px-1 dark:bg-slate-800">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
