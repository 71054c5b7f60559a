/**
 * Writes lib/predictors/chat-examples.json: the chat prompt's few-shot answers, traced by the
 * playground's own tracer (Pyodide, as in the browser). Run after changing the example programs
 * or the tracer: `npx tsx scripts/chat-examples.ts` (`--check` only compares, exit 1 on drift).
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createNodeTracer } from "@/lib/executor/node";
import { buildChatExamples } from "@/lib/predictors/chat-examples";

export const EXAMPLES_PATH = fileURLToPath(new URL("../lib/predictors/chat-examples.json", import.meta.url));

/** The file's text as the generator writes it today. */
export async function generateExamplesText(): Promise<string> {
  const tracer = await createNodeTracer();
  try {
    const examples = await buildChatExamples((p) => tracer.trace(p), tracer.version);
    return `${JSON.stringify(examples, null, 2)}\n`;
  } finally {
    await tracer.close();
  }
}

async function main(): Promise<number> {
  const text = await generateExamplesText();
  if (process.argv.includes("--check")) {
    const now = await readFile(EXAMPLES_PATH, "utf8");
    if (now === text) return 0;
    process.stderr.write(`${EXAMPLES_PATH} differs from what the tracer writes today; run npx tsx scripts/chat-examples.ts\n`);
    return 1;
  }
  await writeFile(EXAMPLES_PATH, text, "utf8");
  process.stderr.write(`wrote ${EXAMPLES_PATH}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`chat-examples: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
