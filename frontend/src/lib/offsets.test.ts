import { describe, expect, it } from "vitest";
import {
  codePointLength,
  codePointToUtf16,
  findQuotes,
  highlightSegments,
  quoteFromRange,
  quoteFromUtf16,
  sliceCodePoints,
  utf16ToCodePoint,
} from "./offsets";

// "𠮷" (U+20BB7) and "😀" are one code point each but two UTF-16 units.
const TEXT = "東京都 𠮷野家 and 😀 São Paulo";

describe("UTF-16 and code point offsets", () => {
  it("agree on text without astral characters", () => {
    const plain = "Mechelen, 16–17 November";
    for (let i = 0; i <= plain.length; i++) {
      expect(utf16ToCodePoint(plain, i)).toBe(i);
      expect(codePointToUtf16(plain, i)).toBe(i);
    }
  });

  it("count a surrogate pair as one code point, both ways", () => {
    const after = TEXT.indexOf("野"); // UTF-16: 4 (東京都 space) + 2 (𠮷) = 6
    expect(after).toBe(6);
    expect(utf16ToCodePoint(TEXT, after)).toBe(5);
    expect(codePointToUtf16(TEXT, 5)).toBe(6);
    const smile = TEXT.indexOf("😀");
    expect(utf16ToCodePoint(TEXT, smile + 2)).toBe(Array.from(TEXT.slice(0, smile)).length + 1);
    expect(codePointLength(TEXT)).toBe(Array.from(TEXT).length);
  });

  it("round-trips every code point boundary", () => {
    const points = Array.from(TEXT).length;
    for (let p = 0; p <= points; p++) expect(utf16ToCodePoint(TEXT, codePointToUtf16(TEXT, p))).toBe(p);
  });

  it("treats an offset inside a surrogate pair as the start of its character", () => {
    const inside = TEXT.indexOf("𠮷") + 1;
    expect(utf16ToCodePoint(TEXT, inside)).toBe(4);
  });

  it("clamps offsets beyond the text", () => {
    expect(utf16ToCodePoint("abc", 10)).toBe(3);
    expect(codePointToUtf16("a😀", 10)).toBe(3);
  });

  it("slices by code points like Python does", () => {
    // Python: "東京都 𠮷野家 and 😀 São Paulo"[4:7] == "𠮷野家"
    expect(sliceCodePoints(TEXT, 4, 7)).toBe("𠮷野家");
  });
});

describe("quotes", () => {
  it("trims white space and gives code point offsets", () => {
    const start = TEXT.indexOf(" 𠮷");
    expect(quoteFromUtf16(TEXT, start, start + 5)).toEqual({ exact: "𠮷野家", start: 4, end: 7 });
    expect(quoteFromUtf16(TEXT, 3, 4)).toBeNull();
  });

  it("never cuts a surrogate pair", () => {
    const smile = TEXT.indexOf("😀");
    const quote = quoteFromUtf16(TEXT, smile + 1, smile + 2);
    expect(quote?.exact).toBe("😀");
  });

  it("reads a selection across highlighted pieces of one paragraph", () => {
    const p = document.createElement("p");
    p.append("東京都 ", Object.assign(document.createElement("mark"), { textContent: "𠮷野家" }), " and 😀 São Paulo");
    document.body.append(p);
    const mark = p.querySelector("mark")?.firstChild as Text;
    const tail = p.lastChild as Text;
    const range = document.createRange();
    range.setStart(mark, 2); // after 𠮷
    range.setEnd(tail, tail.data.indexOf("São") + 3);
    expect(quoteFromRange(p, range, TEXT)).toEqual({ exact: "野家 and 😀 São", start: 5, end: 17 });
    const [quote] = findQuotes(TEXT, "São");
    expect(sliceCodePoints(TEXT, quote!.start, quote!.end)).toBe("São");
    p.remove();
  });

  it("refuses a range outside the paragraph", () => {
    const p = document.createElement("p");
    p.textContent = "inside";
    const other = document.createElement("p");
    other.textContent = "outside";
    document.body.append(p, other);
    const range = document.createRange();
    range.setStart(other.firstChild as Text, 0);
    range.setEnd(other.firstChild as Text, 3);
    expect(quoteFromRange(p, range, "inside")).toBeNull();
    p.remove();
    other.remove();
  });

  it("finds every occurrence of typed words", () => {
    expect(findQuotes("the city and the city", "the city").map((q) => q.start)).toEqual([0, 13]);
    expect(findQuotes("abc", "  ")).toEqual([]);
  });
});

describe("highlightSegments", () => {
  it("cuts the text at range edges, by code points, with overlaps counted", () => {
    const segments = highlightSegments(TEXT, [
      { id: 1, start: 4, end: 7 },
      { id: 2, start: 6, end: 11 },
    ]);
    expect(segments.map((s) => [s.text, s.ids])).toEqual([
      ["東京都 ", []],
      ["𠮷野", [1]],
      ["家", [1, 2]],
      [" and", [2]],
      [" 😀 São Paulo", []],
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(TEXT);
  });

  it("ignores empty and out-of-range ranges", () => {
    expect(highlightSegments("abc", [{ id: 1, start: 5, end: 9 }])).toEqual([{ text: "abc", marks: 0, ids: [] }]);
  });
});
