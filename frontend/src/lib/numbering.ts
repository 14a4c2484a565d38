// Paragraph numbers as a reader sees them: headings are not numbered, paragraphs count from 1.

interface Numbered {
  kind: "heading" | "paragraph";
}

/** The number of each paragraph (null for headings), in the given order. */
export function paragraphNumbers<T extends Numbered>(paragraphs: readonly T[]): (number | null)[] {
  let count = 0;
  return paragraphs.map((p) => (p.kind === "heading" ? null : ++count));
}

/** Number by position: position -> paragraph number, for one side of a comparison. */
export function numbersByPosition(
  items: readonly { kind: "heading" | "paragraph"; position: number | null }[],
): Map<number, number> {
  const sorted = items
    .filter((item): item is { kind: "heading" | "paragraph"; position: number } => item.position !== null)
    .sort((a, b) => a.position - b.position);
  const numbers = new Map<number, number>();
  let count = 0;
  for (const item of sorted) {
    if (item.kind === "paragraph") numbers.set(item.position, ++count);
  }
  return numbers;
}
