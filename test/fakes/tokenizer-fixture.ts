/**
 * A small tokenizer.model of our own (the 256 single bytes plus a few merges) for tests and the
 * fake Fastgen server; the real one ships with the CWM checkpoint.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const FIXTURE_MERGES = ["  ", "    ", "re", "tu", "rn", "ret", "retu", "return", "de", "def", " f", "in", "\n ", "ma", "main", "()", "):", "\":", " \"", "..", "\"..\"", "é", "lo", "hello"];

/** The file's text: ranks 0-255 are the single bytes, then the merges in order. */
export function fixtureTokenizerText(): string {
  const lines: string[] = [];
  for (let b = 0; b < 256; b++) lines.push(`${Buffer.from([b]).toString("base64")} ${b}`);
  FIXTURE_MERGES.forEach((m, i) => lines.push(`${Buffer.from(m, "utf8").toString("base64")} ${256 + i}`));
  return `${lines.join("\n")}\n`;
}

/** Writes the fixture to a temporary file and returns its path. */
export function writeFixtureTokenizer(dir = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-tok-"))): string {
  const file = path.join(dir, "tokenizer.model");
  fs.writeFileSync(file, fixtureTokenizerText());
  return file;
}
