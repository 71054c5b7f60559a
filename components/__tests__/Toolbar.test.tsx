// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PredictorListing } from "@/lib/predictors/protocol";
import { EditorBar, Toolbar } from "../Toolbar";

const BASELINE: PredictorListing = { id: "baseline", label: "Syntax-only baseline (not a model)", kind: "baseline", available: true, model: null };

function toolbar(ready: boolean) {
  render(
    <Toolbar
      ready={ready}
      running={false}
      predicting={false}
      predictors={[BASELINE]}
      predictorsLoading={false}
      predictorsError={null}
      predictorId="baseline"
      onPredictor={vi.fn()}
      compareId=""
      onCompare={vi.fn()}
      sampling={{}}
      samplingDefaults={{ temperature: 0, max_tokens: 4096 }}
      onSampling={vi.fn()}
      onRun={vi.fn()}
      onPredict={vi.fn()}
      onRunAndPredict={vi.fn()}
      onStop={vi.fn()}
    />,
  );
}

afterEach(cleanup);

describe("before the stored draft is loaded", () => {
  it("Run, Predict and Run & Predict are disabled, so a click cannot run the wrong code", () => {
    toolbar(false);
    for (const name of ["Run", "Predict", "Run & Predict"]) {
      expect(screen.getByRole("button", { name }).hasAttribute("disabled")).toBe(true);
    }
  });

  it("they are enabled once it is loaded", () => {
    toolbar(true);
    for (const name of ["Run", "Predict", "Run & Predict"]) {
      expect(screen.getByRole("button", { name }).hasAttribute("disabled")).toBe(false);
    }
  });

  it("the Examples menu is disabled, so a choice cannot be lost", () => {
    render(<EditorBar ready={false} exampleId={null} onExample={vi.fn()} phase={{ phase: "idle" }} running={false} />);
    expect(screen.getByLabelText("Examples").hasAttribute("disabled")).toBe(true);
  });
});
