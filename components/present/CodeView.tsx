/**
 * The program, large, with the line about to run marked by a bar, an arrow and words (not by
 * colour alone). Long lines wrap rather than scroll: a projector has no scrollbar anyone can use.
 */
export function CodeView({ code, line, fontPx, label }: { code: string; line: number | null; fontPx: number; label: string }) {
  const lines = code.replace(/\n+$/, "").split("\n");
  const digits = String(lines.length).length;
  return (
    <figure aria-label={label} className="m-0">
      <pre className="font-code leading-snug" style={{ fontSize: `${fontPx}px` }} data-testid="present-code">
        {lines.map((text, i) => {
          const current = i + 1 === line;
          return (
            <div
              key={i}
              className={`flex ${current ? "bg-amber-200 text-slate-950 dark:bg-amber-800 dark:text-white" : ""}`}
              aria-current={current ? "step" : undefined}
              data-current-line={current ? "" : undefined}
            >
              <span className="shrink-0 select-none pr-[1ch] text-right text-slate-600 dark:text-slate-300" style={{ width: `${digits + 1}ch` }} aria-hidden>
                {i + 1}
              </span>
              <span className="w-[2ch] shrink-0 select-none" aria-hidden>
                {current ? "▶" : ""}
              </span>
              <span className="min-w-0 flex-1 whitespace-pre-wrap break-words">
                {text || " "}
                {current && <span className="sr-only"> (line {i + 1}, about to run)</span>}
              </span>
            </div>
          );
        })}
      </pre>
    </figure>
  );
}
