// Where two wordings of one paragraph clash: the words of the amendment's base text both sides
// change (the server names them), found again in each wording, so the reader sees each side's
// words for that place marked; and a draft that puts both sides' words there, to start a
// compromise from.
import { wordDiff } from "./wordDiff";

export interface MarkedPart {
  text: string;
  marked: boolean;
}

/**
 * `wording` in parts, the parts that stand where the base's `clashing` words stood marked: the
 * words it keeps of them and the words it puts there. With no clashing words (both sides insert
 * at one place) every word it adds to the base is marked. Unmarked when the base is unknown.
 */
export function markClash(base: string | null, clashing: string, wording: string): MarkedPart[] {
  if (base === null) return [{ text: wording, marked: false }];
  const start = clashing ? base.indexOf(clashing) : -1;
  if (clashing && start < 0) return [{ text: wording, marked: false }];
  const end = start + clashing.length;
  const inClash = (from: number, to: number) => (clashing ? from < end && to > start : false);
  const parts: MarkedPart[] = [];
  const push = (text: string, marked: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  };
  let at = 0; // position in the base
  for (const [op, text] of wordDiff(base, wording)) {
    if (op === "delete") {
      at += text.length;
    } else if (op === "insert") {
      push(text, clashing ? start <= at && at <= end : true);
    } else {
      // The kept words: marked where they overlap the clashing ones.
      const from = at;
      const to = at + text.length;
      const markFrom = Math.max(from, start);
      const markTo = Math.min(to, end);
      if (inClash(from, to) && markFrom < markTo) {
        push(text.slice(0, markFrom - from), false);
        push(text.slice(markFrom - from, markTo - from), true);
        push(text.slice(markTo - from), false);
      } else {
        push(text, false);
      }
      at = to;
    }
  }
  return trimMarks(parts);
}

/** Blanks and the commas, semicolons and colons at the edges of a marked part are not its
 * words (", solidarity" adds "solidarity"): leave them unmarked. */
function trimMarks(parts: MarkedPart[]): MarkedPart[] {
  const out: MarkedPart[] = [];
  for (const part of parts) {
    if (!part.marked) {
      out.push(part);
      continue;
    }
    const lead = /^[\s,;:]*/.exec(part.text)![0];
    const trail = /[\s,;:]*$/.exec(part.text.slice(lead.length))![0];
    const core = part.text.slice(lead.length, part.text.length - trail.length);
    if (lead) out.push({ text: lead, marked: false });
    if (core) out.push({ text: core, marked: true });
    if (trail) out.push({ text: trail, marked: false });
  }
  return out;
}

/**
 * `frame` with its one marked run followed by " / " and the other wording's marked run: both
 * sides' words where they clash, for the co-facilitator to reconcile. Null unless each wording
 * has exactly one marked run (and they differ).
 */
export function bothWordings(frame: MarkedPart[], other: MarkedPart[]): string | null {
  const ours = frame.filter((part) => part.marked);
  const theirs = other.filter((part) => part.marked);
  if (ours.length !== 1 || theirs.length !== 1 || ours[0]!.text === theirs[0]!.text) return null;
  return frame.map((part) => (part.marked ? `${part.text} / ${theirs[0]!.text}` : part.text)).join("");
}
