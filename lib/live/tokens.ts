/**
 * Secrets of a live session: tokens (teacher and participant) and join codes. Tokens are 128
 * random bits or more; only their sha256 is stored, so a copy of the database cannot act as
 * anyone, and comparisons run on digests in constant time.
 */
import "server-only";
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { CODE_ALPHABET, CODE_LENGTH } from "./protocol";

/** 192 bits: above the 128 the spec asks for, and a whole number of base64url characters (32). */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/**
 * Whether a token's hash is `storedHash`, without an early exit on the first differing byte.
 * Takes the hash: one sha256 per request, however many stored hashes it is checked against.
 */
export function hashMatches(tokenHash: string, storedHash: string): boolean {
  const a = Buffer.from(tokenHash, "base64url");
  const b = Buffer.from(storedHash, "base64url");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** randomInt draws without modulo bias. */
export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** 96 bits like run and lesson ids. */
export function newSessionId(): string {
  return randomBytes(12).toString("base64url");
}
