// Offsets in a paragraph's text: the browser counts UTF-16 code units, the API counts Unicode
// code points (an emoji or a rare CJK character is one code point but two UTF-16 units).

/** The code point offset of a UTF-16 offset in `text` (an offset inside a surrogate pair
 * counts as the start of that character). */
export function utf16ToCodePoint(text: string, utf16Offset: number): number {
  const end = Math.max(0, Math.min(utf16Offset, text.length));
  let points = 0;
  for (let i = 0; i < end; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: skip the low half.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        if (i + 1 >= end) break; // the offset falls between the halves: the character starts here
        i++;
      }
    }
    points++;
  }
  return points;
}

/** The UTF-16 offset of a code point offset in `text` (clamped to the text's length). */
export function codePointToUtf16(text: string, codePointOffset: number): number {
  let units = 0;
  let points = 0;
  while (points < codePointOffset && units < text.length) {
    const unit = text.charCodeAt(units);
    const pair =
      unit >= 0xd800 && unit <= 0xdbff && units + 1 < text.length &&
      text.charCodeAt(units + 1) >= 0xdc00 && text.charCodeAt(units + 1) <= 0xdfff;
    units += pair ? 2 : 1;
    points++;
  }
  return units;
}

/** Code point length of a string. */
export function codePointLength(text: string): number {
  return utf16ToCodePoint(text, text.length);
}

/** The slice of `text` between two code point offsets. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  return text.slice(codePointToUtf16(text, start), codePointToUtf16(text, end));
}

export interface Quote {
  exact: string;
  start: number;
  end: number;
}

/** The UTF-16 offset of a position in a text node within the text of `root`, counting the
 * text of every text node before it: a paragraph split into highlighted pieces still counts as
 * one text. Null when the node is not inside `root`. */
export function textOffsetWithin(root: Node, node: Text, offset: number): number | null {
  let count = 0;
  const walker = (root.ownerDocument ?? document).createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let current = walker.nextNode(); current; current = walker.nextNode()) {
    if (current === node) return count + offset;
    count += current.textContent?.length ?? 0;
  }
  return null;
}

/** The text before `node` in `root` when `node` is an element (helper of textOffsetWithin). */
function elementStart(root: Node, element: Node): number | null {
  let count = 0;
  const walker = (root.ownerDocument ?? document).createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let current = walker.nextNode(); current; current = walker.nextNode()) {
    if (element.contains(current) || (element.compareDocumentPosition(current) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0) {
      return count;
    }
    count += current.textContent?.length ?? 0;
  }
  return count;
}

/** A DOM position as a UTF-16 offset in root's text, for element positions too. */
function domOffset(root: Node, node: Node, offset: number): number | null {
  if (!root.contains(node)) return null;
  if (node.nodeType === Node.TEXT_NODE) return textOffsetWithin(root, node as Text, offset);
  const children = node.childNodes;
  const child = children[offset];
  if (child) return elementStart(root, child);
  // After the last child: the end of the node's text.
  const start = node === root ? 0 : elementStart(root, node);
  return start === null ? null : start + (node.textContent?.length ?? 0);
}

/** The quote (code point offsets into `text`) that a DOM range selects inside `root`, whose
 * text content is `text`; null when the range leaves `root` or selects only white space. */
export function quoteFromRange(root: Node, range: Range, text: string): Quote | null {
  const start = domOffset(root, range.startContainer, range.startOffset);
  const end = domOffset(root, range.endContainer, range.endOffset);
  if (start === null || end === null) return null;
  return quoteFromUtf16(text, Math.min(start, end), Math.max(start, end));
}

/** A quote from UTF-16 offsets, trimmed of white space at both ends; null if nothing is left. */
export function quoteFromUtf16(text: string, start: number, end: number): Quote | null {
  let from = Math.max(0, start);
  let to = Math.min(text.length, end);
  while (from < to && /\s/.test(text.charAt(from))) from++;
  while (to > from && /\s/.test(text.charAt(to - 1))) to--;
  if (from >= to) return null;
  // Never cut a surrogate pair in half.
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to++;
  const startPoint = utf16ToCodePoint(text, from);
  return { exact: text.slice(from, to), start: startPoint, end: startPoint + codePointLength(text.slice(from, to)) };
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Every place `words` occurs in `text`, as quotes (the keyboard path: type the words). */
export function findQuotes(text: string, words: string): Quote[] {
  const wanted = words.trim();
  if (!wanted) return [];
  const found: Quote[] = [];
  let from = text.indexOf(wanted);
  while (from !== -1) {
    const quote = quoteFromUtf16(text, from, from + wanted.length);
    if (quote) found.push(quote);
    from = text.indexOf(wanted, from + 1);
  }
  return found;
}

export interface Segment {
  text: string;
  /** How many highlighted ranges cover this piece (0: none). */
  marks: number;
  /** Ids of the ranges covering it. */
  ids: number[];
}

/** The text cut into pieces at the edges of the ranges (code point offsets), each piece with
 * the ranges that cover it, for highlighting quoted words. */
export function highlightSegments(
  text: string,
  ranges: readonly { id: number; start: number; end: number }[],
): Segment[] {
  const length = codePointLength(text);
  const valid = ranges
    .map((r) => ({ id: r.id, start: Math.max(0, Math.min(r.start, length)), end: Math.max(0, Math.min(r.end, length)) }))
    .filter((r) => r.end > r.start);
  if (valid.length === 0) return text ? [{ text, marks: 0, ids: [] }] : [];
  const cuts = new Set<number>([0, length]);
  for (const r of valid) {
    cuts.add(r.start);
    cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const ids = valid.filter((r) => r.start <= start && r.end >= end).map((r) => r.id);
    const piece = sliceCodePoints(text, start, end);
    const last = segments.at(-1);
    if (last && last.ids.join() === ids.join()) last.text += piece;
    else segments.push({ text: piece, marks: ids.length, ids });
  }
  return segments;
}
