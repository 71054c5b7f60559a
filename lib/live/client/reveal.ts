/**
 * What a student's browser scores against after the reveal. The student stream carries
 * reality's answer as display text (expectedText of lib/classroom/answers.ts), never the
 * trace, so the expectation is read back from that text and the question's kind: the texts
 * expectedText writes for each kind do not overlap (a repr is never `Name: message`, a line is
 * `line N`, a yes/no is one word, and why-texts are sentences that start with a lower-case word
 * and a space).
 */
import { lineOf, yesNoOf, type Expected } from "@/lib/classroom/answers";
import { exceptionTypeOfError } from "@/lib/compare/normalise";
import type { LiveQuestion } from "@/lib/live/protocol";

/** Bare names that are literals, not exception types. */
const LITERAL_NAMES = new Set(["None", "True", "False", "Ellipsis", "inf", "nan", "NotImplemented"]);
const WHY = /^(the|nothing|no|[a-z_]\w* is not) /;

export function expectedFromReveal(kind: LiveQuestion["kind"], real: string): Expected {
  const t = real.trim();
  switch (kind) {
    case "next_line": {
      const line = /^line \d+$/.test(t) ? lineOf(t) : null;
      return line === null ? { kind: "none", why: t } : { kind: "line", line };
    }
    case "halts": {
      const yes = yesNoOf(t);
      return yes === null ? { kind: "none", why: t } : { kind: "yesno", yes };
    }
    case "value":
      return WHY.test(t) ? { kind: "none", why: t } : { kind: "literal", repr: t };
    case "return": {
      if (WHY.test(t)) return { kind: "none", why: t };
      const m = /^([A-Za-z_][\w.]*)(?::\s|$)/.exec(t);
      if (m && !LITERAL_NAMES.has(m[1])) return { kind: "exception", type: exceptionTypeOfError(t), message: t };
      return { kind: "literal", repr: t };
    }
  }
}
