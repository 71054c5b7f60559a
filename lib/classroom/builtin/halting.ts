import { NO_PREDICTION_NOTE, type BuiltinLesson } from "./types";

export const HALTING: BuiltinLesson = {
  id: "builtin-lesson-halting",
  title: "Will it halt?",
  summary: "Three loops without an obvious end: which ones finish, and how would you know without running them?",
  slides: [
    {
      runId: "builtin-halting-collatz",
      title: "Collatz from 6",
      code: "def collatz(n):\n    steps = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps",
      call: "collatz(6)",
      notes: [
        NO_PREDICTION_NOTE,
        "",
        "## Does it end?",
        "Nobody has proved that this loop ends for every `n` (the Collatz conjecture), but for `6` it does: 6, 3, 10, 5, 16, 8, 4, 2, 1.",
        "",
        "- Ask *does it finish?* before anything else, then for the number of steps.",
        "- A world model answers halting questions by imagining the trace; CWM can also be asked directly (**Will it halt?** in the playground).",
      ].join("\n"),
      questions: [{ kind: "halts" }, { kind: "value", line: 5, name: "n", visit: 4 }, { kind: "return" }],
    },
    {
      runId: "builtin-halting-step-past-zero",
      title: "Stepping past zero",
      code: 'def chase(n):\n    while n != 0:\n        n -= 2\n    return "done"',
      call: "chase(5)",
      maxSteps: 400,
      notes: [
        "## It never ends",
        "From an odd `n`, subtracting 2 jumps from 1 to -1: `n != 0` stays true for ever.",
        "",
        "- The run was stopped by its step budget (400 frames here); the playground's own budget is 10,000 frames or 5 seconds.",
        "- A model predicting this trace has no budget of its own: it stops when its token budget runs out.",
        "- Fix it with `while n > 0:` and ask again.",
      ].join("\n"),
      questions: [{ kind: "halts" }, { kind: "value", line: 3, name: "n", visit: 3 }],
    },
    {
      runId: "builtin-halting-while-true",
      title: "while True that returns",
      code: "def search(limit):\n    n = 1\n    while True:\n        n += 1\n        if n * n > limit:\n            return n",
      call: "search(50)",
      notes: [
        "## `while True` can halt",
        "The loop condition never changes, yet the function returns from inside the loop. Reading the condition alone gives the wrong verdict.",
        "",
        "- Ask which line runs after line 5 on its last visit: the `return`, not the loop.",
      ].join("\n"),
      questions: [{ kind: "halts" }, { kind: "next_line", line: 5, visit: -1 }, { kind: "return" }],
    },
  ],
};
