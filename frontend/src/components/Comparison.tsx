// Two versions side by side in one column: counts, then each changed paragraph as a redline;
// runs of unchanged paragraphs fold away.
import { useState } from "react";
import type { ComparedParagraph, Comparison } from "../api/types";
import { numbersByPosition } from "../lib/numbering";
import { plural } from "../lib/words";
import { Redline } from "./Redline";

interface ComparisonViewProps {
  comparison: Comparison;
  /** What the versions are called, e.g. "version 2" and "version 3" or "the new draft". */
  fromLabel?: string;
  toLabel?: string;
  /** Inline: one redline per paragraph. Side by side: the old wording beside the new. */
  layout?: "inline" | "side";
  /** Show unchanged paragraphs too, instead of folding them away (the whole new text). */
  whole?: boolean;
}

type Block =
  | { type: "changed"; paragraph: ComparedParagraph }
  | { type: "unchanged"; paragraphs: ComparedParagraph[] };

function blocksOf(paragraphs: readonly ComparedParagraph[]): Block[] {
  const blocks: Block[] = [];
  for (const paragraph of paragraphs) {
    const last = blocks.at(-1);
    if (paragraph.status !== "unchanged") blocks.push({ type: "changed", paragraph });
    else if (last?.type === "unchanged") last.paragraphs.push(paragraph);
    else blocks.push({ type: "unchanged", paragraphs: [paragraph] });
  }
  return blocks;
}

const STATUS_WORDS: Record<ComparedParagraph["status"], string> = {
  unchanged: "Unchanged",
  modified: "Modified",
  inserted: "Inserted",
  deleted: "Deleted",
};

export function ComparisonView({ comparison, fromLabel, toLabel, layout = "inline", whole = false }: ComparisonViewProps) {
  const from = fromLabel ?? `version ${comparison.from}`;
  const to = toLabel ?? `version ${comparison.to}`;
  const oldNumbers = numbersByPosition(comparison.paragraphs.map((p) => ({ kind: p.kind, position: p.from_position })));
  const newNumbers = numbersByPosition(comparison.paragraphs.map((p) => ({ kind: p.kind, position: p.to_position })));
  const { summary } = comparison;

  function numbers(paragraph: ComparedParagraph): { before?: number; after?: number } {
    return {
      before: paragraph.from_position === null ? undefined : oldNumbers.get(paragraph.from_position),
      after: paragraph.to_position === null ? undefined : newNumbers.get(paragraph.to_position),
    };
  }

  function numberLabel(paragraph: ComparedParagraph): string {
    if (paragraph.kind === "heading") return "Heading";
    const { before, after } = numbers(paragraph);
    if (before !== undefined && after !== undefined && before !== after) return `Paragraph ${before} → ${after}`;
    const number = after ?? before;
    return number === undefined ? "Paragraph" : `Paragraph ${number}`;
  }

  /** "Unchanged: paragraphs 8–14 and 1 heading", numbered as in the newer version. */
  function runLabel(run: readonly ComparedParagraph[]): string {
    const numbered = run
      .filter((p) => p.kind !== "heading")
      .map((p) => {
        const { before, after } = numbers(p);
        return after ?? before;
      })
      .filter((n): n is number => n !== undefined);
    const headings = run.filter((p) => p.kind === "heading").length;
    const parts: string[] = [];
    if (numbered.length === 1) parts.push(`paragraph ${numbered[0]}`);
    else if (numbered.length > 1) parts.push(`paragraphs ${Math.min(...numbered)}–${Math.max(...numbered)}`);
    if (headings > 0) parts.push(plural(headings, "heading"));
    return `Unchanged: ${parts.join(" and ") || plural(run.length, "paragraph")}`;
  }

  const changed = summary.modified + summary.inserted + summary.deleted;
  return (
    <div className="comparison">
      <ul className="summary" aria-label={`Changes from ${from} to ${to}`}>
        <li className="summary-modified">{plural(summary.modified, "paragraph")} modified</li>
        <li className="summary-inserted">{summary.inserted.toLocaleString("en-GB")} inserted</li>
        <li className="summary-deleted">{summary.deleted.toLocaleString("en-GB")} deleted</li>
        <li className="summary-unchanged">{summary.unchanged.toLocaleString("en-GB")} unchanged</li>
      </ul>
      <p className="legend">
        <ins>Inserted text</ins> is underlined on green; <del>deleted text</del> is struck through on red.
      </p>
      {changed === 0 && <p>The two texts are the same.</p>}
      <ol className={layout === "side" ? "compared compared-side" : "compared"}>
        {blocksOf(comparison.paragraphs).map((block) =>
          block.type === "changed" ? (
            <li key={block.paragraph.key} className={`compared-paragraph is-${block.paragraph.status}`}>
              <div className="compared-label">
                <span className={`change-tag tag-${block.paragraph.status}`}>{STATUS_WORDS[block.paragraph.status]}</span>
                <span className="compared-number">{numberLabel(block.paragraph)}</span>
              </div>
              {layout === "side" ? (
                <SideBySide paragraph={block.paragraph} from={from} to={to} />
              ) : (
                <p className={block.paragraph.kind === "heading" ? "redline redline-heading" : "redline"} dir="auto">
                  <Redline diff={block.paragraph.diff} />
                </p>
              )}
            </li>
          ) : whole ? (
            block.paragraphs.map((paragraph) => (
              <li key={paragraph.key} className="compared-paragraph is-unchanged">
                <div className="compared-label">
                  <span className="compared-number">{numberLabel(paragraph)}</span>
                </div>
                <p className={paragraph.kind === "heading" ? "redline redline-heading" : "redline"} dir="auto">
                  <Redline diff={paragraph.diff} />
                </p>
              </li>
            ))
          ) : (
            <UnchangedRun
              key={block.paragraphs[0]?.key}
              label={runLabel(block.paragraphs)}
              paragraphs={block.paragraphs}
              numberLabel={numberLabel}
            />
          ),
        )}
      </ol>
    </div>
  );
}

