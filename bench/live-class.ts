/**
 * Live-class benchmark: a room of simulated students on one instance, each holding its event
 * stream, answering once when the question opens (every fifth changes its answer), next to a
 * bare SSE fan-out (a plain node http server doing the same moves with no database, no auth,
 * no validation) measured in the same run on the same machine.
 *
 *   npm run bench:live-class                               # the app's /api/live route modules in a process of their own, temp SQLite
 *   npm run bench:live-class -- --base http://host:3000 [--pid PID]   # a running app (`npm start`); lesson made through /api/runs and /api/lessons
 *
 * Options: --students N (300), --changers K (every Kth student changes its answer; 5),
 * --spread S (answers spread over S seconds after the open, as a room reading and typing
 * does; 0, the default, is everyone at the same instant, the worst case), --strict (exit 1 when a goal is missed). Goals: every answer counted exactly in the results,
 * p99 from an answer's POST to the teacher's stream holding it ≤ 250 ms.
 * Memory per student is the server's RSS growth over the room's connections divided by N
 * (read from /proc, so only when the bench started the server itself).
 */
import fs from "node:fs";
import http from "node:http";
import { z } from "zod";
import { AnswersEvent, ControlResponse, CreateLiveResponse, JoinResponse, LiveResults } from "@/lib/live/protocol";
import { CreateLessonResponse } from "@/lib/storage/lesson-schema";
import { CreateRunResponse } from "@/lib/storage/schema";
import { counterRun } from "@/lib/storage/__tests__/fixtures";
import { sqliteTestDatabase } from "@/lib/storage/__tests__/test-db";
import { spawnListening, startInstance, type Instance } from "@/test/live-process";
import { parseFlags, percentile } from "./server";

const Args = z.object({
  base: z.string().url().optional(),
  /** With --base: the server's process id, for its memory and CPU (from /proc). */
  pid: z.coerce.number().int().positive().optional(),
  students: z.coerce.number().int().min(1).max(500).default(300),
  changers: z.coerce.number().int().min(1).default(5),
  /** Seconds over which the answers are spread after the open (0: everyone at once, the worst case). */
  spread: z.coerce.number().min(0).max(120).default(0),
  strict: z.boolean().default(false),
});
type Args = z.infer<typeof Args>;

// ---- small tools ------------------------------------------------------------------------

const now = () => performance.now();

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function settleRss(pid: number): Promise<number> {
  // Let the collector run and the allocator settle before reading.
  await new Promise((r) => setTimeout(r, 1500));
  return rssBytes(pid);
}

/** Stopped with the bench however it ends (a failed run must not leave a server behind). */
function killedOnExit(i: Instance): Instance {
  process.on("exit", () => i.child.kill("SIGKILL"));
  return i;
}

// The simulated room uses node:http, not fetch: a lighter client leaves more of the machine
// to the server being measured (both rooms use the same client).
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** Opens an event stream and calls `onData` with each event's data line; returns a closer. */
function openStream(url: string, headers: Record<string, string>, onData: (data: string) => void): () => void {
  const req = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
    res.setEncoding("utf8");
    let buf = "";
    res.on("data", (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const line = block.split("\n").find((l) => l.startsWith("data: "));
        if (line) onData(line.slice(6));
      }
    });
    res.on("error", () => {});
  });
  req.on("error", () => {});
  return () => req.destroy();
}

function request(
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  retried = false,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      { method, agent, headers: { ...(data ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(data)) } : {}), ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    // A kept-alive socket the server closed meanwhile (Node's documented race): send again once.
    // Answers are upserts, so a repeat changes nothing.
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (req.reusedSocket && err.code === "ECONNRESET" && !retried) request(method, url, body, headers, true).then(resolve, reject);
      else reject(err);
    });
    req.end(data);
  });
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) => request("POST", url, body, headers);

/** CPU time (user + system) a process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function pool<T>(items: T[], width: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** Student i's reading and typing time: the same spread of delays in both rooms, in a scrambled order. */
function think(i: number, args: Args): Promise<void> {
  if (args.spread === 0) return Promise.resolve();
  const slot = (i * 7919) % args.students;
  return new Promise((r) => setTimeout(r, (slot / args.students) * args.spread * 1000));
}

interface RoomFigures {
  /** Server CPU (user + system) from the open to the last answer shown, per answer. */
  cpuPerAnswer: number;
  /** ms from each answer's POST to the teacher's stream holding it. */
  answerToTeacher: number[];
  /** ms from the open POST to each student's stream holding the open state. */
  openToStudents: number[];
  rssPerStudent: number;
  acknowledged: number;
  counted: boolean;
  countProblem: string;
}

