import type { LiveQuestion } from "@/lib/live/protocol";
/**
 * The slide's program with the line the question is about marked by an arrow and the words
 * "about to run" for screen readers, not by colour alone. Long lines wrap: a phone never
 * scrolls sideways to read the code.
 */
export function CodeView({ info }: { info: LiveQuestion }) {
  const lines = info.code.replace(/\n$/, "").split("\n");
  const width = String(lines.length).length;
  return (
    <figure className="min-w-0">
      <pre
        className="font-code overflow-x-auto rounded border border-slate-300 p-2 text-base leading-relaxed whitespace-pre-wrap break-words dark:border-slate-700"
        data-testid="live-code"
      >
        {lines.map((l, i) => {
          const n = i + 1;
          const here = n === info.line;
          return (
            <span
              key={i}
              className={`block ${here ? "bg-amber-100 font-semibold dark:bg-amber-900" : ""}`}
              data-line={n}
              {...(here ? { "aria-current": "step" as const } : {})}
            >
              <span aria-hidden="true" className="text-slate-600 select-none dark:text-slate-300">
                {here ? "▶" : " "}
                {String(n).padStart(width, " ")}{" "}
              </span>
              {here && <span className="sr-only">(about to run) </span>}
              {l || " "}
            </span>
          );
        })}
      </pre>
      {info.call && (
        <figcaption className="mt-1 text-sm">
          Call: <code className="font-code">{info.call}</code>
        </figcaption>
      )}
    </figure>
  );
}
