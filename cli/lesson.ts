/**
 * `npm run cwm -- lesson create --dataset DATA.jsonl [--ids a,b,c] (--backend … | --replay REC.jsonl)
 *   --title T [--questions auto|none] [--server URL]`: executes each program (the ground truth),
 * predicts or replays its trace, stores the runs and then the lesson on a running playground,
 * and prints the lesson's links. A teacher prepares on a GPU machine (or from recordings) and
 * teaches anywhere.
 */
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { autoQuestions } from "@/lib/classroom/auto";
import { recordedPredictor } from "@/lib/classroom/recorded";
import { parseDataset, type BenchProgram } from "@/lib/compare/dataset";
import { errorFromResponse } from "@/lib/http/client";
import { utf8Bytes } from "@/lib/http/limits";
import { CreateLessonResponse, LESSON_LIMITS, type Question, type Slide } from "@/lib/storage/lesson-schema";
import { CreateRunResponse } from "@/lib/storage/schema";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";
import { makePredictor, parseArgs, settingsOf, UsageError } from "./predict";

const HELP = `usage: npm run cwm -- lesson create --dataset DATA.jsonl [--ids a,b,c] [--limit N]
                       (--backend vllm|fastgen|chat|chat:NAME|baseline | --replay RECORDED.jsonl)
                       --title TITLE [--questions auto|none] [--server URL] [--python PATH]

Makes a lesson on a running playground: executes every chosen program (the ground truth),
predicts its trace with the backend or reads its recorded generation, stores each as a run
(POST /api/runs), then stores the lesson (POST /api/lessons) and prints its links.

  --dataset FILE     JSON lines: CRUXEval {id, code, input, output} (call = f(<input>)) or {id, code, call}
  --ids LIST         the programs, by id, in this order (default: the whole dataset, at most ${LESSON_LIMITS.slides})
  --limit N          only the first N programs
  --backend NAME     a live predictor, as for \`cwm predict\` (--url, --model, --api-key, --tokenizer, … and
                     CWM_VLLM_URL, CWM_FASTGEN_URL, CHAT_MODELS); the syntax baseline is labelled as such
  --replay FILE      recorded CWM generations (JSON lines with id and generation), matched by id, then by code
  --title TITLE      the lesson's title (1–${LESSON_LIMITS.titleChars} characters)
  --questions MODE   auto: up to 4 questions a slide (where the model first diverges, a value mid-loop,
                     the return value); none (default): no questions
  --server URL       the playground (default http://localhost:3000); a --backend chat prediction is
                     labelled with its --url's host (\`cwm predict --server NAME\` does not apply here)
  --python PATH      run the ground truth under this local CPython instead of Pyodide (your machine, unsandboxed)

Exit codes: 0 the lesson was stored; 2 bad arguments or input (nothing stored); 1 the server or a
program failed (the runs already stored are listed).
`;

const VALUE_FLAGS = new Set([
  "--dataset",
  "--ids",
  "--limit",
  "--backend",
  "--url",
  "--model",
  "--api-key",
  "--server",
  "--tokenizer",
  "--max-tokens",
  "--temperature",
  "--top-p",
  "--replay",
  "--title",
  "--questions",
  "--python",
]);
const NO_FLAGS = new Set<string>();

/** A failure after arguments were accepted: exit 1, with what was already stored. */
class LessonError extends Error {}
/** The arguments were fine but the input is not (unknown id, no recording): exit 2, nothing stored. */
class InputError extends UsageError {}

interface Options {
  dataset: string;
  ids: string[] | null;
  limit: number | null;
  replay: string | null;
  title: string;
  questions: "auto" | "none";
  server: URL;
  python: string | null;
  flags: Map<string, string>;
}

