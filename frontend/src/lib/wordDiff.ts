// A word-level redline computed in the browser, as the server computes its own: diff-match-patch
// over words (each word mapped to one character), then semantic cleanup. Used to show a change
// live while it is typed; the server's diff is what is stored.
import DiffMatchPatch from "diff-match-patch";
import type { DiffOp } from "../api/types";

// The server's tokenisation rule (app/text/diff.py; both are tested on fixtures/tokens.json):
// each CJK ideograph or kana on its own (those scripts do not separate words by spaces); words
// of letters, digits, marks and '_', hyphens and apostrophes joining two runs ("well-known",
// "l’Europe"); runs of white space; any other single character.
const CJK = String.raw`\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}`;
const LETTER = String.raw`(?:(?![${CJK}])[\p{L}\p{N}\p{M}_])`;
const JOINERS = String.raw`'\u2019\-\u2010\u2011`;
// Python's \s, which differs from JavaScript's on U+FEFF and a few control characters.
const SPACE = String.raw`\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const TOKEN = new RegExp(String.raw`[${CJK}]|${LETTER}+(?:[${JOINERS}]${LETTER}+)*|[${SPACE}]+|[^]`, "gu");

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Maps each distinct token to one UTF-16 unit outside the surrogate range. */
class TokenCodec {
  private readonly codes = new Map<string, string>();
  readonly tokens: string[] = [];

  encode(text: string): string {
    let out = "";
    for (const token of tokenize(text)) {
      let code = this.codes.get(token);
      if (code === undefined) {
        const index = this.tokens.length;
        // Skip 0xD800–0xDFFF: lone surrogates would be split or mangled.
        const unit = index < 0xd800 ? index : index + 0x800;
        if (unit > 0xffff) throw new RangeError("too many distinct words");
        code = String.fromCharCode(unit);
        this.codes.set(token, code);
        this.tokens.push(token);
      }
      out += code;
    }
    return out;
  }

  decode(encoded: string): string {
    let out = "";
    for (let i = 0; i < encoded.length; i++) {
      const unit = encoded.charCodeAt(i);
      out += this.tokens[unit < 0xd800 ? unit : unit - 0x800] ?? "";
    }
    return out;
  }
}

const OPS: Record<number, DiffOp[0]> = { [-1]: "delete", 0: "equal", 1: "insert" };

/** The redline from `before` to `after`: equal+delete parts rebuild `before`, equal+insert
 * parts rebuild `after`, exactly. */
export function wordDiff(before: string, after: string): DiffOp[] {
  if (before === after) return before ? [["equal", before]] : [];
  const codec = new TokenCodec();
  let a: string;
  let b: string;
  try {
    a = codec.encode(before);
    b = codec.encode(after);
  } catch {
    // More than ~63,000 distinct words: fall back to the two texts whole.
    return [
      ...(before ? ([["delete", before]] as DiffOp[]) : []),
      ...(after ? ([["insert", after]] as DiffOp[]) : []),
    ];
  }
  const dmp = new DiffMatchPatch();
  dmp.Diff_Timeout = 0.5;
  const diffs = dmp.diff_main(a, b, false);
  dmp.diff_cleanupSemantic(diffs);
  const result: DiffOp[] = [];
  for (const [op, encoded] of diffs) {
    const text = codec.decode(encoded);
    if (!text) continue;
    const kind = OPS[op] ?? "equal";
    const last = result.at(-1);
    if (last && last[0] === kind) last[1] += text;
    else result.push([kind, text]);
  }
  return result;
}
