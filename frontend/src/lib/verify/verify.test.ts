// @vitest-environment node
/// <reference types="node" />
// The browser verifier against real bundles made by the Python core
// (tests/endorsements/verify_fixtures.py): it must accept what `concord verify` accepts, with the
// same verdict and keys, and name every problem in the same words. The Python suite
// (test_verify_fixtures.py) holds `concord verify` to the same expected.json.
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { verifyBundle } from "./bundle";
import { utf8 } from "./encoding";
import { canonicalize } from "./jcs";
import { leafHash, rootHash, rootHashRecursive } from "./merkle";
import { readBundle, readKeySet, UnreadableBundle } from "./read";

const read = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const json = (name: string): unknown => JSON.parse(read(name).toString("utf8"));
const bundle = json("bundle.json");
const bundles: Record<string, unknown> = { valid: bundle, ...(json("tampered.json") as Record<string, unknown>) };
const trust: Record<string, unknown> = { own: undefined, platform: json("platform-jwks.json"), other: json("other-jwks.json") };

interface Expected {
  bundle: string;
  trust: string;
  verdict: string;
  problems: string[];
  signatories: [number, string, string][];
  withdrawn: [number, string, number][];
  entries: number;
  tree_size: number | null;
  root_hash: string | null;
  final: boolean;
  seal_key: string | null;
  entry_keys: [string, number][];
  keys: string[];
  certificates: Record<string, string>;
  declaration: Record<string, unknown> | null;
  methods: string[];
  platform: { origin: string; rp_id: string } | null;
  passkey_entries: number;
}
const expected = json("expected.json") as Record<string, Expected>;

describe("verifyBundle says what concord verify says", () => {
  for (const [name, python] of Object.entries(expected)) {
    it(`of “${name}”`, async () => {
      const report = await verifyBundle(bundles[python.bundle], trust[python.trust]);
      expect(report.problems).toEqual(python.problems);
      expect(report.verdict).toBe(python.verdict);
      expect(report.ok).toBe(python.problems.length === 0);
      expect(report.signatories.map((s) => [s.seq, s.city.name, s.signer.name])).toEqual(python.signatories);
      expect(report.withdrawn.map((w) => [w.seq, w.city.name, w.withdrawnBy])).toEqual(python.withdrawn);
      expect(report.entries).toBe(python.entries);
      expect(report.treeSize).toBe(python.tree_size);
      expect(report.rootHash).toBe(python.root_hash);
      expect(report.final).toBe(python.final);
      expect(report.sealKey).toBe(python.seal_key);
      expect(report.entryKeys).toEqual(python.entry_keys);
      expect(report.keys).toEqual(python.keys);
      expect(report.certificates).toEqual(python.certificates);
      expect(report.declaration).toEqual(python.declaration);
      expect(report.signatories.map((s) => s.method)).toEqual(python.methods);
      expect(report.platform).toEqual(python.platform);
      expect(report.passkeyEntries).toBe(python.passkey_entries);
    });
  }

  it("covers the forgeries of issue 11", () => {
    expect(expected["valid@platform"]?.verdict).toBe("valid");
    expect(expected["forged-dropped-withdrawal@own"]?.verdict).toBe("unproven");
    for (const forged of ["forged-dropped-withdrawal", "dropped-middle-entry", "not-final", "huge-tree-size"]) {
      expect(expected[`${forged}@platform`]?.verdict).toBe("invalid");
    }
  });
});

/** A ZIP of one member whose central directory and local header declare `declared` bytes. */
function zipOf(name: string, content: Uint8Array, declared = content.length): Uint8Array {
  const body = deflateRawSync(content);
  const nameBytes = utf8(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralAt = local.length + nameBytes.length + body.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, body, central, nameBytes, end]));
}

describe("reading a file", () => {
  it("reads the same bundle out of the platform's ZIP", async () => {
    const fromZip = await readBundle("signed-declaration.zip", new Uint8Array(read("signed-declaration.zip")));
    expect(fromZip).toEqual(bundle);
  });

  it("refuses what is not a bundle, saying why", async () => {
    await expect(readBundle("notes.txt", utf8("hello"))).rejects.toThrow(UnreadableBundle);
    await expect(readBundle("x.zip", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).rejects.toThrow("x.zip: not a ZIP archive");
  });

  it("stops inflating a member at the size it declares", async () => {
    const bomb = zipOf("bundle.json", new Uint8Array(50 * 1024 * 1024), 1000);
    expect(bomb.length).toBeLessThan(100_000);
    await expect(readBundle("bomb.zip", bomb)).rejects.toThrow("bomb.zip: bundle.json inflates beyond its declared size");
  });

  it("refuses a member declared beyond the cap before inflating it", async () => {
    const big = zipOf("bundle.json", utf8("{}"), 65 * 1024 * 1024);
    await expect(readBundle("big.zip", big)).rejects.toThrow("big.zip: bundle.json is too large");
  });

  it("reads a ZIP whose member is what it declares", async () => {
    expect(await readBundle("small.zip", zipOf("bundle.json", utf8('{"a": 1}')))).toEqual({ a: 1 });
  });

  it("refuses JSON nested deeper than a bundle needs", async () => {
    await expect(readBundle("deep.json", utf8("[".repeat(200_000) + "]".repeat(200_000)))).rejects.toThrow(
      "deep.json: JSON nested too deeply",
    );
    expect(readKeySet("keys.json", read("platform-jwks.json"))).toEqual(trust.platform);
    expect(() => readKeySet("keys.json", new Uint8Array(2 * 1024 * 1024))).toThrow("keys.json: too large for a key set");
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
