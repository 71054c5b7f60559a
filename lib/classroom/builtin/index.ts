/** Every built-in lesson, in the order the lesson index lists them. */
import { HALTING } from "./halting";
import { LOOPS } from "./loops";
import { PITFALLS } from "./pitfalls";
import type { BuiltinLesson } from "./types";

export type { BuiltinLesson, BuiltinQuestion, BuiltinSlide } from "./types";

export const BUILTIN_LESSONS: readonly BuiltinLesson[] = [LOOPS, PITFALLS, HALTING];
