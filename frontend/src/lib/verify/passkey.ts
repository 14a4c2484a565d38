// A WebAuthn assertion checked offline, as app/passkeys/assertion.py checks it, in the same
// order and the same words: the mayor's authenticator signed (ECDSA P-256, DER) its
// authenticatorData ‖ SHA-256(clientDataJSON), over a challenge carrying this text's
// fingerprint, for this origin and RP ID, with the user verified.
import { concat, fromBase64url, hex, pyRepr, sha256, subtle, utf8 } from "./encoding";
import { isObject, type JsonObject } from "./jws";

const CHALLENGE_PREFIX = utf8("concord-endorse\u0000");
const NONCE_SIZE = 16;
const CHALLENGE_SIZE = CHALLENGE_PREFIX.length + 32 + NONCE_SIZE;
const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const MAX_CLIENT_DATA = 4096;

export class AssertionProblem extends Error {}

function decode(value: unknown, what: string): Uint8Array {
  const bytes = typeof value === "string" ? fromBase64url(value) : null;
  if (bytes === null) throw new AssertionProblem(`${what} is not base64url`);
  return bytes;
}

function fingerprintDigest(contentHash: string): Uint8Array {
  if (!/^sha256:[0-9a-fA-F]{64}$/.test(contentHash)) {
    throw new AssertionProblem(`${pyRepr(contentHash)} is not a sha256 fingerprint`);
  }
  return Uint8Array.from(contentHash.slice(7).match(/../g) as string[], (h) => parseInt(h, 16));
}

async function publicKeyOf(jwk: unknown): Promise<CryptoKey> {
  if (!isObject(jwk) || jwk.kty !== "EC" || jwk.crv !== "P-256") {
    throw new AssertionProblem("the public key is not an EC P-256 JWK");
  }
  const x = decode(jwk.x, "public_key.x");
  const y = decode(jwk.y, "public_key.y");
  if (x.length !== 32 || y.length !== 32) throw new AssertionProblem("the public key's coordinates are not 32 bytes");
  try {
    return await subtle().importKey(
      "jwk",
      { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string, ext: true },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
  } catch {
    throw new AssertionProblem("the public key is not on P-256");
  }
}

function clientData(raw: Uint8Array): JsonObject {
  if (raw.length > MAX_CLIENT_DATA) throw new AssertionProblem("clientDataJSON is too long");
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    throw new AssertionProblem("clientDataJSON is not JSON");
  }
  if (!isObject(value)) throw new AssertionProblem("clientDataJSON is not a JSON object");
  return value;
}

/** DER ECDSA-Sig-Value (SEQUENCE of two INTEGERs) to the raw r ‖ s WebCrypto verifies; null
 * when it is not one. */
function derToRaw(der: Uint8Array): Uint8Array | null {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const out = new Uint8Array(64);
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (der[at] !== 0x02) return null;
    const length = der[at + 1] as number;
    let value = der.subarray(at + 2, at + 2 + length);
    if (length === 0 || value.length !== length) return null;
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if (value.length > 32) return null;
    out.set(value, 32 * i + 32 - value.length);
    at += 2 + length;
  }
  return at === der.length ? out : null;
}

export async function verifyAssertion(passkey: unknown, contentHash: string, origin: string, rpId: string): Promise<void> {
  if (!isObject(passkey)) throw new AssertionProblem("the passkey assertion is not an object");
  const authenticatorData = decode(passkey.authenticator_data, "authenticator_data");
  const clientDataJson = decode(passkey.client_data_json, "client_data_json");
  const signature = decode(passkey.signature, "signature");
  const key = await publicKeyOf(passkey.public_key);
  const data = clientData(clientDataJson);
  if (data.type !== "webauthn.get") {
    throw new AssertionProblem(`clientDataJSON type is ${pyRepr(data.type)}, not webauthn.get`);
  }
  const challenge = decode(data.challenge, "the challenge");
  const expected = fingerprintDigest(contentHash);
  if (
    challenge.length !== CHALLENGE_SIZE ||
    hex(challenge.subarray(0, CHALLENGE_PREFIX.length)) !== hex(CHALLENGE_PREFIX) ||
    hex(challenge.subarray(CHALLENGE_PREFIX.length, CHALLENGE_SIZE - NONCE_SIZE)) !== hex(expected)
  ) {
    throw new AssertionProblem(`the authenticator signed a challenge that does not carry ${contentHash}`);
  }
  if (data.origin !== origin) throw new AssertionProblem(`signed for origin ${pyRepr(data.origin)}, not ${pyRepr(origin)}`);
  if (data.crossOrigin === true) throw new AssertionProblem("signed inside a frame of another origin");
  if (authenticatorData.length < 37) throw new AssertionProblem("authenticator_data is shorter than 37 bytes");
  if (hex(authenticatorData.subarray(0, 32)) !== hex(await sha256(utf8(rpId)))) {
    throw new AssertionProblem(`signed for another relying party than ${pyRepr(rpId)}`);
  }
  const flags = authenticatorData[32] as number;
  if (!(flags & FLAG_USER_PRESENT)) throw new AssertionProblem("the authenticator reports no user presence");
  if (!(flags & FLAG_USER_VERIFIED)) {
    throw new AssertionProblem("the authenticator did not verify the user (PIN or biometric)");
  }
  const raw = derToRaw(signature);
  const signed = concat(authenticatorData, await sha256(clientDataJson));
  const valid =
    raw !== null &&
    (await subtle().verify({ name: "ECDSA", hash: "SHA-256" }, key, raw as Uint8Array<ArrayBuffer>, signed));
  if (!valid) throw new AssertionProblem("the assertion's signature does not verify");
}
