/**
 * Live class sessions on the wire (docs: ../shared/spec/classroom.md "Live class session"):
 * every request body, response and Server-Sent Event of /api/live, shared by the server
 * (lib/live/*, app/api/live/**) and the pages. No server imports: browser code parses with it.
 *
 * Streams. GET /api/live/<id>/events answers text/event-stream; each event is
 * `id: <seq>` + `event: <type>` + `data: <LiveEvent JSON>`. Seq numbers are per session and
 * monotonic, but a stream sees only the ones meant for its role, so gaps are normal.
 * - Fresh connection (no Last-Event-ID): first a `state` event (id = the session's seq when
 *   it was read), for a participant then a `you` event without an id, then live events.
 * - Reconnection with Last-Event-ID (EventSource does it by itself): the stored events after
 *   that id, in order, then live ones. An unusable id (not a number, from the future) is
 *   treated as a fresh connection.
 * - A comment line (`: keep-alive`) every 15 s keeps proxies from closing an idle stream.
 * - When the session ends the server closes the stream after the `ended` state; reconnecting
 *   with the last id then answers 204, which stops EventSource for good.
 * - The role comes from the token (Bearer header, else the session's cookie). A browser that
 *   holds both cookies (a teacher trying the student page) picks with `?role=participant`.
 * Errors everywhere are lib/http/errors.ts bodies: 401 no token, 403 wrong token or role,
 * 404 unknown session or code, 409 not now (question not open or not current, session full),
 * 410 ended or expired, 413/415/422 bad bodies, 429 too many (Retry-After).
 * A participant's stream never carries the real or the model's answer before phase "revealed".
 */
import { z } from "zod";
import { Expected } from "@/lib/classroom/answers";
import { LessonId } from "@/lib/storage/lesson-schema";

export const LIVE_LIMITS = {
  participants: 500,
  nameChars: 40,
  answerChars: 200,
  /** Answers per participant: a burst of `answerBurst`, refilled at `answersPerSecond`. */
  answersPerSecond: 5,
  answerBurst: 10,
  /** A session nobody touched for this long is over (410). */
  idleHours: 4,
  /** Every JSON body of /api/live. */
  bodyBytes: 4 * 1024,
  heartbeatSeconds: 15,
} as const;

/** Join codes: no 0/O, 1/I/L, so a code read off a projector is typed right. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 6;

/** Accepts any case and surrounding spaces ("abc 234" is not a code; " abc234 " is ABC234). */
export const JoinCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((s) => s.length === CODE_LENGTH && [...s].every((c) => CODE_ALPHABET.includes(c)), {
    message: `a join code is ${CODE_LENGTH} characters from ${CODE_ALPHABET}`,
  });
export type JoinCode = z.infer<typeof JoinCode>;

/** Same scheme as run and lesson ids: 96 random bits in base64url. */
export const LiveSessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "not a session id");
export type LiveSessionId = z.infer<typeof LiveSessionId>;

/** Characters as people count them, not UTF-16 units. */
const chars = (s: string) => [...s].length;

export const ParticipantName = z
  .string()
  .trim()
  .refine((s) => chars(s) <= LIVE_LIMITS.nameChars, `name is longer than ${LIVE_LIMITS.nameChars} characters`)
  // Control characters would only confuse a list of names; the name is shown as text anyway.
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), "name contains control characters");

export const AnswerText = z
  .string()
  .trim()
  .min(1, "the answer is empty")
  .refine((s) => chars(s) <= LIVE_LIMITS.answerChars, `the answer is longer than ${LIVE_LIMITS.answerChars} characters`);

const Index = z.number().int().min(0).max(1000);

// ---- Requests and responses -------------------------------------------------------------

/** POST /api/live */
export const CreateLiveBody = z.object({ lesson: LessonId }).strict();
export type CreateLiveBody = z.infer<typeof CreateLiveBody>;

