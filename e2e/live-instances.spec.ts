/**
 * Issue 12, as the issue says to test it: two real `npm start` servers (A on 3110, B on 3111)
 * on one throwaway PostgreSQL. The teacher works on A; students join, stream and answer on B
 * (three through the HTTP API, one in a browser behind a balancer that prefers B); a witness
 * student stays on A. Joins and answers on B reach the teacher's stream on A; A's controls
 * reach the students on B; both servers give the same results. Then B gets SIGTERM: its streams
 * end, the students resume on A with Last-Event-ID (the browser by itself, through the
 * balancer) and miss nothing that happened while they were away. Last, a rolling restart: B
 * comes back, A gets SIGTERM, and the teacher resumes on B without missing an answer.
 */
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { ControlResponse, CreateLiveResponse, JoinResponse, LiveResults, type LiveEvent, type TeacherState } from "@/lib/live/protocol";
import { createNodeTracer } from "@/lib/executor/node";
import { CreateLessonResponse } from "@/lib/storage/lesson-schema";
import { postgresTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";
import { CreateRunResponse } from "@/lib/storage/schema";
import { SseClient, type ReceivedEvent } from "../test/live-sse";
import { expect, test } from "./fixtures";
import { startBalancer, startInstance, type Balancer, type Instance } from "./live-instances-setup";

const PORTS = { a: 3110, b: 3111, balancer: 3112 } as const;
const BALANCER = `http://127.0.0.1:${PORTS.balancer}`;
const CODE = "def total(xs):\n    n = 0\n    for x in xs:\n        n = n + x\n    return n\n";
const CALL = "total([1, 2, 3])";

// The browser student's pages are all on the balancer's origin: the fixture fails the test if
// any request of the browser goes anywhere else.
test.use({ baseURL: BALANCER });

let pg: TestDatabase | null = null;
let a: Instance | null = null;
let b: Instance | null = null;
let balancer: Balancer | null = null;
const streams: SseClient[] = [];
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  test.setTimeout(240_000);
  // A fresh database, not migrated: the servers migrate it themselves, as `npm start` does.
  pg = await postgresTestDatabase({ migrated: false });
  if (!pg) {
    const why = "no PostgreSQL here (set TEST_POSTGRES_URL or apt-get install postgresql)";
    console.log(`e2e/live-instances.spec.ts SKIPPED: ${why}`);
    test.skip(true, why);
    return;
  }
  // Both at once, as a deployment restarts them: each migrates under Prisma's advisory lock.
  const [ia, ib] = await Promise.allSettled([startInstance("A", PORTS.a, pg.url), startInstance("B", PORTS.b, pg.url)]);
  if (ia.status === "fulfilled") a = ia.value;
  if (ib.status === "fulfilled") b = ib.value;
  if (ia.status === "rejected") throw ia.reason;
  if (ib.status === "rejected") throw ib.reason;
  // B while it accepts connections, then A: what a balancer with health checks does.
  balancer = await startBalancer(PORTS.balancer, () => [b!.url, a!.url]);
});

test.afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await balancer?.close();
  for (const i of [a, b]) {
    if (!i) continue;
    i.child.kill("SIGTERM");
    const gone = await Promise.race([i.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!gone) i.kill();
  }
  await pg?.drop();
});

/** The servers' own output beside a failure: what they logged is often the reason. */
async function withServerLogs(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    for (const i of [a, b]) if (i) console.log(i.log());
    throw err;
  }
}

type Json = { status: number; json: unknown };

async function call(base: string, method: string, p: string, body?: unknown, token?: string): Promise<Json> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the failure message
  }
  return { status: res.status, json };
}

async function ok(base: string, method: string, p: string, body: unknown, token: string | undefined, status: number): Promise<unknown> {
  const r = await call(base, method, p, body, token);
  expect(r.status, `${method} ${base}${p}: ${JSON.stringify(r.json)}`).toBe(status);
  return r.json;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const isState = (phase: string, question: number) => (e: ReceivedEvent) =>
  e.data.type === "state" && e.data.state.phase === phase && e.data.state.question === question;
const idsOf = (s: SseClient) => s.events.filter((e) => e.id !== null).map((e) => Number(e.id));
const statesAfter = (s: SseClient, after: number): [number, LiveEvent][] =>
  s.events.filter((e) => e.id !== null && Number(e.id) > after && e.data.type === "state").map((e) => [Number(e.id), e.data]);

async function open(url: string, token: string, lastEventId?: string): Promise<SseClient> {
  const s = await SseClient.open(url, { ...auth(token), ...(lastEventId ? { "last-event-id": lastEventId } : {}) });
  streams.push(s);
  expect(s.status, s.raw).toBe(200);
  return s;
}

async function browserAnswer(page: Page, text: string) {
  const box = page.getByLabel("Your answer");
  await expect(box).toBeEnabled();
  await box.fill(text);
  const posted = page.waitForResponse((r) => /\/api\/live\/[^/]+\/answers$/.test(new URL(r.url()).pathname));
  await page.getByRole("button", { name: /Submit|Change answer/ }).click();
  expect((await posted).status()).toBe(200);
  await expect(page.getByTestId("live-answer-status")).toContainText(`Your answer: ${text}`);
}

test("two npm start servers on one PostgreSQL share a live session; students on the killed one resume on the other and miss nothing", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  await withServerLogs(() => session(browser));
});

