// Reading a bundle the user dropped: bundle.json itself, or the ZIP the platform hands out
// (bundle.json inside it), all in the browser, within the bounds `concord verify` keeps.
import { MAX_JSON_DEPTH, nestingDepth } from "./jws";
import { fromZip } from "./zip";

export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
export const MAX_KEY_SET_BYTES = 1024 * 1024;

export class UnreadableBundle extends Error {}

/** The bundle's JSON from the bytes of a .json file or of a .zip holding bundle.json. */
export async function readBundle(name: string, bytes: Uint8Array): Promise<unknown> {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new UnreadableBundle(`${name}: too large for a bundle`);
  let raw = bytes;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    try {
      raw = await fromZip(bytes, "bundle.json", MAX_BUNDLE_BYTES);
    } catch (error) {
      throw new UnreadableBundle(`${name}: ${error instanceof Error ? error.message : "not a readable ZIP"}`);
    }
  }
  return readJson(name, raw);
}

/** A JWK Set the reader chose to trust, from the bytes of its file. */
export function readKeySet(name: string, bytes: Uint8Array): unknown {
  if (bytes.length > MAX_KEY_SET_BYTES) throw new UnreadableBundle(`${name}: too large for a key set`);
  return readJson(name, bytes);
}

function readJson(name: string, raw: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new UnreadableBundle(`${name}: not UTF-8 text`);
  }
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw new UnreadableBundle(`${name}: JSON nested too deeply`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnreadableBundle(`${name}: not JSON (${error instanceof Error ? error.message : "parse error"})`);
  }
}