/** 201; also sets the HttpOnly cookie `cwm_live_t_<id>` to the teacher token. */
export const CreateLiveResponse = z
  .object({
    id: LiveSessionId,
    code: z.string(),
    teacherToken: z.string(),
    /** Absolute: `<origin>/join?code=ABC234` (for the QR code). */
    joinUrl: z.string(),
    /** `/present/<lesson id>?live=<session id>` */
    presentUrl: z.string(),
  })
  .strict();
export type CreateLiveResponse = z.infer<typeof CreateLiveResponse>;

/** POST /api/live/join */
export const JoinBody = z.object({ code: JoinCode, name: ParticipantName.optional() }).strict();
export type JoinBody = z.infer<typeof JoinBody>;

/** 201; also sets the HttpOnly cookie `cwm_live_p_<session id>` to the participant token. */
export const JoinResponse = z
  .object({
    session: z.object({ id: LiveSessionId, lesson: LessonId, title: z.string() }).strict(),
    participantToken: z.string(),
  })
  .strict();
export type JoinResponse = z.infer<typeof JoinResponse>;

/** POST /api/live/<id>/control (teacher only) */
export const ControlBody = z.discriminatedUnion("action", [
  z.object({ action: z.literal("goto"), slide: Index, question: Index }).strict(),
  z.object({ action: z.literal("open") }).strict(),
  z.object({ action: z.literal("lock") }).strict(),
  z.object({ action: z.literal("reveal") }).strict(),
  z.object({ action: z.literal("end") }).strict(),
]);
export type ControlBody = z.infer<typeof ControlBody>;

/** POST /api/live/<id>/answers (participant only): changeable while the question is open. */
export const AnswerBody = z.object({ slide: Index, question: Index, answer: AnswerText }).strict();
export type AnswerBody = z.infer<typeof AnswerBody>;

/** 200: the answer as stored (trimmed). It is in the database before this is sent. */
export const AnswerResponse = z.object({ answer: z.string() }).strict();
export type AnswerResponse = z.infer<typeof AnswerResponse>;

// ---- State ------------------------------------------------------------------------------

export const LivePhase = z.enum(["lobby", "open", "locked", "revealed", "ended"]);
export type LivePhase = z.infer<typeof LivePhase>;

/** Grouped by trimmed text, most frequent first (ties: text order). */
export const Histogram = z.array(z.object({ answer: z.string(), count: z.number().int().min(1) }).strict());
export type Histogram = z.infer<typeof Histogram>;

/** The current question as a student may see it: no answer in here. */
export const LiveQuestion = z
  .object({
    kind: z.enum(["value", "next_line", "return", "halts"]),
    /** "What is `s` when line 4 is about to run?" (lib/classroom/answers.ts questionPrompt) */
    prompt: z.string(),
    line: z.number().int().nullable(),
    name: z.string().nullable(),
    /** The slide's program and call (null: script mode). */
    code: z.string(),
    call: z.string().nullable(),
  })
  .strict();
export type LiveQuestion = z.infer<typeof LiveQuestion>;

/**
 * The answers to the current question. `real` is reality's (expectedText of realExpected) and
 * `expected` the same answer as data, which browsers score against after parsing in their
 * sandbox (display text cannot be read back: "x is not set at that step" is no literal);
 * `model` is the stored prediction's, null when the slide has none, with its answer as data too
 * (`expected`). `correct` is scored on the server by trimmed text only (the server never parses
 * Python, and results keep it); every browser shows scoreModel(expected, model.expected) after
 * its sandbox parsed both, so the projector and the phones agree.
 */
export const LiveKey = z
  .object({
    real: z.string(),
    expected: Expected,
    model: z.object({ answer: z.string(), label: z.string(), correct: z.boolean().nullable(), expected: Expected }).strict().nullable(),
  })
  .strict();
export type LiveKey = z.infer<typeof LiveKey>;

