import { describe, expect, it } from "vitest";
import shared from "./fixtures/tokens.json";
import { newText, oldText } from "./redline";
import { tokenize, wordDiff } from "./wordDiff";

// The cases the server's stored redline is held to as well (tests/text/test_diff.py): the live
// redline shown while typing is the one the server will store.
describe("the tokenisation rule the server shares", () => {
  it.each(shared.tokenize)("tokenizes $text", ({ text, tokens }) => {
    expect(tokenize(text)).toEqual(tokens);
  });

  it.each(shared.word_diff)("redlines $before → $after", ({ before, after, diff }) => {
    expect(wordDiff(before, after)).toEqual(diff);
  });
});

describe("wordDiff", () => {
  it("marks whole words, not letters", () => {
    expect(wordDiff("We welcome all migrants.", "We welcome all refugees and migrants.")).toEqual([
      ["equal", "We welcome all "],
      ["insert", "refugees and "],
      ["equal", "migrants."],
    ]);
    const diff = wordDiff("the resident", "the residents");
    expect(diff).toEqual([
      ["equal", "the "],
      ["delete", "resident"],
      ["insert", "residents"],
    ]);
  });

  it("rebuilds both texts exactly, in any script", () => {
    const pairs: [string, string][] = [
      ["東京都は移民を歓迎する。", "東京都と大阪府は移民を歓迎する。"],
      ["مدينة عمّان ترحب", "مدينة الدار البيضاء ترحب"],
      ["Київ  and  😀", "Київ and 😀😀"],
      ["", "New paragraph."],
      ["Deleted.", ""],
    ];
    for (const [before, after] of pairs) {
      const diff = wordDiff(before, after);
      expect(oldText(diff)).toBe(before);
      expect(newText(diff)).toBe(after);
    }
  });

  it("gives one equal part for an unchanged text", () => {
    expect(wordDiff("Same.", "Same.")).toEqual([["equal", "Same."]]);
    expect(wordDiff("", "")).toEqual([]);
  });

  it("keeps CJK characters as separate tokens", () => {
    expect(tokenize("東京 city")).toEqual(["東", "京", " ", "city"]);
  });
});
