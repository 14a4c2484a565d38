import { describe, expect, it } from "vitest";
import { paragraphIndex } from "./paragraphIndex";

const paragraphs = [
  { key: "h1", position: 1, kind: "heading", text: "Preamble" },
  { key: "p1", position: 2, kind: "paragraph", text: "We, mayors and city leaders from every continent, meet in Mechelen." },
] as const;

describe("paragraphIndex.optionOf", () => {
  it("names a heading once, by its text", () => {
    expect(paragraphIndex(paragraphs).optionOf("h1")).toBe("Heading: Preamble");
  });

  it("names a paragraph by its number and the start of its text", () => {
    expect(paragraphIndex(paragraphs).optionOf("p1", 20)).toMatch(/^Paragraph 1: We, mayors and city/);
  });
});