const StateBase = {
  phase: LivePhase,
  lessonTitle: z.string(),
  slide: z.number().int().min(0),
  slides: z.number().int().min(1),
  /** Index of the question within the slide; 0 with `info: null` when the slide has none. */
  question: z.number().int().min(0),
  /** Questions on this slide. */
  questions: z.number().int().min(0),
  info: LiveQuestion.nullable(),
  participants: z.number().int().min(0),
  /** Participants with an answer to the current question. */
  answered: z.number().int().min(0),
  /** null until phase "revealed" (for the teacher too: the projector shows this). */
  reveal: LiveKey.nullable(),
};

export const TeacherState = z
  .object({
    role: z.literal("teacher"),
    ...StateBase,
    /** Always there for the teacher when the question exists (presenter notes). */
    key: LiveKey.nullable(),
    histogram: Histogram,
    code: z.string(),
    /** As in CreateLiveResponse: absolute, from the origin the session was created on. */
    joinUrl: z.string(),
  })
  .strict();
export type TeacherState = z.infer<typeof TeacherState>;

export const ParticipantState = z.object({ role: z.literal("participant"), ...StateBase }).strict();
export type ParticipantState = z.infer<typeof ParticipantState>;

export const LiveState = z.discriminatedUnion("role", [TeacherState, ParticipantState]);
export type LiveState = z.infer<typeof LiveState>;

/** POST /api/live/<id>/control → 200 */
export const ControlResponse = z.object({ state: TeacherState }).strict();
export type ControlResponse = z.infer<typeof ControlResponse>;

// ---- Events -----------------------------------------------------------------------------

export const StateEvent = z.object({ type: z.literal("state"), state: LiveState }).strict();
/** Teacher only: after accepted answers and joins (coalesced, ≤ 50 ms apart). */
export const AnswersEvent = z
  .object({
    type: z.literal("answers"),
    slide: z.number().int().min(0),
    question: z.number().int().min(0),
    histogram: Histogram,
    answered: z.number().int().min(0),
    participants: z.number().int().min(0),
  })
  .strict();
/** Participant only: its own stored answer to that question (null: none yet). */
export const YouEvent = z
  .object({ type: z.literal("you"), slide: z.number().int().min(0), question: z.number().int().min(0), answer: z.string().nullable() })
  .strict();

export const LiveEvent = z.discriminatedUnion("type", [StateEvent, AnswersEvent, YouEvent]);
export type LiveEvent = z.infer<typeof LiveEvent>;
export type StateEvent = z.infer<typeof StateEvent>;
export type AnswersEvent = z.infer<typeof AnswersEvent>;
export type YouEvent = z.infer<typeof YouEvent>;

// ---- Results ----------------------------------------------------------------------------

export const ResultQuestion = z
  .object({
    slide: z.number().int().min(0),
    question: z.number().int().min(0),
    prompt: z.string(),
    kind: LiveQuestion.shape.kind,
    /** How many participants answered. */
    answers: z.number().int().min(0),
    histogram: Histogram,
    /** Reality's answer once this question was revealed, else null. */
    correct: z.string().nullable(),
    /** Answers equal to `correct` by trimmed text (null before reveal). */
    right: z.number().int().min(0).nullable(),
    /** The model's answer once revealed (null before, or when the slide has no prediction). */
    model: z.object({ answer: z.string(), correct: z.boolean().nullable() }).strict().nullable(),
  })
  .strict();
export type ResultQuestion = z.infer<typeof ResultQuestion>;

/** GET /api/live/<id>/results (teacher only): every question of the lesson, in order. */
export const LiveResults = z.object({ participants: z.number().int().min(0), phase: LivePhase, questions: z.array(ResultQuestion) }).strict();
export type LiveResults = z.infer<typeof LiveResults>;

// ---- Names shared by both sides ---------------------------------------------------------

export const teacherCookie = (sessionId: string) => `cwm_live_t_${sessionId}`;
export const participantCookie = (sessionId: string) => `cwm_live_p_${sessionId}`;
export const presentUrl = (lessonId: string, sessionId: string) => `/present/${lessonId}?live=${sessionId}`;
export const joinPath = (code: string) => `/join?code=${code}`;
