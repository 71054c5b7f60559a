#!/usr/bin/env -S npx tsx
/**
 * `npm run cwm -- <command> …`: one entry point; each command lives in its own module
 * exporting `run(argv): Promise<number>` (the exit code).
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> }> = {
  trace: { summary: "execute Python and print its canonical trace", load: () => import("./trace") },
  predict: { summary: "predict a trace with CWM, the baseline or a replay", load: () => import("./predict") },
  compare: { summary: "score a predicted trace against the real one", load: () => import("./compare") },
  bench: { summary: "execute, predict and score a whole dataset", load: () => import("./bench") },
  debug: { summary: "step through CWM's prediction one frame at a time, reality beside it", load: () => import("./debug") },
  lesson: { summary: "make a lesson on a running playground from a dataset (lesson create)", load: () => import("./lesson") },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(9)} ${v.summary}`);
  return `usage: npm run cwm -- <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun a command with --help for its options.\n`;
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`cwm: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await cmd.load();
  return mod.run(rest);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`cwm: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
