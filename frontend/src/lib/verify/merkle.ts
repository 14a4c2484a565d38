// The signature log's Merkle tree, RFC 9162 §2.1: leaf = SHA-256(0x00 ‖ entry),
// node = SHA-256(0x01 ‖ left ‖ right), the left subtree the largest power of two.
import { concat, sha256, utf8 } from "./encoding";

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export function leafHash(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(LEAF, entry));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(NODE, left, right));
}

/** MTH(D[n]) over leaf hashes; SHA-256 of nothing for an empty tree. Pairing each level and
 * carrying an odd last node up unchanged builds exactly RFC 9162's left-balanced tree. */
export async function rootHash(leaves: readonly Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 0) return sha256(new Uint8Array());
  let level = [...leaves];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(await nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Uint8Array);
    level = next;
  }
  return level[0] as Uint8Array;
}

/** The recursive definition itself (RFC 9162 §2.1.1), to check the level-by-level one. */
export async function rootHashRecursive(leaves: readonly Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(await rootHashRecursive(leaves.slice(0, k)), await rootHashRecursive(leaves.slice(k)));
}

export async function entryLeaves(entries: readonly string[]): Promise<Uint8Array[]> {
  return Promise.all(entries.map((token) => leafHash(utf8(token))));
}
