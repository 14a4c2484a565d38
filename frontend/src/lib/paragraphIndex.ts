// Naming paragraphs as a reader does, in the reader's language, ("paragraph 4", "the heading “Principles”") by their keys.
import i18next from "i18next";
import type { Paragraph } from "../api/types";
import { paragraphNumbers } from "./numbering";
import { excerpt } from "./words";

export interface ParagraphIndex {
  byKey: Map<string, { paragraph: Paragraph; number: number | null }>;
  whereOf: (key: string | null) => string;
  /** "Paragraph 4" or "Heading: Principles", for labels that start a sentence. */
  titleOf: (key: string | null) => string;
  /** A paragraph as a list of choices names it: "Paragraph 4: We will…", "Heading: Principles"
   * (a heading's title is already its text). */
  optionOf: (key: string, length?: number) => string;
}

export function paragraphIndex(paragraphs: readonly Paragraph[]): ParagraphIndex {
  const numbers = paragraphNumbers(paragraphs);
  const byKey = new Map(paragraphs.map((p, i) => [p.key, { paragraph: p, number: numbers[i] ?? null }]));
  const whereOf = (key: string | null): string => {
    if (key === null) return i18next.t("common.place.start");
    const found = byKey.get(key);
    if (!found) return i18next.t("common.place.gone");
    if (found.number === null) return i18next.t("common.place.heading", { text: excerpt(found.paragraph.text, 40) });
    return i18next.t("common.place.paragraph", { number: found.number });
  };
  const titleOf = (key: string | null): string => {
    if (key === null) return i18next.t("common.title.start");
    const found = byKey.get(key);
    if (!found) return i18next.t("common.title.gone");
    if (found.number === null) return i18next.t("common.title.heading", { text: excerpt(found.paragraph.text, 40) });
    return i18next.t("common.title.paragraph", { number: found.number });
  };
  const optionOf = (key: string, length = 50): string => {
    const found = byKey.get(key);
    if (!found || found.number === null) return titleOf(key);
    return `${titleOf(key)}: ${excerpt(found.paragraph.text, length)}`;
  };
  return { byKey, whereOf, titleOf, optionOf };
}
