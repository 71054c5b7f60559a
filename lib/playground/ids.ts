/**
 * A random id for a run of the UI (a prediction, a halt question, a debug session, a
 * presentation window): 128 bits as hex. getRandomValues works outside secure contexts too
 * (a classroom server on http://<lan-ip>), unlike crypto.randomUUID.
 */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
