// The X.509 certificate beside a key (`x5c`): the rules and messages of
// app/endorsements/certificates.py (leaf_of, fingerprint). Enough DER to find the certificate's
// SubjectPublicKeyInfo and compare it with the JWK's P-256 point; nothing else is trusted in it.
import { fromBase64url, sha256, toBase64url } from "./encoding";
import { isObject, type JsonObject } from "./jws";

export class CertificateProblem extends Error {}

// SubjectPublicKeyInfo of a P-256 key up to the point: SEQUENCE { SEQUENCE { id-ecPublicKey,
// prime256v1 }, BIT STRING { 0x00, 0x04 (uncompressed) ‖ x ‖ y } }.
const P256_SPKI_PREFIX = new Uint8Array([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
  0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
]);

/** The DER of the first certificate of a JWK's `x5c`, or null when it has none. Throws
 * CertificateProblem when it cannot be read or holds another key than the JWK. */
export function leafOf(jwk: JsonObject): Uint8Array | null {
  if (!("x5c" in jwk)) return null;
  const chain = jwk.x5c;
  if (!Array.isArray(chain) || chain.length === 0 || !chain.every((c) => typeof c === "string")) {
    throw new CertificateProblem("its certificate chain (x5c) is not a list of base64 certificates");
  }
  const der = fromBase64(chain[0] as string);
  const spki = der === null ? null : subjectPublicKeyInfo(der);
  if (der === null || spki === null) throw new CertificateProblem("its certificate (x5c) cannot be read");
  if (!holds(spki, jwk)) throw new CertificateProblem("its certificate (x5c) is for another key");
  return der;
}

/** SHA-256 of the certificate as `openssl x509 -noout -fingerprint -sha256` prints it. */
export async function fingerprint(der: Uint8Array): Promise<string> {
  return Array.from(await sha256(der), (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(":");
}

/** The fingerprint of a key's own certificate; null when it has none or a wrong one. */
export async function fingerprintOf(jwk: unknown): Promise<string | null> {
  if (!isObject(jwk)) return null;
  try {
    const der = leafOf(jwk);
    return der === null ? null : await fingerprint(der);
  } catch (error) {
    if (error instanceof CertificateProblem) return null;
    throw error;
  }
}

/** Standard base64 with its padding, as Python's b64decode(validate=True) reads it. */
function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return fromBase64url(text.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"));
}

/** Is this SubjectPublicKeyInfo the JWK's P-256 point, x and y written exactly as in the JWK? */
function holds(spki: Uint8Array, jwk: JsonObject): boolean {
  const prefix = P256_SPKI_PREFIX.length;
  return (
    spki.length === prefix + 64 &&
    P256_SPKI_PREFIX.every((byte, i) => spki[i] === byte) &&
    toBase64url(spki.subarray(prefix, prefix + 32)) === jwk.x &&
    toBase64url(spki.subarray(prefix + 32)) === jwk.y
  );
}

interface Node {
  tag: number;
  start: number;
  content: number;
  end: number;
}

/** One DER element at `at`, within `limit`; null when it does not fit. */
function element(bytes: Uint8Array, at: number, limit: number): Node | null {
  if (at + 2 > limit) return null;
  const tag = bytes[at] as number;
  let length = bytes[at + 1] as number;
  let content = at + 2;
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers: never in a certificate's outline
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || content + octets > limit) return null;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (bytes[content++] as number);
  }
  if (content + length > limit) return null;
  return { tag, start: at, content, end: content + length };
}

function children(bytes: Uint8Array, parent: Node): Node[] | null {
  const found: Node[] = [];
  for (let at = parent.content; at < parent.end; ) {
    const child = element(bytes, at, parent.end);
    if (child === null) return null;
    found.push(child);
    at = child.end;
  }
  return found;
}

/** Certificate → tbsCertificate → its seventh field (the sixth without a version). */
function subjectPublicKeyInfo(der: Uint8Array): Uint8Array | null {
  const certificate = element(der, 0, der.length);
  if (certificate === null || certificate.tag !== 0x30 || certificate.end !== der.length) return null;
  const tbs = element(der, certificate.content, certificate.end);
  if (tbs === null || tbs.tag !== 0x30) return null;
  const fields = children(der, tbs);
  if (fields === null) return null;
  const spki = fields[(fields[0]?.tag === 0xa0 ? 1 : 0) + 5]; // serial, algorithm, issuer, validity, subject
  return spki !== undefined && spki.tag === 0x30 ? der.subarray(spki.start, spki.end) : null;
}
