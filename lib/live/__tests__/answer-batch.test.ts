import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { AnswerBatcher, type WriteAnswers } from "../answer-batch";
import { LiveHub } from "../hub";
import type { AnswerItem } from "../store";

const item = (participantId: number, answer = `a${participantId}`): AnswerItem => ({ participantId, slide: 0, question: 0, answer });

/** A writer that records each batch and can be held open, failed or made to refuse. */
function recorder(opts: { fail?: (batch: AnswerItem[]) => boolean; refuse?: (it: AnswerItem) => boolean } = {}) {
  const batches: AnswerItem[][] = [];
  const joins: boolean[] = [];
  let open = 0;
  let overlapped = false;
  let release: (() => void) | null = null;
  let hold = false;
  const write: WriteAnswers = async (_id, items, joined) => {
    batches.push(items);
    joins.push(joined);
    open++;
    if (open > 1) overlapped = true;
    if (hold) await new Promise<void>((r) => (release = r));
    else await new Promise((r) => setTimeout(r, 1));
    open--;
    if (opts.fail?.(items)) throw new Error("commit failed");
    const refused = new Map<number, AppError>();
    items.forEach((it, i) => {
      if (opts.refuse?.(it)) refused.set(i, new AppError("conflict", "not open"));
    });
    return { refused, events: [] };
  };
  return {
    write,
    batches,
    joins,
    overlapped: () => overlapped,
    holdNext: () => (hold = true),
    releaseHeld: () => {
      hold = false;
      release?.();
    },
  };
}

describe("answer group commit", () => {
  it("answers arriving in the same turn are written in one batch, each settled after it", async () => {
    const r = recorder();
    const b = new AnswerBatcher(new LiveHub(), r.write);
    const settled: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((p) => b.submit("s", item(p)).then(() => settled.push(r.batches.length))));
    expect(r.batches.map((x) => x.length)).toEqual([5]);
    expect(settled).toEqual([1, 1, 1, 1, 1]);
  });

  it("answers that arrive while a batch is being written wait for it and go in the next one, never two writes at once", async () => {
    const r = recorder();
    r.holdNext();
    const b = new AnswerBatcher(new LiveHub(), r.write);
    const first = b.submit("s", item(1));
    await new Promise((res) => setTimeout(res, 5));
    const later = [2, 3, 4].map((p) => b.submit("s", item(p)));
    await new Promise((res) => setTimeout(res, 5));
    expect(r.batches.length).toBe(1);
    r.releaseHeld();
    await Promise.all([first, ...later]);
    expect(r.batches.map((x) => x.map((i) => i.participantId))).toEqual([[1], [2, 3, 4]]);
    expect(r.overlapped()).toBe(false);
  });

  it("a failed commit fails every answer in it, and the next batch is written afresh", async () => {
    let failing = true;
    const r = recorder({ fail: () => failing });
    const b = new AnswerBatcher(new LiveHub(), r.write);
    const results = await Promise.allSettled([1, 2, 3].map((p) => b.submit("s", item(p))));
    expect(results.map((x) => x.status)).toEqual(["rejected", "rejected", "rejected"]);
    failing = false;
    await expect(b.submit("s", item(4))).resolves.toBeUndefined();
  });

  it("a refusal rejects only its own answer with its error", async () => {
    const r = recorder({ refuse: (it) => it.participantId === 2 });
    const b = new AnswerBatcher(new LiveHub(), r.write);
    const results = await Promise.allSettled([1, 2, 3].map((p) => b.submit("s", item(p))));
    expect(results.map((x) => x.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const why = (results[1] as PromiseRejectedResult).reason as AppError;
    expect(why).toBeInstanceOf(AppError);
    expect(why.code).toBe("conflict");
  });

  it("committed answers are acknowledged even when handing their events to the streams fails", async () => {
    class BrokenHub extends LiveHub {
      override published(): void {
        throw new Error("fan-out failed");
      }
    }
    const r = recorder();
    const b = new AnswerBatcher(new BrokenHub(), r.write);
    const quiet = console.error;
    console.error = () => {};
    try {
      await expect(Promise.all([b.submit("s", item(1)), b.submit("s", item(2))])).resolves.toEqual([undefined, undefined]);
    } finally {
      console.error = quiet;
    }
  });

  it("joins in one turn cost one write, with no answers and marked joined", async () => {
    const r = recorder();
    const b = new AnswerBatcher(new LiveHub(), r.write);
    b.joined("s");
    b.joined("s");
    b.joined("s");
    await b.idle();
    expect(r.batches).toEqual([[]]);
    expect(r.joins).toEqual([true]);
  });

  it("a join during a write rides the next batch with the answers waiting; answers alone are not marked joined", async () => {
    const r = recorder();
    r.holdNext();
    const b = new AnswerBatcher(new LiveHub(), r.write);
    const first = b.submit("s", item(1));
    await new Promise((res) => setTimeout(res, 5));
    b.joined("s");
    const later = b.submit("s", item(2));
    r.releaseHeld();
    await Promise.all([first, later]);
    expect(r.batches.map((x) => x.map((i) => i.participantId))).toEqual([[1], [2]]);
    expect(r.joins).toEqual([false, true]);
  });

  it("a failed write of join counts is logged, and later answers are still written", async () => {
    let failing = true;
    const r = recorder({ fail: () => failing });
    const b = new AnswerBatcher(new LiveHub(), r.write);
    const logged: unknown[] = [];
    const quiet = console.error;
    console.error = (...a: unknown[]) => logged.push(a[0]);
    try {
      b.joined("s");
      await b.idle();
    } finally {
      console.error = quiet;
    }
    expect(logged).toEqual([expect.stringContaining("answer events of session s failed")]);
    failing = false;
    await expect(b.submit("s", item(1))).resolves.toBeUndefined();
  });

  it("sessions are batched apart", async () => {
    const r = recorder();
    const b = new AnswerBatcher(new LiveHub(), r.write);
    await Promise.all([b.submit("a", item(1)), b.submit("b", item(2)), b.submit("a", item(3))]);
    expect(r.batches.map((x) => x.map((i) => i.participantId)).sort()).toEqual([[1, 3], [2]]);
  });

  it("idle() waits for the batches in flight", async () => {
    const r = recorder();
    r.holdNext();
    const b = new AnswerBatcher(new LiveHub(), r.write);
    void b.submit("s", item(1));
    let idle = false;
    const waiting = b.idle().then(() => (idle = true));
    await new Promise((res) => setTimeout(res, 20));
    expect(idle).toBe(false);
    r.releaseHeld();
    await waiting;
    expect(idle).toBe(true);
  });
});
