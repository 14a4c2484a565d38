// RFC 8785 JSON Canonicalization Scheme: the exact bytes a Concord statement is signed as.
// ECMAScript's own number and string serialisation is what the RFC specifies.

export class NotCanonicalizable extends Error {}

export function canonicalize(value: unknown): string {
  if (value === null || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NotCanonicalizable("a number that JSON cannot hold");
    return JSON.stringify(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  if (typeof value === "object") {
    // Keys sorted by their UTF-16 code units, which is how JavaScript compares strings.
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(",")}}`;
  }
  throw new NotCanonicalizable(`${typeof value} is not JSON`);
}
