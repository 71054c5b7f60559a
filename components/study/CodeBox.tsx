/**
 * The slide's program with line numbers; the line a question is about is marked by a ▶ and
 * the words "about to run" (for screen readers), not by colour alone. Long lines scroll inside
 * the box, never the page.
 */
export function CodeBox({ code, call, line }: { code: string; call: string | null; line: number | null }) {
  const lines = code.replace(/\n+$/, "").split("\n");
  const width = String(lines.length).length;
  return (
    <figure className="min-w-0">
      <figcaption className="sr-only">The program{line !== null ? `; line ${line} is about to run` : ""}</figcaption>
      <div
        className="font-code overflow-x-auto rounded border border-slate-300 bg-slate-50 py-2 text-[15px] leading-6 dark:border-slate-700 dark:bg-slate-900"
        // A scrollable region must be reachable by keyboard to be scrolled without a pointer.
        tabIndex={0}
        role="region"
        aria-label="Code"
        data-testid="study-code"
      >
        <pre className="w-max min-w-full">
          {lines.map((text, i) => {
            const n = i + 1;
            const current = n === line;
            return (
              <div
                key={n}
                className={`flex pr-3 ${current ? "bg-amber-100 font-semibold dark:bg-amber-900/60" : ""}`}
                data-current={current ? "true" : undefined}
              >
                <span aria-hidden="true" className="w-6 shrink-0 text-center">
                  {current ? "▶" : ""}
                </span>
                <span className="shrink-0 select-none pr-3 text-right text-slate-600 dark:text-slate-300" style={{ width: `${width + 1}ch` }}>
                  {n}
                </span>
                <span className="whitespace-pre">{text === "" ? " " : text}</span>
                {current && <span className="sr-only"> (about to run)</span>}
              </div>
            );
          })}
        </pre>
      </div>
      {call && (
        <p className="mt-1 text-sm">
          Call: <code className="font-code break-all">{call}</code>
        </p>
      )}
    </figure>
  );
}
