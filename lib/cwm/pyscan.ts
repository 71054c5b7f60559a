/**
 * A small, linear scanner of Python source lines: indentation, the comment, strings, brackets,
 * the leading keyword. The line mapper and the syntax baseline read user code with it instead
 * of regular expressions, so no input can make them backtrack (every function here is one pass).
 */

export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11 || c === 13;
}

/** Index of the first character at or after `i` that is not a space or tab. */
export function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Leading whitespace, in characters (as the tracer and the model see it, tabs count one). */
export function indentOf(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** The identifier starting at `i` ("" when there is none). */
export function identAt(s: string, i: number): string {
  if (i >= s.length || !isIdentStart(s.charCodeAt(i))) return "";
  let j = i + 1;
  while (j < s.length && isIdentChar(s.charCodeAt(j))) j++;
  return s.slice(i, j);
}

/**
 * The line without its comment (a `#` outside strings) and without trailing whitespace.
 * Strings are read on this line only: a triple-quoted string spanning lines is not followed.
 */
export function stripComment(line: string): string {
  let quote = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 35) return line.slice(0, i).trimEnd();
    if (c === 39 || c === 34) quote = c;
  }
  return line.trimEnd();
}

/** Net bracket depth change of a line, ignoring strings and comments. */
export function bracketDelta(line: string): number {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 35) break;
    if (c === 39 || c === 34) quote = c;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth--;
  }
  return depth;
}

/**
 * Index of the bracket closing the one at `open`, skipping strings and nested brackets;
 * -1 when it is not closed on this text.
 */
export function matchingBracket(s: string, open: number): number {
  let depth = 0;
  let quote = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 39 || c === 34) quote = c;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export interface LineShape {
  indent: number;
  /** The code without indentation, comment or trailing whitespace. */
  code: string;
  /** The first identifier of the statement ("" when it starts otherwise, e.g. with `@`). */
  keyword: string;
  /** The keyword of a compound statement after `async ` (`async def` → "def"). */
  head: string;
  /** The statement's code ends with `:` outside brackets: it opens a block. */
  opensBlock: boolean;
}

export function lineShape(line: string): LineShape {
  const indent = indentOf(line);
  const code = stripComment(line.slice(indent));
  const keyword = identAt(code, 0);
  let head = keyword;
  if (keyword === "async") head = identAt(code, skipSpaces(code, keyword.length));
  return { indent, code, keyword, head, opensBlock: code.endsWith(":") && bracketDelta(code) === 0 };
}

/**
 * `NAME = value` (a plain assignment, not `==`, not augmented): the name and the value's text
 * (comment and surrounding whitespace removed); null for any other statement.
 */
export function simpleAssignment(code: string): { name: string; value: string } | null {
  const start = skipSpaces(code, 0);
  const name = identAt(code, start);
  if (!name) return null;
  const eq = skipSpaces(code, start + name.length);
  if (code.charCodeAt(eq) !== 61 || code.charCodeAt(eq + 1) === 61) return null;
  const value = stripComment(code.slice(eq + 1)).trim();
  return value === "" ? null : { name, value };
}

/** `NAME(args)` as a whole expression: the name and the text between the parentheses. */
export function simpleCall(expr: string): { name: string; args: string } | null {
  const s = expr.trim();
  const name = identAt(s, 0);
  if (!name) return null;
  const open = skipSpaces(s, name.length);
  if (s.charCodeAt(open) !== 40 || s.charCodeAt(s.length - 1) !== 41) return null;
  return { name, args: s.slice(open + 1, s.length - 1) };
}

/** Whether the whole word `word` (letters, digits, `_` around it are not part of it) starts at i. */
function wordAt(s: string, i: number, word: string): boolean {
  return s.startsWith(word, i) && !(i > 0 && isIdentChar(s.charCodeAt(i - 1))) && !isIdentChar(s.charCodeAt(i + word.length));
}

function indexOfWord(s: string, word: string, from: number): number {
  for (let i = s.indexOf(word, from); i >= 0; i = s.indexOf(word, i + 1)) if (wordAt(s, i, word)) return i;
  return -1;
}

/**
 * A line holding a comprehension: an opening bracket or brace, then the words `for` and `in`,
 * in that order (what /[[{(].*\bfor\b.*\bin\b/ asked, in one pass: that regex backtracks
 * cubically on a line of brackets and `for`s). Like `.`, no line break is crossed.
 */
export function looksLikeComprehension(line: string): boolean {
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029) continue;
    if (segmentHasComprehension(line.slice(start, i))) return true;
    start = i + 1;
  }
  return false;
}

function segmentHasComprehension(s: string): boolean {
  let open = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      open = i;
      break;
    }
  }
  if (open < 0) return false;
  const f = indexOfWord(s, "for", open + 1);
  return f >= 0 && indexOfWord(s, "in", f + 3) >= 0;
}