/** How a room reaches its server: each student's stream and answer POST, and which events matter. */
interface RoomWiring {
  stream(i: number, onData: (data: string) => void): () => void;
  post(i: number, text: string): Promise<void>;
  isYou(data: string): boolean;
  isOpen(data: string): boolean;
}

/**
 * The simulated students, the same for both rooms: each opens its stream (connected on its
 * first `you`) and, when the open state arrives, answers after its think time (every
 * `changers`th student a second time). Set `openAt` just before posting the open.
 */
function students(args: Args, closers: (() => void)[], wiring: RoomWiring) {
  const room = {
    opened: new Array<number>(args.students).fill(NaN),
    /** Each answer text and when its POST was sent. */
    sent: new Map<string, number>(),
    tasks: [] as Promise<void>[],
    acknowledged: 0,
    openAt: NaN,
  };
  const connected: Promise<void>[] = [];
  for (let i = 0; i < args.students; i++) {
    let ready!: () => void;
    connected.push(new Promise<void>((r) => (ready = r)));
    const answer = async (text: string) => {
      room.sent.set(text, now());
      await wiring.post(i, text);
      room.acknowledged++;
    };
    closers.push(
      wiring.stream(i, (data) => {
        if (wiring.isYou(data)) ready();
        if (Number.isNaN(room.opened[i]) && wiring.isOpen(data)) {
          room.opened[i] = now() - room.openAt;
          room.tasks.push(
            (async () => {
              await think(i, args);
              await answer(`s${i}`);
              if (i % args.changers === 0) await answer(`s${i} changed`);
            })(),
          );
        }
      }),
    );
  }
  return Object.assign(room, { connected: Promise.all(connected) });
}

// ---- the app ----------------------------------------------------------------------------

async function seedViaHttp(base: string): Promise<string> {
  const fx = counterRun();
  const run = await postJson(`${base}/api/runs`, { code: fx.code, call: fx.call, actual: fx.actual, prediction: fx.prediction });
  if (run.status !== 201) throw new Error(`POST /api/runs: ${run.status} ${JSON.stringify(run.json)}`);
  const id = CreateRunResponse.parse(run.json).id;
  const lesson = await postJson(`${base}/api/lessons`, { title: "bench: live class", slides: [{ run: id, questions: [{ kind: "return" }] }] });
  if (lesson.status !== 201) throw new Error(`POST /api/lessons: ${lesson.status} ${JSON.stringify(lesson.json)}`);
  return CreateLessonResponse.parse(lesson.json).id;
}

async function seedInProcess(databaseUrl: string): Promise<string> {
  process.env.DATABASE_URL = databaseUrl;
  const [{ createRun }, { createLesson }, { disconnectDb }] = await Promise.all([
    import("@/lib/storage/runs"),
    import("@/lib/storage/lessons"),
    import("@/lib/storage/db"),
  ]);
  const fx = counterRun();
  const run = await createRun({ code: fx.code, call: fx.call, actual: fx.actual, predictions: [fx.prediction] });
  const lesson = await createLesson({ title: "bench: live class", slides: [{ run: run.id, questions: [{ kind: "return" }] }] });
  await disconnectDb();
  return lesson.id;
}

