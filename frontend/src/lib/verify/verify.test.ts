// @vitest-environment node
/// <reference types="node" />
// The browser verifier against real bundles made by the Python core (scripts/make_verify_fixtures.py):
// it must accept what `concord verify` accepts and name every problem in the same words.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyBundle } from "./bundle";
import { utf8 } from "./encoding";
import { canonicalize } from "./jcs";
import { rootHash, rootHashRecursive, leafHash } from "./merkle";
import { readBundle, UnreadableBundle } from "./read";

const read = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const bundle: unknown = JSON.parse(read("bundle.json").toString("utf8"));
const tampered = JSON.parse(read("tampered.json").toString("utf8")) as Record<string, unknown>;
const otherKeys: unknown = JSON.parse(read("other-jwks.json").toString("utf8"));

interface Expected {
  ok: boolean;
  problems: string[];
  signatories?: [number, string, string][];
  withdrawn?: [number, string, number][];
  tree_size?: number | null;
  root_hash?: string | null;
  final?: boolean;
  keys?: string[];
  declaration?: Record<string, unknown>;
}
const expected = JSON.parse(read("expected.json").toString("utf8")) as Record<string, Expected>;

describe("verifyBundle on a real signed declaration", () => {
  it("accepts it and lists the standing signatories, as concord verify does", async () => {
    const report = await verifyBundle(bundle);
    const python = expected.valid!;
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signatories.map((s) => [s.seq, s.city.name, s.signer.name])).toEqual(python.signatories);
    expect(report.withdrawn.map((w) => [w.seq, w.city.name, w.withdrawnBy])).toEqual(python.withdrawn);
    expect(report.treeSize).toBe(python.tree_size);
    expect(report.rootHash).toBe(python.root_hash);
    expect(report.final).toBe(true);
    expect(report.keys).toEqual(python.keys);
    expect(report.declaration).toEqual(python.declaration);
    // Six cities signed, Malmö withdrew and signed again, Киев withdrew.
    expect(report.signatories.map((s) => s.city.name)).toEqual(["Mechelen", "São Paulo", "東京", "عمّان", "Malmö"]);
  });

  it("reads the same bundle out of the platform's ZIP", async () => {
    const fromZip = await readBundle("signed-declaration.zip", new Uint8Array(read("signed-declaration.zip")));
    expect(fromZip).toEqual(bundle);
    expect((await verifyBundle(fromZip)).ok).toBe(true);
  });

  it("refuses what is not a bundle, saying why", async () => {
    await expect(readBundle("notes.txt", utf8("hello"))).rejects.toThrow(UnreadableBundle);
    await expect(readBundle("x.zip", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).rejects.toThrow("x.zip: not a ZIP archive");
  });

  it("is refused against another platform's keys", async () => {
    const report = await verifyBundle(bundle, otherKeys);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expected["valid-against-other-keys"]!.problems);
  });
});

describe("verifyBundle on tampered bundles", () => {
  for (const [name, variant] of Object.entries(tampered)) {
    it(`names the problems of “${name}” exactly as the Python verifier`, async () => {
      const python = expected[name]!;
      const report = await verifyBundle(variant);
      expect(report.problems).toEqual(python.problems);
      expect(report.ok).toBe(python.ok);
      if (python.ok) {
        expect(report.signatories.map((s) => [s.seq, s.city.name, s.signer.name])).toEqual(python.signatories);
        expect(report.final).toBe(python.final);
      }
    });
  }

  it("covers the kinds of tampering that matter", () => {
    expect(Object.keys(tampered)).toEqual(
      expect.arrayContaining(["altered-entry", "removed-entry", "reordered-entries", "altered-text", "altered-seal-root", "entry-unknown-key"]),
    );
  });
});

describe("the pieces", () => {
  it("builds RFC 9162's tree (largest power of two on the left) for every size", async () => {
    const leaves = await Promise.all(Array.from({ length: 21 }, (_, i) => leafHash(utf8(`entry ${i}`))));
    for (let n = 0; n <= leaves.length; n++) {
      expect(await rootHash(leaves.slice(0, n))).toEqual(await rootHashRecursive(leaves.slice(0, n)));
    }
  });

  it("canonicalises JSON as RFC 8785 does", () => {
    expect(canonicalize({ b: [1, 2.5, "é"], a: null, "\u20ac": true, A: 1e21 })).toBe('{"A":1e+21,"a":null,"b":[1,2.5,"é"],"€":true}');
  });
});
