// Browser code must never import server code. Walks the import graph from every browser entry
// (components/, the executor worker and host, the prediction client) and fails if it reaches a
// module marked `server-only`, a Node built-in, or a database package.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FORBIDDEN_PACKAGES = [/^node:/, /^(fs|path|child_process|http|https|net|os|crypto|stream|worker_threads)$/, /^@prisma\//, /^better-sqlite3$/, /^pg$/, /^server-only$/, /^pyodide$/];
const EXTS = [".ts", ".tsx", ".mjs", ".js"];

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "__tests__" ? [] : walk(p);
    return EXTS.some((x) => p.endsWith(x)) && !/\.test\.tsx?$/.test(p) ? [p] : [];
  });
}

function resolveLocal(spec, from) {
  let base;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const c of [base, ...EXTS.map((x) => base + x), ...EXTS.map((x) => path.join(base, "index" + x))]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

const IMPORT_RE = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

export function checkBrowserImports(entries) {
  const problems = [];
  const seen = new Map();
  const queue = entries.map((e) => [e, [e]]);
  while (queue.length) {
    const [file, chain] = queue.shift();
    if (seen.has(file)) continue;
    seen.set(file, chain);
    const src = fs.readFileSync(file, "utf8");
    for (const m of src.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      const whole = m[0];
      if (/^import\s+type\b|^export\s+type\b/.test(whole)) continue; // erased at compile time
      const rel = (f) => path.relative(root, f);
      if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) {
        problems.push(`${chain.map(rel).join(" → ")} imports "${spec}"`);
        continue;
      }
      const local = resolveLocal(spec, file);
      if (local) queue.push([local, [...chain, local]]);
    }
  }
  return problems;
}

export function browserEntries() {
  const entries = walk(path.join(root, "components"));
  for (const f of ["lib/executor/worker.ts", "lib/executor/browser.ts", "lib/predictors/client.ts"]) {
    const p = path.join(root, f);
    if (fs.existsSync(p)) entries.push(p);
  }
  return entries;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkBrowserImports(browserEntries());
  if (problems.length) {
    console.error("Browser code reaches server code:\n" + problems.map((p) => "  " + p).join("\n"));
    process.exit(1);
  }
  console.log("import boundaries ok");
}
