// What `npm test` needs beyond npm: a Chromium for the e2e suite and PostgreSQL for the storage
// tests. Finds them (CHROMIUM_PATH or Debian's chromium; TEST_POSTGRES_URL, PG_BINDIR or
// Debian's postgresql), installs Debian's packages when run as root with apt (as .ci/run does),
// and otherwise stops with one line saying exactly what to install.
//   node scripts/provision.mjs            check and install both
//   node scripts/provision.mjs --check    only report (exit 2 when something is missing)
//   node scripts/provision.mjs --chromium-path   print the Chromium to use (for scripts/e2e.mjs)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const isExecutable = (p) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

const onPath = (name, env = process.env) =>
  (env.PATH ?? "")
    .split(path.delimiter)
    .map((d) => path.join(d, name))
    .find(isExecutable) ?? null;

/** The Chromium binary to drive, or null. CHROMIUM_PATH wins and must exist when set. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  if (isExecutable("/usr/bin/chromium")) return "/usr/bin/chromium";
  return onPath("chromium", env) ?? onPath("chromium-browser", env);
}

/** A PostgreSQL the storage tests can use: a server URL, or the binaries for a throwaway cluster. */
export function findPostgres(env = process.env) {
  if (env.TEST_POSTGRES_URL) return env.TEST_POSTGRES_URL;
  if (env.PG_BINDIR && isExecutable(path.join(env.PG_BINDIR, "initdb"))) return env.PG_BINDIR;
  const base = "/usr/lib/postgresql";
  if (fs.existsSync(base)) {
    for (const v of fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
      if (isExecutable(path.join(base, v, "bin/initdb"))) return path.join(base, v, "bin");
    }
  }
  const initdb = onPath("initdb", env);
  return initdb ? path.dirname(initdb) : null;
}

/** The one line printed when something is missing and cannot be installed here. */
export function missingLine(missing) {
  const what = [];
  if (missing.includes("chromium")) what.push("Chromium (apt-get install -y chromium, or set CHROMIUM_PATH to a Chromium binary)");
  if (missing.includes("postgresql"))
    what.push("PostgreSQL (apt-get install -y postgresql, or set TEST_POSTGRES_URL to a server the tests may create databases on)");
  return `npm test needs ${what.join(" and ")}`;
}

function missingNow() {
  const missing = [];
  if (!findChromium()) missing.push("chromium");
  if (!findPostgres()) missing.push("postgresql");
  return missing;
}

function main(argv) {
  if (argv.includes("--chromium-path")) {
    const c = findChromium();
    if (!c) {
      console.error(missingLine(["chromium"]));
      return 2;
    }
    console.log(c);
    return 0;
  }
  let missing = missingNow();
  if (missing.length === 0) return 0;
  const canApt = process.getuid?.() === 0 && onPath("apt-get") !== null && !argv.includes("--check");
  // A CHROMIUM_PATH that points nowhere is the user's setting: say so rather than install another.
  if (process.env.CHROMIUM_PATH && missing.includes("chromium")) {
    console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file; unset it or point it at Chromium`);
    return 2;
  }
  if (canApt) {
    console.log(`test: installing ${missing.join(" ")} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: ["ignore", "ignore", "inherit"], env }) : update;
    if (install.status !== 0) console.error(`test: apt-get could not install ${missing.join(" ")}`);
    missing = missingNow();
    if (missing.length === 0) return 0;
  }
  console.error(missingLine(missing));
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