function parseOptions(argv: string[]): Options {
  const { flags, files } = parseArgs(argv, VALUE_FLAGS, NO_FLAGS);
  if (files.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(files[0])}`);
  const dataset = flags.get("--dataset");
  if (!dataset) throw new UsageError("--dataset is required");
  const title = flags.get("--title");
  if (title === undefined || title.trim() === "") throw new UsageError("--title is required");
  if ([...title].length > LESSON_LIMITS.titleChars) throw new UsageError(`--title is longer than ${LESSON_LIMITS.titleChars} characters`);
  const replay = flags.get("--replay") ?? null;
  if ((replay === null) === !flags.has("--backend")) throw new UsageError("give exactly one of --backend and --replay");
  const questions = flags.get("--questions") ?? "none";
  if (questions !== "auto" && questions !== "none") throw new UsageError(`--questions must be auto or none, got "${questions}"`);
  const ids = flags.has("--ids")
    ? flags
        .get("--ids")!
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  if (ids !== null && ids.length === 0) throw new UsageError("--ids is empty");
  const dup = ids?.find((x, i) => ids.indexOf(x) !== i);
  if (dup) throw new UsageError(`--ids lists "${dup}" twice`);
  let limit: number | null = null;
  if (flags.has("--limit")) {
    limit = Number(flags.get("--limit"));
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, got "${flags.get("--limit")}"`);
  }
  const raw = flags.get("--server") ?? "http://localhost:3000";
  let server: URL;
  try {
    server = new URL(raw);
  } catch {
    throw new UsageError(`--server must be a URL such as http://localhost:3000, got "${raw}"`);
  }
  if (server.protocol !== "http:" && server.protocol !== "https:") throw new UsageError(`--server must be an http(s) URL, got "${raw}"`);
  return { dataset, ids, limit, replay, title, questions, server, python: flags.get("--python") ?? null, flags };
}

/** The chosen programs, in the order asked; every unknown id is named before anything runs. */
function choosePrograms(opts: Options): BenchProgram[] {
  let text: string;
  try {
    text = fs.readFileSync(opts.dataset, "utf8");
  } catch (err) {
    throw new InputError(`cannot read ${opts.dataset}: ${message(err)}`);
  }
  const { programs, errors } = parseDataset(text);
  if (errors.length > 0)
    throw new InputError(
      `${opts.dataset} line ${errors[0].line}: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more bad lines)` : ""}`,
    );
  let chosen = programs;
  if (opts.ids) {
    const byId = new Map(programs.map((p) => [p.id, p]));
    const missing = opts.ids.filter((id) => !byId.has(id));
    if (missing.length > 0)
      throw new InputError(`not in ${opts.dataset}: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ""}`);
    chosen = opts.ids.map((id) => byId.get(id)!);
  }
  if (opts.limit !== null) chosen = chosen.slice(0, opts.limit);
  if (chosen.length === 0) throw new InputError(`${opts.dataset} has no programs`);
  if (chosen.length > LESSON_LIMITS.slides) {
    throw new UsageError(`${chosen.length} programs, but a lesson has at most ${LESSON_LIMITS.slides} slides: choose some with --ids or --limit`);
  }
  return chosen;
}

type Predict = (p: BenchProgram) => Promise<PredictedTrace>;

/** A recording is checked for every program before anything runs or is stored. */
async function replayPredict(file: string, programs: BenchProgram[]): Promise<Predict> {
  const { loadReplay, parseGeneration } = await import("@/lib/predictors/replay");
  const lookup = await loadReplay(file).catch((err: unknown) => {
    throw new InputError(message(err));
  });
  const found = new Map(programs.map((p) => [p.id, lookup.get(p.id) ?? lookup.find(p.code, p.call)]));
  const missing = programs.filter((p) => !found.get(p.id)).map((p) => p.id);
  if (missing.length > 0)
    throw new InputError(
      `no recorded generation in ${file} for: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ""}`,
    );
  // The same label the playground gives a recording loaded in the browser, naming the file.
  const info = recordedPredictor(path.basename(file));
  return async (p) => parseGeneration(found.get(p.id)!.generation, { code: p.code, call: p.call }, info);
}

function livePredict(flags: Map<string, string>): Predict {
  // Here --server is the playground, not the chat server's name that `cwm predict --server`
  // puts in the label: a chat prediction is labelled by its --url's host instead.
  const predictorFlags = new Map(flags);
  predictorFlags.delete("--server");
  const predictor = makePredictor(predictorFlags);
  const settings = settingsOf(flags);
  return (p) => predictor.predict({ code: p.code, call: p.call, settings }, () => {});
}

/** POST JSON; the server's own message on a 4xx/5xx, "could not reach" when nothing answered. */
async function postJson<S extends z.ZodType>(server: URL, route: string, body: unknown, schema: S): Promise<z.infer<S>> {
  const url = new URL(route, server);
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    throw new LessonError(`could not reach the playground at ${server.origin}: ${networkReason(err)}`);
  }
  if (!res.ok) throw new LessonError(`POST ${route} answered ${res.status}: ${(await errorFromResponse(res)).message}`);
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new LessonError(`POST ${route}: unexpected answer (is ${server.origin} a CWM playground?)`);
  return parsed.data;
}

/** Before minutes of execution and prediction: is anything listening there at all? */
async function checkServer(server: URL): Promise<void> {
  try {
    await (await fetch(new URL("/api/predictors", server))).arrayBuffer();
  } catch (err) {
    throw new LessonError(`could not reach the playground at ${server.origin}: ${networkReason(err)} (start it with \`npm start\`, or give --server URL)`);
  }
}

