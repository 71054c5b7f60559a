import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildProgram } from "@/lib/cwm/program";
import { createNodeTracer } from "@/lib/executor/node";
import { answerOf } from "@/lib/predictors/chat-prompt";
import { inputOfProgram, programOfMessage, startFakeChat } from "@/test/fakes/chat";

function hasPython(): boolean {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("the fake chat server's reading of a request", () => {
  it.each([
    ["def f(x):\n    return x", "f(1)"],
    ["def main():\n    return 1", "main()"],
    ["x = 1\n\ny = '''a\nb'''\nprint(x)", null],
    ["", null],
  ])("gets the code and call back from the traced program (%j)", (code, call) => {
    expect(inputOfProgram(buildProgram(code, call).program)).toEqual({ code, call });
  });

  it("finds the last python block of a message, whatever its fence", () => {
    expect(programOfMessage("a\n```python\nx = 1\n```\nthen\n````python\ny = '```'\n````")).toBe("y = '```'\n");
    expect(programOfMessage("no code here")).toBeNull();
  });
});

describe.skipIf(!hasPython())("the fake chat server with a tracer", () => {
  it("answers any program with its real trace", async () => {
    const tracer = await createNodeTracer({ python: "python3" });
    const fake = await startFakeChat({ tracer });
    try {
      const program = buildProgram("def g(s):\n    return s[::-1]", "g('ab')").program;
      const res = await fetch(`${fake.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: fake.options.model, stream: false, messages: [{ role: "user", content: `\`\`\`python\n${program}\`\`\`` }] }),
      });
      const body = (await res.json()) as { choices: Array<{ message: { content: string }; finish_reason: string }> };
      const truth = await tracer.trace({ code: "def g(s):\n    return s[::-1]", call: "g('ab')" });
      expect(body.choices[0]).toMatchObject({ message: { content: answerOf(truth.frames) }, finish_reason: "stop" });
    } finally {
      await fake.close();
      await tracer.close();
    }
  });
});
