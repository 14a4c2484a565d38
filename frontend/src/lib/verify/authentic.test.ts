// @vitest-environment node
// The fingerprint over every authentic text, as app.text.paragraphs.authentic_fingerprint makes it
// (the expected values printed by the Python core).
import { describe, expect, it } from "vitest";
import { authenticFingerprint } from "./bundle";

describe("authenticFingerprint", () => {
  it("is the text's own content_hash for one language", async () => {
    expect(await authenticFingerprint([["en", "One.\n"]])).toBe(
      "sha256:77cff70ea8937d628a3741880862dfc662d1d1c57d6bdcb4a50b7d4e62b4a61e",
    );
  });

  it("hashes the manifest of every text's hash, source first, the others by tag", async () => {
    const texts: [string, string][] = [["en", "One.\n"], ["fr", "Un.\n"], ["ar", "واحد.\n"]];
    expect(await authenticFingerprint(texts)).toBe(
      "sha256:9a101bc1343e5e0b964fe9817c45e4458e7ce4796d7ab36e664314348ec59535",
    );
  });
});
