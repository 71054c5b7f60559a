import { NO_PREDICTION_NOTE, type BuiltinLesson } from "./types";

export const LOOPS: BuiltinLesson = {
  id: "builtin-lesson-loops",
  title: "How a world model reads a loop",
  summary: "Three small loops, frame by frame: what is each variable just before a line runs, and which line comes next?",
  slides: [
    {
      runId: "builtin-loops-sum-range",
      title: "Adding up a range",
      code: "def total(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s",
      call: "total(4)",
      notes: [
        NO_PREDICTION_NOTE,
        "",
        "## Reading a trace",
        "A trace is the program's story, one **frame** per line *about to run*, with every local's value at that moment.",
        "A world model such as CWM writes this story without running the code: it has to carry `s` and `i` in its head.",
        "",
        "- Ask the class for `s` *before* line 4 runs the third time: the addition of that visit has not happened yet.",
        "- Line 3 runs once more than line 4: the last check of the `for` is what ends the loop.",
      ].join("\n"),
      questions: [{ kind: "value", line: 4, name: "s", visit: 3 }, { kind: "next_line", line: 3, visit: -1 }, { kind: "return" }],
    },
    {
      runId: "builtin-loops-while-digits",
      title: "Counting digits with while",
      code: "def digits(n):\n    count = 0\n    while n > 0:\n        n //= 10\n        count += 1\n    return count",
      call: "digits(4096)",
      notes: [
        "## Two variables move at once",
        "`n` shrinks and `count` grows on every pass. A predictor that loses track of one of them drifts on every later frame.",
        "",
        "- `//` is floor division: `409 // 10` is `40`.",
        "- Before line 5 runs the second time, `n` has already been divided twice.",
      ].join("\n"),
      questions: [{ kind: "value", line: 5, name: "n", visit: 2 }, { kind: "value", line: 3, name: "count", visit: -1 }, { kind: "return" }],
    },
    {
      runId: "builtin-loops-nested-pairs",
      title: "A loop inside a loop",
      code: "def pairs(xs):\n    out = []\n    for i, a in enumerate(xs):\n        for b in xs[i + 1:]:\n            out.append(a + b)\n    return out",
      call: "pairs([1, 2, 4])",
      notes: [
        "## Nested loops",
        "The inner loop starts over for every `a`, on a shorter slice each time; on the last `a` it does not run at all.",
        "",
        "- After the inner `for` on line 4 finishes, the outer `for` on line 3 takes the next `a`.",
        "- Ask how long `out` is before the last `append`.",
      ].join("\n"),
      questions: [{ kind: "value", line: 5, name: "out", visit: 3 }, { kind: "next_line", line: 4, visit: -1 }, { kind: "return" }],
    },
  ],
};
