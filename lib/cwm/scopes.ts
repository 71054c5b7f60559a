/**
 * What every trace parser (CWM's token text, a chat model's JSON lines) keeps while reading
 * frames: the open function scopes, so a source line is mapped to its number within the right
 * function, ".." is resolved against the scope's last locals, and the entry function's end
 * (return, or exception then return) gives the trace's outcome.
 */
import type { LineMapper } from "@/lib/cwm/linemap";
import type { Locals, PredictedTrace } from "@/lib/trace/schema";

/** A local written as unchanged since the scope's last frame (CWM's diff-based locals). */
export const UNCHANGED = "..";

interface Scope {
  locals: Locals;
  range: readonly [number, number] | null;
  last: number | null;
  entry: boolean;
  /** The scope's latest exception frame value, cleared by any later line frame. */
  raising: string | null;
}

export interface Outcome {
  status: PredictedTrace["status"];
  result: string | null;
  error: string | null;
}

export class ScopeTracker {
  private readonly stack: Scope[] = [];
  private entryDone: { event: "return" | "exception"; value: string } | null = null;

  /** `errors`: where structural problems are written, in words (the parser's own list). */
  constructor(
    private readonly mapper: LineMapper,
    private readonly errors: string[],
  ) {}

  get depth(): number {
    return this.stack.length;
  }

  /** A call frame: its line is looked up near the caller's; the callee's block is its scope. */
  call(sourceText: string, locals: Locals | null, entry: boolean): number | null {
    const caller = this.top();
    const line = this.mapper.map(sourceText, caller ? { range: caller.range, last: caller.last, stay: true } : {});
    const range = line === null ? null : (this.mapper.blockRange(line) ?? [line, line]);
    this.stack.push({ locals: locals ?? {}, range, last: line, entry, raising: null });
    return line;
  }

  /** A line frame: its number, and its full locals (".." resolved) when it had readable ones. */
  line(sourceText: string, parsed: Locals | null): { line: number | null; locals: Locals | null } {
    let scope = this.top();
    if (!scope) {
      this.errors.push(this.entryDone ? "a line frame after the entry function returned" : "a line frame before any call frame");
      scope = { locals: {}, range: null, last: null, entry: false, raising: null };
      this.stack.push(scope);
    }
    const line = this.mapper.map(sourceText, scope);
    scope.last = line ?? scope.last;
    scope.raising = null;
    if (!parsed) return { line, locals: null };
    scope.locals = resolve(parsed, scope.locals);
    return { line, locals: scope.locals };
  }

  /** A return or exception frame; a return closes its scope. */
  value(event: "return" | "exception", sourceText: string, value: string): number | null {
    const scope = this.top();
    const line = this.mapper.map(sourceText, scope ? { range: scope.range, last: scope.last, stay: true } : {});
    if (!scope) this.errors.push(`a ${event} frame after the entry function returned`);
    else if (event === "exception") {
      scope.raising = value;
      scope.last = line ?? scope.last;
    } else {
      this.stack.pop();
      // settrace reports a function left by an exception as `exception` then `return None`.
      if (scope.entry) this.entryDone = scope.raising !== null ? { event: "exception", value: scope.raising } : { event: "return", value };
    }
    return line;
  }

  /** The trace's outcome; `ended`: the model said the trace is over (EOS, finish "stop"). */
  outcome(ended: boolean): Outcome {
    const done = this.entryDone;
    if (ended && done) return done.event === "exception" ? { status: "raised", result: null, error: exceptionMessage(done.value) } : { status: "returned", result: done.value, error: null };
    if (ended) this.errors.push("the entry function never returned");
    return { status: "incomplete", result: done?.event === "return" ? done.value : null, error: null };
  }

  private top(): Scope | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/**
 * Full locals from a frame that may write ".." for a value unchanged since the scope's last
 * frame. `locals` is the parser's own fresh object (from JSON.parse), completed in place: a
 * copy per frame of a thousand locals is what made long traces slow. An own key is updated by
 * plain assignment even when it is named `__proto__`.
 */
export function resolve(locals: Locals, previous: Locals): Locals {
  for (const k of Object.keys(locals)) if (locals[k] === UNCHANGED && Object.hasOwn(previous, k)) locals[k] = previous[k];
  return locals;
}

/** `ZeroDivisionError('division by zero')` → `ZeroDivisionError: division by zero`, as the executor words it. */
export function exceptionMessage(repr: string): string {
  const m = /^([A-Za-z_][\w.]*)\(([\s\S]*)\)$/.exec(repr);
  if (!m) return repr;
  const [, type, args] = m;
  const str = /^(['"])([\s\S]*)\1$/.exec(args);
  const text = str ? str[2] : args;
  return text === "" ? type : `${type}: ${text}`;
}

