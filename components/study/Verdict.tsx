/** ✓ / ✗ with the word: a verdict is never told by colour alone. */
export function Verdict({ correct, none = "not scored" }: { correct: boolean | null; none?: string }) {
  if (correct === null) return <span className="text-slate-700 dark:text-slate-300">— {none}</span>;
  return correct ? (
    <span className="font-semibold text-emerald-800 dark:text-emerald-300">
      <span aria-hidden="true">✓ </span>right
    </span>
  ) : (
    <span className="font-semibold text-red-800 dark:text-red-300">
      <span aria-hidden="true">✗ </span>wrong
    </span>
  );
}
