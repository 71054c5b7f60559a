// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/react";
import QRCode from "qrcode";
import { afterEach, describe, expect, it } from "vitest";
import { QrCode, qrPath } from "../QrCode";

afterEach(cleanup);

const URL_TEXT = "http://192.168.1.20:3000/l/AbCdEfGhIjKlMnOp";

describe("QrCode", () => {
  it("draws every dark module of the code once, inside a four-module quiet zone", () => {
    const { modules } = QRCode.create(URL_TEXT, { errorCorrectionLevel: "M" });
    let dark = 0;
    for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) dark += modules.get(y, x) ? 1 : 0;
    const { d, n } = qrPath(URL_TEXT);
    expect(n).toBe(modules.size + 8);
    const squares = [...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(squares).toHaveLength(dark);
    expect(squares.every(([x, y]) => x >= 4 && y >= 4 && x < n - 4 && y < n - 4)).toBe(true);
  });

  it("different links draw different codes", () => {
    expect(qrPath(URL_TEXT).d).not.toBe(qrPath(URL_TEXT.replace("Op", "Oq")).d);
  });

  it("is an image with its label, dark on light whatever the scheme", () => {
    const { getByRole } = render(<QrCode text={URL_TEXT} label="QR code of the lesson" />);
    const svg = getByRole("img", { name: "QR code of the lesson" });
    expect(svg.querySelector("rect")?.getAttribute("fill")).toBe("#ffffff");
    expect(svg.querySelector("path")?.getAttribute("fill")).toBe("#000000");
  });

  it("a link holding markup is only data of the code", () => {
    const { container } = render(<QrCode text={'"><script>x</script>'} label="QR" />);
    expect(container.querySelector("script")).toBeNull();
  });
});