async function session(browser: Browser): Promise<void> {
  const A = a!.url;
  const B = b!.url;

  // A lesson made on A from a real trace: one slide, "what does it return?" then "does it finish?".
  const tracer = await createNodeTracer();
  const actual = await tracer.trace({ code: CODE, call: CALL }).finally(() => tracer.close());
  const run = CreateRunResponse.parse(await ok(A, "POST", "/api/runs", { code: CODE, call: CALL, title: "total", actual }, undefined, 201));
  const lesson = CreateLessonResponse.parse(
    await ok(A, "POST", "/api/lessons", { title: "Two servers", slides: [{ run: run.id, questions: [{ kind: "return" }, { kind: "halts" }] }] }, undefined, 201),
  );
  expect((await call(B, "GET", `/api/lessons/${lesson.id}`)).status, "B reads the lesson A stored").toBe(200);

  // The teacher starts the session on A and streams from A.
  const s = CreateLiveResponse.parse(await ok(A, "POST", "/api/live", { lesson: lesson.id }, undefined, 201));
  expect(s.joinUrl).toBe(`${A}/join?code=${s.code}`);
  const events = (base: string) => `${base}/api/live/${s.id}/events`;
  const teacher = await open(events(A), s.teacherToken);
  const first = await teacher.waitFor((e) => e.data.type === "state");
  const key = first.data.type === "state" && first.data.state.role === "teacher" ? first.data.state.key : null;
  expect(key?.real, "reality's answer to the return question").toBe("6");

  // Three students join on B and stream from B; a witness joins and streams on A.
  const joinOn = async (base: string, name: string) => JoinResponse.parse(await ok(base, "POST", "/api/live/join", { code: s.code.toLowerCase(), name }, undefined, 201));
  const onB = await Promise.all(["Ann", "Bob", "Cid"].map((n) => joinOn(B, n)));
  const witness = await joinOn(A, "Wit");
  const phones = await Promise.all(onB.map((j) => open(events(B), j.participantToken)));
  const witnessStream = await open(events(A), witness.participantToken);
  for (const p of [...phones, witnessStream]) await p.waitFor((e) => e.data.type === "you", 10_000, "the first you event");

  // The fourth student uses a browser; the balancer sends it to B.
  const context = await browser.newContext({ baseURL: BALANCER });
  contexts.push(context);
  const dana = await context.newPage();
  await dana.goto(`/join?code=${s.code}`);
  await dana.getByLabel(/Nickname/).fill("Dana");
  await dana.getByRole("button", { name: "Join" }).click();
  await expect(dana).toHaveURL(new RegExp(`/live/${s.id}$`));
  await expect(dana.getByTestId("live-prompt")).toHaveText(`What does ${CALL} return?`);
  expect(balancer!.served.get(B), "the browser's requests went to B").toBeGreaterThan(0);
  expect(balancer!.served.get(A) ?? 0).toBe(0);

  // Every join, on either server, reaches the teacher's stream on A.
  await teacher.waitFor((e) => e.data.type === "answers" && e.data.participants === 5, 10_000, "5 participants on A's stream");

  // A opens; every student on B sees it.
  const opened = ControlResponse.parse(await ok(A, "POST", `/api/live/${s.id}/control`, { action: "open" }, s.teacherToken, 200));
  expect(opened.state.phase).toBe("open");
  await Promise.all(phones.map((p) => p.waitFor(isState("open", 0), 10_000, "open from A on B")));
  await expect(dana.getByLabel("Your answer")).toBeEnabled();

  // Answers on B (and the witness's on A) reach the teacher on A with exact counts.
  const answers = ["6", " 6 ", "7"];
  await Promise.all(onB.map((j, i) => ok(B, "POST", `/api/live/${s.id}/answers`, { slide: 0, question: 0, answer: answers[i] }, j.participantToken, 200)));
  await ok(A, "POST", `/api/live/${s.id}/answers`, { slide: 0, question: 0, answer: "5" }, witness.participantToken, 200);
  await browserAnswer(dana, "6");
  const counted = await teacher.waitFor((e) => e.data.type === "answers" && e.data.answered === 5, 10_000, "5 answers on A's stream");
  expect(counted.data).toEqual({
    type: "answers",
    slide: 0,
    question: 0,
    histogram: [
      { answer: "6", count: 3 },
      { answer: "5", count: 1 },
      { answer: "7", count: 1 },
    ],
    answered: 5,
    participants: 5,
  });
  await phones[2].waitFor((e) => e.data.type === "you" && e.data.answer === "7", 10_000, "Cid's own answer on B");

  // A locks: B refuses a late answer and every student on B sees it.
  await ok(A, "POST", `/api/live/${s.id}/control`, { action: "lock" }, s.teacherToken, 200);
  await Promise.all(phones.map((p) => p.waitFor(isState("locked", 0), 10_000, "lock from A on B")));
  expect((await call(B, "POST", `/api/live/${s.id}/answers`, { slide: 0, question: 0, answer: "8" }, onB[0].participantToken)).status).toBe(409);

  // A reveals: B's students get reality's answer, and not before.
  for (const p of phones) expect(p.events.every((e) => e.data.type !== "state" || e.data.state.reveal === null)).toBe(true);
  await ok(A, "POST", `/api/live/${s.id}/control`, { action: "reveal" }, s.teacherToken, 200);
  let revealId = "";
  for (const p of phones) {
    const r = await p.waitFor(isState("revealed", 0), 10_000, "reveal from A on B");
    expect(r.data.type === "state" && r.data.state.reveal?.real).toBe("6");
    revealId = r.id!;
  }
  await expect(dana.getByTestId("live-reveal")).toContainText("6");
  await expect(dana.getByTestId("live-verdict")).toHaveText("✓ You were right.", { timeout: 60_000 });

  // The same results from both servers.
  const resultsOn = async (base: string) => LiveResults.parse(await ok(base, "GET", `/api/live/${s.id}/results`, undefined, s.teacherToken, 200));
  const fromA = await resultsOn(A);
  expect(await resultsOn(B)).toEqual(fromA);
  expect(fromA.participants).toBe(5);
  expect(fromA.questions[0]).toMatchObject({ answers: 5, right: 3, correct: "6", histogram: counted.data.type === "answers" ? counted.data.histogram : [] });

  // Every stream so far: each event once, in seq order.
  for (const st of [teacher, ...phones, witnessStream]) expect(idsOf(st)).toEqual([...new Set(idsOf(st))].sort((x, y) => x - y));

  // B is stopped as a process manager stops it. Its streams end (they would hold it open).
  const lastIds = phones.map((p) => p.lastId()!);
  expect(await b!.terminate(), "B exits cleanly on SIGTERM").toEqual({ code: 0, signal: null });
  for (const p of phones) await p.closedByServer(5_000);

  // While the students are away the teacher moves on, on A.
  await ok(A, "POST", `/api/live/${s.id}/control`, { action: "goto", slide: 0, question: 1 }, s.teacherToken, 200);
  await ok(A, "POST", `/api/live/${s.id}/control`, { action: "open" }, s.teacherToken, 200);
  await witnessStream.waitFor(isState("open", 1), 10_000, "open of question 2 on the witness");

  // They resume on A from where they were: exactly the state events the witness saw after that id.
  const resumed = await Promise.all(onB.map((j, i) => open(events(A), j.participantToken, lastIds[i])));
  for (const [i, r] of resumed.entries()) {
    await r.waitFor(isState("open", 1), 10_000, "open of question 2 after resuming");
    const after = Number(lastIds[i]);
    expect(r.events[0].id !== null && Number(r.events[0].id) > after, "a resumed stream starts after its Last-Event-ID, not with a snapshot").toBe(true);
    expect(statesAfter(r, after)).toEqual(statesAfter(witnessStream, after));
    expect(statesAfter(r, after).map(([, e]) => e.type === "state" && `${e.state.phase}@${e.state.question}`)).toEqual(["lobby@1", "open@1"]);
  }
  // The browser resumes on A by itself (the balancer finds B gone).
  await expect(dana.getByTestId("live-prompt")).toHaveText(`Does ${CALL} finish?`, { timeout: 30_000 });
  await expect(dana.getByTestId("live-connection")).toHaveText("");
  await browserAnswer(dana, "yes");
  expect(balancer!.served.get(A) ?? 0, "the browser's requests went to A once B was gone").toBeGreaterThan(0);
  // Its stream resumed on A from the last event it had on B, not from a fresh snapshot.
  const danaStreams = balancer!.log.filter((r) => r.path === `/api/live/${s.id}/events`);
  const onBStreams = danaStreams.filter((r) => r.backend === B);
  const resumedOnA = danaStreams.find((r) => r.backend === A);
  expect(onBStreams.length, "Dana's stream was on B first").toBeGreaterThan(0);
  expect(resumedOnA?.lastEventId ?? "", "Dana's stream on A carried a Last-Event-ID").toMatch(/^\d+$/);
  expect(Number(resumedOnA!.lastEventId)).toBeGreaterThanOrEqual(Number(revealId));

  const halts = ["yes", "yes", "no"];
  await Promise.all(onB.map((j, i) => ok(A, "POST", `/api/live/${s.id}/answers`, { slide: 0, question: 1, answer: halts[i] }, j.participantToken, 200)));
  await ok(A, "POST", `/api/live/${s.id}/answers`, { slide: 0, question: 1, answer: "yes" }, witness.participantToken, 200);
  const second = await teacher.waitFor((e) => e.data.type === "answers" && e.data.question === 1 && e.data.answered === 5, 10_000, "5 answers to question 2");
  expect(second.data.type === "answers" && second.data.histogram).toEqual([
    { answer: "yes", count: 4 },
    { answer: "no", count: 1 },
  ]);
  for (const [i, r] of resumed.entries()) await r.waitFor((e) => e.data.type === "you" && e.data.question === 1 && e.data.answer === halts[i], 10_000, "own answer after resuming");

  // The teacher's stream on A never broke and never repeated itself.
  expect(idsOf(teacher)).toEqual([...new Set(idsOf(teacher))].sort((x, y) => x - y));

  // A rolling restart: B comes back (the database is already migrated, A keeps serving), then A
  // gets SIGTERM. A second teacher stream, opened on the new B first, is the witness.
  b = await startInstance("B (restarted)", PORTS.b, pg!.url);
  const teacherWitness = await open(events(B), s.teacherToken);
  await teacherWitness.waitFor((e) => e.data.type === "state", 10_000, "the teacher's snapshot on the new B");
  const teacherLast = teacher.lastId()!;
  const studentLast = resumed.map((r) => r.lastId()!);
  expect(await a!.terminate(), "A exits cleanly on SIGTERM").toEqual({ code: 0, signal: null });
  for (const st of [teacher, ...resumed, witnessStream]) await st.closedByServer(5_000);

  // While the teacher's stream is down, two students change their answers, on the new B.
  await ok(B, "POST", `/api/live/${s.id}/answers`, { slide: 0, question: 1, answer: "no" }, onB[0].participantToken, 200);
  await browserAnswer(dana, "no");
  // yes: Bob, Wit; no: Ann, Cid, Dana.
  const changed = [
    { answer: "no", count: 3 },
    { answer: "yes", count: 2 },
  ];
  await teacherWitness.waitFor((e) => e.data.type === "answers" && e.data.question === 1 && JSON.stringify(e.data.histogram) === JSON.stringify(changed), 10_000, "the changed answers on the witness");
  const lastOnA = Math.max(...balancer!.log.map((r, i) => (r.backend === A ? i : -1)));
  const danaBack = () => balancer!.log.slice(lastOnA + 1).find((r) => r.path === `/api/live/${s.id}/events` && r.backend === B)?.lastEventId ?? "";
  await expect.poll(danaBack, { message: "Dana's stream moved back to B with a Last-Event-ID" }).toMatch(/^\d+$/);

  // The teacher resumes on B: exactly the events the witness got after that id.
  const teacherAgain = await open(events(B), s.teacherToken, teacherLast);
  const students = await Promise.all(onB.map((j, i) => open(events(B), j.participantToken, studentLast[i])));
  await teacherAgain.waitFor((e) => e.data.type === "answers" && JSON.stringify(e.data.histogram) === JSON.stringify(changed), 10_000, "the changed answers after resuming");
  const after = (st: SseClient, id: string) => st.events.filter((e) => e.id !== null && Number(e.id) > Number(id)).map((e) => [e.id, e.data]);
  expect(teacherAgain.events[0].id !== null && Number(teacherAgain.events[0].id) > Number(teacherLast)).toBe(true);
  // The witness began with a snapshot (its id is the session's seq then); what came after it must match.
  const since = String(Math.max(Number(teacherLast), Number(teacherWitness.events[0].id)));
  expect(after(teacherAgain, since).length).toBeGreaterThan(0);
  expect(after(teacherAgain, since)).toEqual(after(teacherWitness, since));
  await students[0].waitFor((e) => e.data.type === "you" && e.data.question === 1 && e.data.answer === "no", 10_000, "Ann's changed answer after resuming");

  const end = ControlResponse.parse(await ok(B, "POST", `/api/live/${s.id}/control`, { action: "end" }, s.teacherToken, 200));
  expect((end.state as TeacherState).phase).toBe("ended");
  for (const st of [teacherAgain, teacherWitness, ...students]) await st.closedByServer(5_000);
  const final = await resultsOn(B);
  expect(final.questions.map((q) => [q.answers, q.histogram])).toEqual([
    [5, fromA.questions[0].histogram],
    [5, changed],
  ]);
}