interface UnchangedRunProps {
  label: string;
  paragraphs: readonly ComparedParagraph[];
  numberLabel: (paragraph: ComparedParagraph) => string;
}

/** A folded run of unchanged paragraphs; its text is only rendered once opened (long texts). */
function UnchangedRun({ label, paragraphs, numberLabel }: UnchangedRunProps) {
  const [open, setOpen] = useState(false);
  return (
    <li className="unchanged-run">
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>{label}</summary>
        {open && (
          <ol className="compared">
            {paragraphs.map((paragraph) => (
              <li key={paragraph.key} className="compared-paragraph is-unchanged">
                <div className="compared-label">
                  <span className="compared-number">{numberLabel(paragraph)}</span>
                </div>
                <p className={paragraph.kind === "heading" ? "redline redline-heading" : "redline"} dir="auto">
                  <Redline diff={paragraph.diff} />
                </p>
              </li>
            ))}
          </ol>
        )}
      </details>
    </li>
  );
}

function capitalise(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The old wording (deletions struck) beside the new (insertions underlined). */
function SideBySide({ paragraph, from, to }: { paragraph: ComparedParagraph; from: string; to: string }) {
  const before = paragraph.diff.filter(([op]) => op !== "insert");
  const after = paragraph.diff.filter(([op]) => op !== "delete");
  const heading = paragraph.kind === "heading" ? " redline-heading" : "";
  return (
    <div className="side-by-side compared-sides">
      <div className="side">
        <p className="side-label">{capitalise(from)}</p>
        {paragraph.from_position === null ? (
          <p className="hint">(not in {from})</p>
        ) : (
          <p className={`redline${heading}`} dir="auto">
            <Redline diff={before} />
          </p>
        )}
      </div>
      <div className="side">
        <p className="side-label">{capitalise(to)}</p>
        {paragraph.to_position === null ? (
          <p className="hint">(not in {to})</p>
        ) : (
          <p className={`redline${heading}`} dir="auto">
            <Redline diff={after} />
          </p>
        )}
      </div>
    </div>
  );
}
