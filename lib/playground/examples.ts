/** Programs people learn from; each is a complete program plus an optional call (call mode). */
export interface Example {
  id: string;
  title: string;
  code: string;
  call: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: "sum-loop",
    title: "Loop with an accumulator",
    code: `def total(nums):
    s = 0
    for n in nums:
        s += n
    return s
`,
    call: "total([3, 1, 4, 1, 5])",
  },
  {
    id: "factorial",
    title: "Recursion: factorial",
    code: `def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)
`,
    call: "fact(5)",
  },
  {
    id: "caught",
    title: "Exception caught",
    code: `def safe_div(a, b):
    try:
        q = a / b
    except ZeroDivisionError as e:
        q = None
        msg = str(e)
    return q
`,
    call: "safe_div(1, 0)",
  },
  {
    id: "uncaught",
    title: "Exception not caught",
    code: `def average(xs):
    total = sum(xs)
    return total / len(xs)
`,
    call: "average([])",
  },
  {
    id: "class",
    title: "A class with methods",
    code: `class Counter:
    def __init__(self, start):
        self.value = start

    def bump(self, by):
        self.value += by
        return self.value

def run(steps):
    c = Counter(10)
    for s in range(steps):
        c.bump(s)
    return c.value
`,
    call: "run(3)",
  },
  {
    id: "generator",
    title: "A generator",
    code: `def countdown(n):
    while n > 0:
        yield n
        n -= 1

def collect(n):
    out = []
    for x in countdown(n):
        out.append(x * x)
    return out
`,
    call: "collect(3)",
  },
  {
    id: "strings",
    title: "String manipulation",
    code: `def title_words(text):
    words = text.split()
    fixed = []
    for w in words:
        fixed.append(w[0].upper() + w[1:].lower())
    return " ".join(fixed)
`,
    call: `title_words("hello wORLD of pYTHON")`,
  },
  {
    id: "cruxeval",
    title: "CRUXEval-style function (sample_0)",
    code: `def f(nums):
    output = []
    for n in nums:
        output.append((nums.count(n), n))
    output.sort(reverse=True)
    return output`,
    call: "f([1, 1, 3, 1, 3, 1])",
  },
  {
    id: "collatz-forever",
    title: "A program that never halts",
    code: `def spin(n):
    steps = 0
    while n != 0:
        n = n + 1 if n % 2 else n + 3
        steps += 1
    return steps
`,
    call: "spin(7)",
  },
  {
    id: "long-but-halts",
    title: "A long run that does halt (Collatz from 27)",
    code: `def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
`,
    call: "collatz_steps(27)",
  },
  {
    id: "script",
    title: "Script mode (no call)",
    code: `primes = []
for n in range(2, 20):
    if all(n % p for p in primes):
        primes.append(n)
print(primes)
`,
    call: "",
  },
  {
    id: "debug-helper",
    title: "A helper called in a loop (try Debug)",
    code: `def square(x):
    return x * x


def sum_squares(n):
    s = 0
    for i in range(n):
        s += square(i)
    return s
`,
    call: "sum_squares(3)",
  },
  {
    id: "hole-undefined",
    title: "Code with a hole: an undefined function",
    code: `def clean(records):
    out = []
    for r in records:
        out.append(transform(r))
    return out
`,
    call: "clean([' Ada ', 'GRACE', ' alan'])",
  },
  {
    id: "hole-import",
    title: "Code with a hole: a module the browser lacks (requests)",
    code: `import requests


def fetch_title(url):
    resp = requests.get(url, timeout=5)
    data = resp.json()
    return data["title"].strip()
`,
    call: 'fetch_title("https://example.com/posts/1")',
  },
];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
