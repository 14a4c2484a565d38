// Recomputing a fingerprint in the browser, as anyone can: "sha256:" + hex(SHA-256(UTF-8 text)).

/** The content_hash of some bytes (or a string, as UTF-8); null where the browser offers no
 * WebCrypto (a page not served over HTTPS or from localhost). */
export async function contentHash(content: ArrayBuffer | string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const digest = await subtle.digest("SHA-256", bytes);
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return `sha256:${hex}`;
}
