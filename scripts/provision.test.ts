import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findChromium, findPostgres, missingLine } from "./provision.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-provision-"));
const exe = path.join(dir, "chromium");
fs.writeFileSync(exe, "#!/bin/sh\n", { mode: 0o755 });
const plain = path.join(dir, "not-executable");
fs.writeFileSync(plain, "", { mode: 0o644 });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("finding what the suites need", () => {
  it("uses CHROMIUM_PATH when it names an executable", () => {
    expect(findChromium({ CHROMIUM_PATH: exe, PATH: "" })).toBe(exe);
  });

  it("refuses a CHROMIUM_PATH that is not executable instead of falling back silently", () => {
    expect(findChromium({ CHROMIUM_PATH: plain, PATH: dir })).toBeNull();
  });

  it("takes a PostgreSQL server URL as found", () => {
    expect(findPostgres({ TEST_POSTGRES_URL: "postgresql://u@127.0.0.1:5/x" })).toBe("postgresql://u@127.0.0.1:5/x");
  });

  it("takes PG_BINDIR when it holds initdb", () => {
    const bin = path.join(dir, "pgbin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "initdb"), "#!/bin/sh\n", { mode: 0o755 });
    expect(findPostgres({ PG_BINDIR: bin, PATH: "" })).toBe(bin);
  });
});

describe("the line printed when something is missing", () => {
  it("names the Debian package and the variable for each missing piece, on one line", () => {
    const line = missingLine(["chromium", "postgresql"]);
    expect(line).not.toContain("\n");
    expect(line).toContain("apt-get install -y chromium");
    expect(line).toContain("CHROMIUM_PATH");
    expect(line).toContain("apt-get install -y postgresql");
    expect(line).toContain("TEST_POSTGRES_URL");
  });

  it("names only what is missing", () => {
    expect(missingLine(["postgresql"])).not.toMatch(/chromium/i);
  });
});
