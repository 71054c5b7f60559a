/** Programs the tracer tests run; the expected frames live in tracer.test.ts, reviewed by hand. */
import type { RunInput } from "@/lib/executor/types";

export interface Case {
  name: string;
  input: RunInput;
}

const c = (name: string, code: string, call: string | null = null, budgets?: RunInput["budgets"]): Case => ({
  name,
  input: { code, call, budgets },
});

export const CORPUS: Case[] = [
  c("recursion", "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n", "fact(2)"),
  c(
    "caught exception",
    "def f(x):\n    try:\n        y = 1 / x\n    except ZeroDivisionError as e:\n        y = -1\n    return y\n",
    "f(0)",
  ),
  c("uncaught exception", "def g(x):\n    return 10 // x\n\ndef f(x):\n    return g(x) + 1\n", "f(0)"),
  c("generator", "def gen(n):\n    for i in range(n):\n        yield i * 2\n\ndef f():\n    return list(gen(2))\n", "f()"),
  c("yield from", "def inner():\n    yield 1\n\ndef outer():\n    yield from inner()\n\ndef f():\n    return list(outer())\n", "f()"),
  c(
    "class",
    "class Acc:\n    def __init__(self, start):\n        self.total = start\n    def add(self, k):\n        self.total += k\n        return self\n\ndef f():\n    return Acc(1).add(2).total\n",
    "f()",
  ),
  c("closure", "def make(k):\n    def add(x):\n        return x + k\n    return add\n\ndef f():\n    return make(3)(4)\n", "f()"),
  c("lambda", "def f(xs):\n    return sorted(xs, key=lambda x: -x)\n", "f([1, 2])"),
  c("comprehension", "def f(n):\n    sq = [i * i for i in range(n)]\n    return sq\n", "f(2)"),
  c(
    "try finally return",
    "def f():\n    try:\n        return 'try'\n    finally:\n        print('cleanup')\n",
    "f()",
  ),
  c(
    "with",
    "class Ctx:\n    def __enter__(self):\n        return 5\n    def __exit__(self, *a):\n        return False\n\ndef f():\n    with Ctx() as v:\n        w = v + 1\n    return w\n",
    "f()",
  ),
  c(
    "decorator",
    "def twice(fn):\n    def wrap(x):\n        return fn(fn(x))\n    return wrap\n\n@twice\ndef inc(x):\n    return x + 1\n",
    "inc(0)",
  ),
  c(
    "match",
    "def f(p):\n    match p:\n        case (0, y):\n            return y\n        case _:\n            return None\n",
    "f((0, 'é'))",
  ),
  c("unicode", "def f(s):\n    t = s + '🙂'\n    return t.upper()\n", "f('naïve\\n')"),
  c("globals hidden", "LIMIT = 3\nimport math\n\ndef f(x):\n    return min(x, LIMIT) + math.floor(0.5)\n", "f(7)"),
  c("multi-line statement", "def f(a,\n      b):\n    total = (a +\n             b)\n    return total\n", "f(1,\n  2)"),
  c("script mode", "x = 2\nfor i in range(2):\n    x = x * 3\nprint(x)\n"),
  c("addresses stripped", "def f():\n    g = f\n    o = object()\n    return [g, o]\n", "f()"),
  c(
    "raising repr",
    "class Bad:\n    def __repr__(self):\n        raise TypeError('no')\n\ndef f():\n    b = Bad()\n    return 1\n",
    "f()",
  ),
];
