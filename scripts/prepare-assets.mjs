// Copies the interpreter and the editor from node_modules into public/ (served from our own
// origin: nothing comes from a CDN), makes the interpreter's memory snapshot and bundles the
// executor worker. Idempotent and quick when nothing changed.
//
// Pyodide goes under a versioned path, public/pyodide/<version>-<content hash>/, so it can be
// served with `immutable` caching (next.config.ts): a second visit reads it from the HTTP
// cache without asking the server. The snapshot there (snapshot-<hash>.bin.gz) is Pyodide's
// memory after start-up with the tracer imported; the
// worker restores it instead of booting Python (measured in bench/first-run.ts). It is made
// here, in Node, and served only from our origin: never from storage the worker can write.
// .executor/assets.json tells the worker route (its CSP) and the tests where they are.
import { build } from "esbuild";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pub = path.join(root, "public");
const executorDir = path.join(root, ".executor");

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

function hashOf(parts) {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex").slice(0, 12);
}

/** Removes every entry of `dir` but `keep` (older versions of a versioned asset). */
function pruneExcept(dir, keep) {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) if (!keep.includes(name) && !name.endsWith(".tmp")) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
}

// Pyodide: the interpreter, its stdlib and lock file (about 14 MB).
const pyodideSrc = path.join(root, "node_modules/pyodide");
const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];
const pyodideVersion = JSON.parse(fs.readFileSync(path.join(pyodideSrc, "package.json"), "utf8")).version;
const pyodideKey = `${pyodideVersion}-${hashOf(PYODIDE_FILES.map((f) => fs.readFileSync(path.join(pyodideSrc, f))))}`;
const pyodideDir = path.join(pub, "pyodide", pyodideKey);
fs.mkdirSync(pyodideDir, { recursive: true });
pruneExcept(path.join(pub, "pyodide"), [pyodideKey]);
for (const f of PYODIDE_FILES) copyIfStale(path.join(pyodideSrc, f), path.join(pyodideDir, f));
const pyodideBase = `/pyodide/${pyodideKey}/`;

// The snapshot depends on the interpreter, the tracer and the interpreter's environment.
const tracerPath = path.join(root, "lib/executor/tracer.py");
const guardPath = path.join(root, "lib/executor/tracer_guard.py");
const envPath = path.join(root, "lib/executor/pyodide-env.ts");
const SNAPSHOT_FORMAT = "2"; // bump when what the snapshot holds changes
// Gzipped (31 MB of wasm memory, mostly empty pages, become about 6 MB): less to send on a
// first visit and small enough for the browser's HTTP cache to keep; the worker inflates it.
const snapshotName = `snapshot-${hashOf([pyodideKey, SNAPSHOT_FORMAT, fs.readFileSync(tracerPath), fs.readFileSync(guardPath), fs.readFileSync(envPath)])}.bin.gz`;
let snapshotUrl = null;
if (process.env.CWM_NO_SNAPSHOT === "1") {
  pruneExcept(pyodideDir, PYODIDE_FILES);
} else {
  const snapshotFile = path.join(pyodideDir, snapshotName);
  if (!fs.existsSync(snapshotFile)) {
    const t0 = performance.now();
    const raw = await makeSnapshot();
    const bytes = zlib.gzipSync(raw, { level: 6 });
    // Written aside and renamed: a concurrent prepare-assets never sees half a snapshot.
    const tmp = `${snapshotFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, snapshotFile);
    console.log(`pyodide snapshot: ${(raw.length / 1e6).toFixed(1)} MB (${(bytes.length / 1e6).toFixed(1)} MB gzipped) in ${Math.round(performance.now() - t0)} ms`);
  }
  pruneExcept(pyodideDir, [...PYODIDE_FILES, snapshotName]);
  snapshotUrl = `${pyodideBase}${snapshotName}`;
}

/** Boots Pyodide exactly as the worker would, imports the tracer, and returns its memory. */
async function makeSnapshot() {
  const env = readEnvLiteral();
  const { loadPyodide } = await import(pathToFileURL(path.join(pyodideSrc, "pyodide.mjs")).href);
  const py = await loadPyodide({ indexURL: `${pyodideSrc}/`, _makeSnapshot: true, env, stdout: () => {}, stderr: () => {} });
  py.FS.writeFile("/home/pyodide/tracer_guard.py", fs.readFileSync(guardPath, "utf8"));
  py.FS.writeFile("/home/pyodide/cwm_tracer.py", fs.readFileSync(tracerPath, "utf8"));
  py.pyimport("cwm_tracer");
  return py.makeMemorySnapshot();
}

/** pyodide-env.ts is TypeScript (plain Node cannot import it): read its one object literal. */
function readEnvLiteral() {
  const text = fs.readFileSync(envPath, "utf8");
  const m = /=\s*(\{[^}]*\})\s*;/.exec(text);
  if (!m) throw new Error(`cannot read PYODIDE_ENV from ${envPath}`);
  return JSON.parse(m[1].replace(/([A-Za-z_][A-Za-z0-9_]*)\s*:/g, '"$1":'));
}

// Monaco's AMD build, under its version like Pyodide (immutable caching); next.config.ts
// points @monaco-editor/react's loader at /monaco/<version>/vs.
const monacoVersion = JSON.parse(fs.readFileSync(path.join(root, "node_modules/monaco-editor/package.json"), "utf8")).version;
pruneExcept(path.join(pub, "monaco"), [monacoVersion]);
copyIfStale(path.join(root, "node_modules/monaco-editor/min/vs"), path.join(pub, "monaco", monacoVersion, "vs"));

const assets = { pyodide: pyodideBase, snapshot: snapshotUrl };
fs.mkdirSync(executorDir, { recursive: true });
// Written aside and renamed (here and for the bundle): the worker route may be reading them.
const manifestTmp = path.join(executorDir, `assets.json.${process.pid}.tmp`);
fs.writeFileSync(manifestTmp, `${JSON.stringify(assets, null, 2)}\n`);
fs.renameSync(manifestTmp, path.join(executorDir, "assets.json"));

// The executor worker: one self-contained module; tracer.py is inlined as text so the
// browser and the CLI run the very same file, and the asset paths above are compiled in. It
// is NOT put under public/: a static file cannot carry the worker's per-origin CSP, so
// app/executor/[file]/route.ts serves it from .executor/ (and a stale public copy from older
// checkouts is removed).
const workerEntry = path.join(root, "lib/executor/worker.ts");
fs.rmSync(path.join(pub, "executor"), { recursive: true, force: true });
if (fs.existsSync(workerEntry)) {
  const bundleTmp = path.join(executorDir, `worker.js.${process.pid}.tmp`);
  await build({
    entryPoints: [workerEntry],
    outfile: bundleTmp,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    loader: { ".py": "text" },
    alias: { "@": root },
    define: { __CWM_ASSETS__: JSON.stringify(assets) },
    logLevel: "warning",
  });
  fs.renameSync(bundleTmp, path.join(executorDir, "worker.js"));
}
console.log(`assets ready: public${pyodideBase}${snapshotUrl ? ` (snapshot ${snapshotName})` : ""}, public/monaco/${monacoVersion}, .executor/worker.js`);
