import QRCode from "qrcode";
import { useMemo } from "react";

/**
 * A QR code drawn here, as an SVG path from the code's module matrix: no image service, no
 * network, no markup strings. Always dark on light with its quiet zone, whatever the scheme,
 * so phones read it off a projector.
 */
export function QrCode({ text, label, size = 240 }: { text: string; label: string; size?: number }) {
  const { d, n } = useMemo(() => qrPath(text), [text]);
  return (
    <svg role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shapeRendering="crispEdges" data-testid="qr-code">
      <rect width={n} height={n} fill="#ffffff" />
      <path d={d} fill="#000000" />
    </svg>
  );
}

const QUIET = 4;

/** The dark modules as one path, with a quiet zone of four modules (the QR standard's margin). */
export function qrPath(text: string): { d: string; n: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const size = modules.size;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (modules.get(y, x)) parts.push(`M${x + QUIET} ${y + QUIET}h1v1h-1z`);
  }
  return { d: parts.join(""), n: size + 2 * QUIET };
}
