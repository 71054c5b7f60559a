// Copies the interpreter and the editor from node_modules into public/ (served from our own
// origin: nothing comes from a CDN) and bundles the executor worker. Idempotent and quick
// when nothing changed.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pub = path.join(root, "public");

function copyIfStale(src, dst) {
  const s = fs.statSync(src);
  if (s.isDirectory()) {
    fs.mkdirSync(dst, { recursive: true });
    for (const name of fs.readdirSync(src)) copyIfStale(path.join(src, name), path.join(dst, name));
    return;
  }
  if (fs.existsSync(dst)) {
    const d = fs.statSync(dst);
    if (d.size === s.size && d.mtimeMs >= s.mtimeMs) return;
  }
  fs.copyFileSync(src, dst);
}

// Pyodide: the interpreter, its stdlib and lock file (about 14 MB).
const pyodideSrc = path.join(root, "node_modules/pyodide");
for (const f of ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]) {
  fs.mkdirSync(path.join(pub, "pyodide"), { recursive: true });
  copyIfStale(path.join(pyodideSrc, f), path.join(pub, "pyodide", f));
}

// Monaco's AMD build; @monaco-editor/react's loader is pointed at /monaco/vs.
copyIfStale(path.join(root, "node_modules/monaco-editor/min/vs"), path.join(pub, "monaco/vs"));

// The executor worker: one self-contained module; tracer.py is inlined as text so the
// browser and the CLI run the very same file. It is NOT put under public/: a static file
// cannot carry the worker's per-origin CSP, so app/executor/[file]/route.ts serves it from
// .executor/ (and a stale public copy from older checkouts is removed).
const workerEntry = path.join(root, "lib/executor/worker.ts");
fs.rmSync(path.join(pub, "executor"), { recursive: true, force: true });
if (fs.existsSync(workerEntry)) {
  await build({
    entryPoints: [workerEntry],
    outfile: path.join(root, ".executor/worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    loader: { ".py": "text" },
    alias: { "@": root },
    external: ["/pyodide/*"],
    logLevel: "warning",
  });
}
console.log("assets ready: public/pyodide, public/monaco, .executor/worker.js");