async function liveRoom(base: string, lesson: string, args: Args, pid: number | null): Promise<RoomFigures> {
  const created = await postJson(`${base}/api/live`, { lesson });
  if (created.status !== 201) throw new Error(`POST /api/live: ${created.status} ${JSON.stringify(created.json)}`);
  const s = CreateLiveResponse.parse(created.json);
  const teacherAuth = { authorization: `Bearer ${s.teacherToken}` };
  // The teacher's stream: when did each answer text first appear in a histogram?
  const firstSeen = new Map<string, number>();
  let teacherAnswered = 0;
  const closers: (() => void)[] = [];
  closers.push(
    openStream(`${base}/api/live/${s.id}/events`, teacherAuth, (data) => {
      if (!data.startsWith('{"type":"answers"')) return;
      const e = AnswersEvent.parse(JSON.parse(data));
      const t = now();
      teacherAnswered = e.answered;
      for (const b of e.histogram) if (!firstSeen.has(b.answer)) firstSeen.set(b.answer, t);
    }),
  );

  const before = pid ? await settleRss(pid) : NaN;
  const tokens: string[] = new Array(args.students);
  await pool([...Array(args.students).keys()], 50, async (i) => {
    const j = await postJson(`${base}/api/live/join`, { code: s.code, name: `student ${i}` });
    if (j.status !== 201) throw new Error(`join ${i}: ${j.status} ${JSON.stringify(j.json)}`);
    tokens[i] = JoinResponse.parse(j.json).participantToken;
  });

  const auth = (i: number) => ({ authorization: `Bearer ${tokens[i]}` });
  const room = students(args, closers, {
    stream: (i, onData) => openStream(`${base}/api/live/${s.id}/events`, auth(i), onData),
    post: async (i, text) => {
      const r = await postJson(`${base}/api/live/${s.id}/answers`, { slide: 0, question: 0, answer: text }, auth(i));
      if (r.status !== 200) throw new Error(`answer ${text}: ${r.status} ${JSON.stringify(r.json)}`);
    },
    isYou: (data) => data.startsWith('{"type":"you"'),
    isOpen: (data) => data.startsWith('{"type":"state"') && data.includes('"phase":"open"'),
  });
  const { opened, sent, tasks: answerTasks } = room;
  await room.connected;
  const during = pid ? await settleRss(pid) : NaN;

  const cpuBefore = pid ? cpuMs(pid) : NaN;
  room.openAt = now();
  const o = await postJson(`${base}/api/live/${s.id}/control`, { action: "open" }, teacherAuth);
  if (o.status !== 200) throw new Error(`open: ${o.status}`);
  ControlResponse.parse(o.json);
  const deadline = Date.now() + 60_000 + args.spread * 1000;
  while ((answerTasks.length < args.students || sent.size < args.students + Math.ceil(args.students / args.changers)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(answerTasks);
  const superseded = (text: string) => /^s\d+$/.test(text) && sent.has(`${text} changed`);
  while ([...sent.keys()].some((k) => !firstSeen.has(k) && !superseded(k)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  const cpu = pid ? cpuMs(pid) - cpuBefore : NaN;
  // An answer changed within one coalescing window never shows on its own: only what was shown counts.
  const answerToTeacher = [...sent].filter(([text]) => firstSeen.has(text) || !superseded(text)).map(([text, t]) => (firstSeen.get(text) ?? NaN) - t);
  const results = LiveResults.parse((await request("GET", `${base}/api/live/${s.id}/results`, undefined, teacherAuth)).json);
  const h = new Map(results.questions[0].histogram.map((b) => [b.answer, b.count]));
  const problems: string[] = [];
  for (let i = 0; i < args.students; i++) {
    const want = i % args.changers === 0 ? `s${i} changed` : `s${i}`;
    if (h.get(want) !== 1) problems.push(`${want}: ${h.get(want) ?? 0}`);
  }
  if (results.questions[0].answers !== args.students) problems.push(`answers ${results.questions[0].answers} ≠ ${args.students}`);
  if (results.participants !== args.students) problems.push(`participants ${results.participants}`);
  if (teacherAnswered !== args.students) problems.push(`teacher's last count ${teacherAnswered}`);
  await postJson(`${base}/api/live/${s.id}/control`, { action: "end" }, teacherAuth);
  for (const c of closers) c();
  return {
    cpuPerAnswer: cpu / answerToTeacher.length,
    answerToTeacher,
    openToStudents: opened,
    rssPerStudent: (during - before) / args.students,
    acknowledged: room.acknowledged,
    counted: problems.length === 0 && answerToTeacher.every((x) => !Number.isNaN(x)),
    countProblem: problems.slice(0, 5).join("; "),
  };
}

// ---- the baseline: a bare SSE fan-out ---------------------------------------------------

/** The same moves with nothing but node:http: streams, one broadcast, posts echoed to one stream. */
const BASELINE_SERVER = `
import http from "node:http";
const students = new Set();
let teacher = null;
const server = http.createServer((req, res) => {
  if (req.url === "/events/teacher" || req.url === "/events/student") {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(": connected\\n\\n");
    if (req.url === "/events/teacher") teacher = res;
    else { students.add(res); res.write("data: {\\"type\\":\\"you\\"}\\n\\n"); }
    req.on("close", () => students.delete(res));
    return;
  }
  if (req.method === "POST" && req.url === "/open") {
    const frame = "data: {\\"type\\":\\"state\\",\\"phase\\":\\"open\\"}\\n\\n";
    for (const s of students) s.write(frame);
    return res.end("{}");
  }
  if (req.method === "POST" && req.url === "/answer") {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const { answer } = JSON.parse(body);
      teacher?.write("data: " + JSON.stringify({ type: "answers", answer }) + "\\n\\n");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ answer }));
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.listen(0, "127.0.0.1", () => process.stdout.write("listening http://127.0.0.1:" + server.address().port + "\\n"));
process.on("SIGTERM", () => process.exit(0));
`;

async function baselineRoom(args: Args): Promise<RoomFigures> {
  const srv = killedOnExit(await spawnListening(["--input-type=module", "-e", BASELINE_SERVER], {}));
  const base = srv.url;
  const firstSeen = new Map<string, number>();
  const closers: (() => void)[] = [];
  closers.push(
    openStream(`${base}/events/teacher`, {}, (data) => {
      const e = JSON.parse(data) as { answer?: string };
      if (e.answer && !firstSeen.has(e.answer)) firstSeen.set(e.answer, now());
    }),
  );
  const before = await settleRss(srv.child.pid!);
  const room = students(args, closers, {
    stream: (_i, onData) => openStream(`${base}/events/student`, {}, onData),
    post: async (_i, text) => {
      await postJson(`${base}/answer`, { answer: text });
    },
    isYou: (data) => data.includes('"you"'),
    isOpen: (data) => data.includes('"open"'),
  });
  const { opened, sent, tasks } = room;
  await room.connected;
  const during = await settleRss(srv.child.pid!);
  const cpuBefore = cpuMs(srv.child.pid!);
  room.openAt = now();
  await postJson(`${base}/open`, {});
  const deadline = Date.now() + 60_000 + args.spread * 1000;
  while (tasks.length < args.students && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await Promise.all(tasks);
  while ([...sent.keys()].some((k) => !firstSeen.has(k)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const cpu = cpuMs(srv.child.pid!) - cpuBefore;
  for (const c of closers) c();
  await srv.stop();
  return {
    cpuPerAnswer: cpu / sent.size,
    answerToTeacher: [...sent].map(([text, t]) => (firstSeen.get(text) ?? NaN) - t),
    openToStudents: opened,
    rssPerStudent: (during - before) / args.students,
    acknowledged: room.acknowledged,
    counted: true,
    countProblem: "",
  };
}

// ---- main -------------------------------------------------------------------------------

const ms = (x: number) => `${x.toFixed(1)} ms`;
const kib = (x: number) => (Number.isNaN(x) ? "n/a" : `${(x / 1024).toFixed(1)} KiB`);
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : "n/a");

async function main(): Promise<void> {
  const args = parseFlags(process.argv.slice(2), Args);
  let live: RoomFigures;
  let where: string;
  if (args.base) {
    where = `${args.base} (a running app)`;
    live = await liveRoom(args.base, await seedViaHttp(args.base), args, args.pid ?? null);
  } else {
    const database = sqliteTestDatabase();
    try {
      const lesson = await seedInProcess(database.url);
      // BENCH_CPU_PROF=DIR writes a V8 CPU profile of the server there.
      const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
      const srv = killedOnExit(await startInstance(database.url, prof));
      where = "the app's /api/live route modules in their own process (temp SQLite)";
      try {
        live = await liveRoom(srv.url, lesson, args, srv.child.pid!);
      } finally {
        await srv.stop();
      }
    } finally {
      await database.drop();
    }
  }
  const bare = await baselineRoom(args);

  const row = (name: string, a: number, b: number, fmt: (x: number) => string) =>
    `  ${name.padEnd(34)} ${fmt(a).padStart(10)} ${fmt(b).padStart(10)} ${ratio(a, b).padStart(8)}`;
  const answers = live.answerToTeacher.length;
  const when = args.spread ? `answers spread over ${args.spread} s` : "everyone answering the moment the question opens";
  console.log(`live class: ${args.students} students on ${where}; ${when}; ${answers} answers shown (every ${args.changers}th student changed its answer)`);
  console.log(`  ${"".padEnd(34)} ${"live".padStart(10)} ${"bare SSE".padStart(10)} ${"ratio".padStart(8)}`);
  console.log(row("answer POST → teacher, p50", percentile(live.answerToTeacher, 50), percentile(bare.answerToTeacher, 50), ms));
  console.log(row("answer POST → teacher, p99", percentile(live.answerToTeacher, 99), percentile(bare.answerToTeacher, 99), ms));
  console.log(row("open → all phones, p50", percentile(live.openToStudents, 50), percentile(bare.openToStudents, 50), ms));
  console.log(row("open → all phones, p99", percentile(live.openToStudents, 99), percentile(bare.openToStudents, 99), ms));
  console.log(row("server memory per connected student", live.rssPerStudent, bare.rssPerStudent, kib));
  console.log(row("server CPU per answer", live.cpuPerAnswer, bare.cpuPerAnswer, ms));
  console.log(`  answers acknowledged ${live.acknowledged}; counted exactly in the results: ${live.counted ? "yes" : `NO (${live.countProblem})`}`);
  const p99 = percentile(live.answerToTeacher, 99);
  const goals = [
    { ok: live.counted, text: "every answer counted exactly" },
    { ok: p99 <= 250, text: `p99 answer → teacher ≤ 250 ms (${ms(p99)})` },
  ];
  for (const g of goals) console.log(`  goal: ${g.text}: ${g.ok ? "met" : "MISSED"}`);
  if (args.strict && goals.some((g) => !g.ok)) process.exitCode = 1;
}

await main();
process.exit(process.exitCode ?? 0);
