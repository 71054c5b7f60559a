/**
 * CSV built in the teacher's browser (RFC 4180 quoting). Cells come from students, so a cell
 * a spreadsheet would read as a formula (= + - @, and tab or carriage return, which some
 * spreadsheets strip before looking) is prefixed with ' to stay text (OWASP CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  // Numbers we computed are safe and must stay numbers (a negative one too).
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
