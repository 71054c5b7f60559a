import { describe, expect, it } from "vitest";
import { AnswerBody, ControlBody, JoinBody, JoinCode, LiveEvent, ParticipantName } from "../protocol";

describe("live protocol", () => {
  it("a join code is read in any case with spaces around it", () => {
    expect(JoinCode.parse(" abc234 ")).toBe("ABC234");
  });
  it("a join code with 0, O, 1, I or L is refused", () => {
    for (const c of ["ABC230", "ABC23O", "ABC231", "ABC23I", "ABC23L"]) expect(JoinCode.safeParse(c).success).toBe(false);
  });
  it("a join code of the wrong length is refused", () => {
    expect(JoinCode.safeParse("ABC23").success).toBe(false);
    expect(JoinCode.safeParse("ABC2345").success).toBe(false);
  });
  it("names count characters, not UTF-16 units: 40 emoji fit, 41 do not", () => {
    expect(ParticipantName.safeParse("😀".repeat(40)).success).toBe(true);
    expect(ParticipantName.safeParse("😀".repeat(41)).success).toBe(false);
  });
  it("an answer is trimmed, and empty after trimming is refused", () => {
    expect(AnswerBody.parse({ slide: 0, question: 0, answer: "  42 " }).answer).toBe("42");
    expect(AnswerBody.safeParse({ slide: 0, question: 0, answer: " \n " }).success).toBe(false);
  });
  it("control actions are a closed set and carry no stray fields", () => {
    expect(ControlBody.safeParse({ action: "goto", slide: 1, question: 0 }).success).toBe(true);
    expect(ControlBody.safeParse({ action: "goto", slide: 1 }).success).toBe(false);
    expect(ControlBody.safeParse({ action: "open", slide: 1 }).success).toBe(false);
    expect(ControlBody.safeParse({ action: "delete" }).success).toBe(false);
  });
  it("a join body refuses fields it does not know", () => {
    expect(JoinBody.safeParse({ code: "ABC234", admin: true }).success).toBe(false);
  });
  it("events are a discriminated union on type", () => {
    expect(LiveEvent.safeParse({ type: "you", slide: 0, question: 0, answer: null }).success).toBe(true);
    expect(LiveEvent.safeParse({ type: "secret", slide: 0 }).success).toBe(false);
  });
});
