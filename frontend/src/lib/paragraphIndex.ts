// Naming paragraphs as a reader does ("paragraph 4", "the heading “Principles”") by their keys.
import type { Paragraph } from "../api/types";
import { paragraphNumbers } from "./numbering";
import { excerpt } from "./words";

export interface ParagraphIndex {
  byKey: Map<string, { paragraph: Paragraph; number: number | null }>;
  whereOf: (key: string | null) => string;
  /** "Paragraph 4" or "Heading: Principles", for labels that start a sentence. */
  titleOf: (key: string | null) => string;
}

export function paragraphIndex(paragraphs: readonly Paragraph[]): ParagraphIndex {
  const numbers = paragraphNumbers(paragraphs);
  const byKey = new Map(paragraphs.map((p, i) => [p.key, { paragraph: p, number: numbers[i] ?? null }]));
  const whereOf = (key: string | null): string => {
    if (key === null) return "the start of the text";
    const found = byKey.get(key);
    if (!found) return "a paragraph no longer in the text";
    if (found.number === null) return `the heading “${excerpt(found.paragraph.text, 40)}”`;
    return `paragraph ${found.number}`;
  };
  const titleOf = (key: string | null): string => {
    if (key === null) return "Start of the text";
    const found = byKey.get(key);
    if (!found) return "A deleted paragraph";
    if (found.number === null) return `Heading: ${excerpt(found.paragraph.text, 40)}`;
    return `Paragraph ${found.number}`;
  };
  return { byKey, whereOf, titleOf };
}
