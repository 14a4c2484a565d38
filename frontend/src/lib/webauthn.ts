// The browser's side of passkeys (WebAuthn): the platform's options (JSON, base64url) become
// the objects navigator.credentials expects, and the credential the authenticator makes goes
// back as JSON with base64url bytes, byte for byte (clientDataJSON is never re-serialised).
import type { SigningOptions } from "../api/types";
import { fromBase64url, toBase64url } from "./verify/encoding";

type Json = Record<string, unknown>;

function bytes(value: unknown): Uint8Array<ArrayBuffer> {
  const decoded = typeof value === "string" ? fromBase64url(value) : null;
  if (decoded === null) throw new Error("The platform sent options this browser cannot read.");
  return decoded as Uint8Array<ArrayBuffer>;
}

function b64(buffer: ArrayBuffer | null | undefined): string | null {
  return buffer ? toBase64url(new Uint8Array(buffer)) : null;
}

/** Can this browser make and use passkeys at all? */
export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

function descriptors(list: unknown): PublicKeyCredentialDescriptor[] {
  return Array.isArray(list)
    ? list.map((c: Json) => ({ type: "public-key" as const, id: bytes(c.id), transports: c.transports as AuthenticatorTransport[] | undefined }))
    : [];
}

/** A credential as the platform reads it (WebAuthn's JSON form): its response's bytes already
 * base64url, as `response` gives them. */
function credentialJson(credential: PublicKeyCredential, response: Json): Json {
  return {
    id: credential.id,
    rawId: b64(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: {},
    authenticatorAttachment: credential.authenticatorAttachment ?? null,
  };
}

/** navigator.credentials.create() over the options of POST /me/passkeys/options. */
export async function createPasskey(options: Json): Promise<Json> {
  const rp = options.rp as Json;
  const user = options.user as Json;
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { id: rp.id as string, name: rp.name as string },
      user: { id: bytes(user.id), name: user.name as string, displayName: user.displayName as string },
      challenge: bytes(options.challenge),
      pubKeyCredParams: options.pubKeyCredParams as PublicKeyCredentialParameters[],
      timeout: options.timeout as number,
      excludeCredentials: descriptors(options.excludeCredentials),
      authenticatorSelection: options.authenticatorSelection as AuthenticatorSelectionCriteria,
      attestation: "none",
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("No passkey was made.");
  const response = credential.response as AuthenticatorAttestationResponse;
  return credentialJson(credential, {
    clientDataJSON: b64(response.clientDataJSON),
    attestationObject: b64(response.attestationObject),
    transports: response.getTransports?.() ?? [],
  });
}

/** navigator.credentials.get() over the challenge of POST …/signatures/options. */
export async function signWithPasskey(options: SigningOptions): Promise<Json> {
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge: bytes(options.challenge),
      rpId: options.rp_id,
      allowCredentials: descriptors(options.allow_credentials),
      userVerification: "required",
      timeout: options.timeout,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("The passkey did not sign.");
  const response = credential.response as AuthenticatorAssertionResponse;
  return credentialJson(credential, {
    authenticatorData: b64(response.authenticatorData),
    clientDataJSON: b64(response.clientDataJSON),
    signature: b64(response.signature),
    userHandle: b64(response.userHandle),
  });
}

/** What to tell a person when the browser's passkey dialog ends without a passkey. */
export function passkeyFailure(error: unknown): string {
  if (error instanceof DOMException && error.name === "NotAllowedError") {
    return "The passkey request was cancelled or timed out. Try again when you are ready.";
  }
  if (error instanceof DOMException && error.name === "InvalidStateError") {
    return "This device already holds a passkey for your account.";
  }
  return error instanceof Error ? error.message : String(error);
}
