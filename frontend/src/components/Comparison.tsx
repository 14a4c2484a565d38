// Two versions side by side in one column: counts, then each changed paragraph as a redline;
// runs of unchanged paragraphs fold away.
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ComparedParagraph, Comparison } from "../api/types";
import { numbersByPosition } from "../lib/numbering";
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

export function ComparisonView({ comparison, fromLabel, toLabel, layout = "inline", whole = false }: ComparisonViewProps) {
  const { t } = useTranslation();
  const from = fromLabel ?? t("compare.version", { number: comparison.from });
  const to = toLabel ?? t("compare.version", { number: comparison.to });
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
    if (paragraph.kind === "heading") return t("compare.heading");
    const { before, after } = numbers(paragraph);
    if (before !== undefined && after !== undefined && before !== after) return t("compare.paragraphMoved", { before, after });
    const number = after ?? before;
    return number === undefined ? t("compare.paragraph") : t("compare.paragraphNumber", { number });
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
    const paragraphs =
      numbered.length === 1
        ? t("compare.runParagraph", { number: numbered[0] })
        : numbered.length > 1
          ? t("compare.runParagraphs", { first: Math.min(...numbered), last: Math.max(...numbered) })
          : null;
    const headingWords = headings > 0 ? t("compare.runHeadings", { count: headings }) : null;
    const what =
      paragraphs && headingWords
        ? t("compare.runBoth", { paragraphs, headings: headingWords })
        : (paragraphs ?? headingWords ?? t("compare.runCount", { count: run.length }));
    return t("compare.run", { what });
  }

  const changed = summary.modified + summary.inserted + summary.deleted;
  return (
    <div className="comparison">
      <ul className="summary" aria-label={t("compare.between", { from, to })}>
        <li className="summary-modified">{t("compare.modified", { count: summary.modified })}</li>
        <li className="summary-inserted">{t("compare.inserted", { count: summary.inserted })}</li>
        <li className="summary-deleted">{t("compare.deleted", { count: summary.deleted })}</li>
        <li className="summary-unchanged">{t("compare.unchanged", { count: summary.unchanged })}</li>
      </ul>
      <p className="legend">
        <Trans i18nKey="compare.legend" components={{ ins: <ins />, del: <del /> }} />
      </p>
      {changed === 0 && <p>{t("compare.same")}</p>}
      <ol className={layout === "side" ? "compared compared-side" : "compared"}>
        {blocksOf(comparison.paragraphs).map((block) =>
          block.type === "changed" ? (
            <li key={block.paragraph.key} className={`compared-paragraph is-${block.paragraph.status}`}>
              <div className="compared-label">
                <span className={`change-tag tag-${block.paragraph.status}`}>{t(`compare.status.${block.paragraph.status}`)}</span>
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
  const { t } = useTranslation();
  const before = paragraph.diff.filter(([op]) => op !== "insert");
  const after = paragraph.diff.filter(([op]) => op !== "delete");
  const heading = paragraph.kind === "heading" ? " redline-heading" : "";
  return (
    <div className="side-by-side compared-sides">
      <div className="side">
        <p className="side-label">{capitalise(from)}</p>
        {paragraph.from_position === null ? (
          <p className="hint">{t("compare.notIn", { where: from })}</p>
        ) : (
          <p className={`redline${heading}`} dir="auto">
            <Redline diff={before} />
          </p>
        )}
      </div>
      <div className="side">
        <p className="side-label">{capitalise(to)}</p>
        {paragraph.to_position === null ? (
          <p className="hint">{t("compare.notIn", { where: to })}</p>
        ) : (
          <p className={`redline${heading}`} dir="auto">
            <Redline diff={after} />
          </p>
        )}
      </div>
    </div>
  );
}