function networkReason(err: unknown): string {
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : null;
  return code ?? message(err);
}

/** The teacher's notes for a generated slide: where the program and the prediction came from. */
function slideNotes(p: BenchProgram, actual: CanonicalTrace, predicted: PredictedTrace, dataset: string): string {
  const outcome =
    actual.status === "returned"
      ? `returns \`${actual.result}\``
      : actual.status === "raised"
        ? `raises \`${actual.error}\``
        : `is stopped by a budget (${actual.status})`;
  const lines = [
    `**${p.id}** from \`${path.basename(dataset)}\`: \`${p.call}\` ${outcome} after ${actual.frames.length} frames.`,
    "",
    `Prediction: ${predicted.predictor.label ?? predicted.predictor.id}${predicted.predictor.model ? ` (${predicted.predictor.model})` : ""}, ${predicted.frames.length} frames${predicted.finish === "error" ? `; it failed: ${predicted.message ?? "unknown error"}` : ""}.`,
  ];
  // Cut in UTF-8 bytes, as the server counts them: an error message can be long and not ASCII.
  return clipUtf8(lines.join("\n"), LESSON_LIMITS.notesBytes / 2);
}

/** The longest prefix of `s`, whole characters only, of at most `maxBytes` UTF-8 bytes. */
function clipUtf8(s: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    bytes += utf8Bytes(ch);
    if (bytes > maxBytes) break;
    end += ch.length;
  }
  return s.slice(0, end);
}

async function create(opts: Options): Promise<number> {
  const programs = choosePrograms(opts);
  const predict = opts.replay ? await replayPredict(opts.replay, programs) : livePredict(opts.flags);
  await checkServer(opts.server);
  const { createNodeTracer } = await import("@/lib/executor/node");
  const tracer = await createNodeTracer(opts.python ? { python: opts.python } : {});
  process.stderr.write(`lesson: ${programs.length} programs, ground truth ${tracer.version}\n`);
  const stored: { id: string; run: string; url: string }[] = [];
  const slides: Slide[] = [];
  try {
    for (const p of programs) {
      const actual = await tracer.trace({ code: p.code, call: p.call });
      const predicted = await predict(p);
      if (predicted.finish === "error")
        process.stderr.write(`lesson: ${p.id}: the prediction failed (${predicted.message ?? "no reason given"}); stored with its partial frames\n`);
      const run = await postJson(opts.server, "/api/runs", { code: p.code, call: p.call, title: p.id, actual, prediction: predicted }, CreateRunResponse);
      stored.push({ id: p.id, run: run.id, url: new URL(run.url, opts.server).href });
      const questions: Question[] = opts.questions === "auto" ? autoQuestions({ code: p.code, actual, predicted }) : [];
      slides.push({ run: run.id, notes: slideNotes(p, actual, predicted, opts.dataset), ...(questions.length ? { questions } : {}) });
      process.stderr.write(
        `lesson: ${stored.length}/${programs.length} ${p.id} stored as ${run.url}${questions.length ? `, ${questions.length} questions` : ""}\n`,
      );
    }
    const lesson = await postJson(opts.server, "/api/lessons", { title: opts.title, slides }, CreateLessonResponse);
    process.stdout.write(`lesson: ${new URL(lesson.url, opts.server).href}\npresent: ${new URL(`/present/${lesson.id}`, opts.server).href}\n`);
    return 0;
  } catch (err) {
    if (stored.length > 0) {
      const list = stored.map((s) => `  ${s.id}: ${s.url}`).join("\n");
      throw new LessonError(`${message(err)}\nno lesson was created; these runs were stored before the failure:\n${list}`);
    }
    throw err;
  } finally {
    await tracer.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    process.stdout.write(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "create") {
    process.stderr.write(`cwm lesson: unknown subcommand "${sub}" (only "create")\n\n${HELP}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    return await create(parseOptions(rest));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(err instanceof InputError ? `cwm lesson: ${err.message}\nnothing was stored\n` : `cwm lesson: ${err.message}\n\n${HELP}`);
      return 2;
    }
    process.stderr.write(`cwm lesson: ${message(err)}\n`);
    return 1;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
