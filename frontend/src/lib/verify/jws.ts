// ES256 compact JWS over RFC 8785 JSON, verified with WebCrypto: the rules and the messages of
// app/endorsements/statements.py (verify_signed, find_key, key_matches_kid).
import { canonicalize } from "./jcs";
import { fromBase64url, pyRepr, pyStr, sha256, subtle, toBase64url, utf8 } from "./encoding";

export const ALGORITHM = "ES256";
export const ENTRY_TYP = "concord-entry+jws";
export const CHECKPOINT_TYP = "concord-checkpoint+jws";
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Statements nest three levels deep; more is refused before anything recurses into it, as in
// app/endorsements/statements.py.
export const MAX_JSON_DEPTH = 64;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export class InvalidSignature extends Error {}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonPart(token: unknown, index: number): JsonObject | null {
  if (typeof token !== "string" || !COMPACT_JWS.test(token)) {
    throw new InvalidSignature("not a compact JWS (three base64url parts)");
  }
  const bytes = fromBase64url(token.split(".")[index] ?? "");
  if (bytes === null) return null;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (nestingDepth(text) > MAX_JSON_DEPTH) return null;
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** How deeply arrays and objects nest in JSON text (`[[]]` is 2), counted without parsing. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      deepest = Math.max(deepest, ++depth);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

export function unverifiedHeader(token: unknown): JsonObject {
  const header = jsonPart(token, 0);
  if (header === null) throw new InvalidSignature("the JWS header cannot be read");
  return header;
}

/** The payload of a JWS read without checking it (to name a broken entry), or null. */
export function unverifiedStatement(token: unknown): JsonObject | null {
  try {
    return jsonPart(token, 1);
  } catch (error) {
    if (error instanceof InvalidSignature) return null;
    throw error;
  }
}

/** The EC P-256 key with this kid in a JWK Set. */
export function findKey(jwks: unknown, kid: string): JsonObject {
  const keys = isObject(jwks) ? jwks.keys : undefined;
  for (const candidate of Array.isArray(keys) ? keys : []) {
    if (isObject(candidate) && candidate.kid === kid) {
      if (candidate.kty !== "EC" || candidate.crv !== "P-256") throw new InvalidSignature(`key ${kid} is not an EC P-256 key`);
      const alg = "alg" in candidate ? candidate.alg : ALGORITHM;
      if (alg !== ALGORITHM) throw new InvalidSignature(`key ${kid} is published for ${pyStr(alg)}`);
      return candidate;
    }
  }
  throw new InvalidSignature(`signed with key ${kid}, which is not in the key set`);
}

/** RFC 7638 thumbprint of an EC key: base64url SHA-256 of {crv, kty, x, y} without spaces. */
export async function thumbprint(jwk: JsonObject): Promise<string | null> {
  const { crv, kty, x, y } = jwk;
  if (crv === undefined || kty === undefined || x === undefined || y === undefined) return null;
  // Python's sorted json.dumps with these members (ASCII in practice) is the canonical form.
  return toBase64url(await sha256(utf8(canonicalize({ crv, kty, x, y }))));
}

export async function keyMatchesKid(jwk: JsonObject): Promise<boolean> {
  try {
    return jwk.kid === (await thumbprint(jwk));
  } catch {
    return false;
  }
}

const imported = new Map<string, Promise<CryptoKey>>();

function importKey(jwk: JsonObject): Promise<CryptoKey> {
  const id = `${pyStr(jwk.x)}.${pyStr(jwk.y)}`;
  let key = imported.get(id);
  if (!key) {
    key = subtle().importKey(
      "jwk",
      { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string, ext: true },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    imported.set(id, key);
    key.catch(() => imported.delete(id));
  }
  return key;
}

/** Verify an ES256 JWS with the key its kid names in `jwks`: its header and its statement. */
export async function verifySigned(token: unknown, jwks: unknown, typ?: string): Promise<[JsonObject, JsonObject]> {
  const header = unverifiedHeader(token);
  const alg = header.alg;
  if (alg !== ALGORITHM) throw new InvalidSignature(`algorithm ${pyRepr(alg)} is refused: only ES256 is accepted`);
  const kid = header.kid;
  if (typeof kid !== "string" || !kid) throw new InvalidSignature("the header names no key (kid)");
  if (typ !== undefined && header.typ !== typ) {
    throw new InvalidSignature(`type ${pyRepr(header.typ)} where ${pyRepr(typ)} was expected`);
  }
  const publicKey = findKey(jwks, kid);
  let key: CryptoKey;
  try {
    key = await importKey(publicKey);
  } catch {
    throw new InvalidSignature(`key ${kid} is not a valid P-256 public key`);
  }
  const [headerPart, payloadPart, signaturePart] = (token as string).split(".") as [string, string, string];
  const signature = fromBase64url(signaturePart);
  const payload = fromBase64url(payloadPart);
  // ES256 signatures are raw r ‖ s, 64 bytes (RFC 7518 §3.4), which is what WebCrypto expects.
  const valid =
    signature !== null &&
    payload !== null &&
    signature.length === 64 &&
    (await subtle().verify(
      { name: "ECDSA", hash: "SHA-256" },
      key,
      signature as Uint8Array<ArrayBuffer>,
      utf8(`${headerPart}.${payloadPart}`) as Uint8Array<ArrayBuffer>,
    ));
  if (!valid || payload === null) throw new InvalidSignature(`signature does not verify with key ${kid}`);
  let text: string;
  let statement: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    throw new InvalidSignature("the signed payload is not JSON");
  }
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw new InvalidSignature("the signed payload is nested too deeply");
  try {
    statement = JSON.parse(text);
  } catch {
    throw new InvalidSignature("the signed payload is not JSON");
  }
  if (!isObject(statement)) throw new InvalidSignature("the signed payload is not a JSON object");
  let canonical: string | null;
  try {
    canonical = canonicalize(statement);
  } catch {
    canonical = null;
  }
  // Integers beyond 2^53 lose their value in JavaScript; RFC 8785 cannot carry them either.
  if (canonical !== text || hasUnsafeInteger(statement)) {
    throw new InvalidSignature("the signed payload is not RFC 8785 canonical JSON");
  }
  return [header, statement];
}

function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some(hasUnsafeInteger);
  if (isObject(value)) return Object.values(value).some(hasUnsafeInteger);
  return false;
}
