// The previewed next version: what it merges, where amendments were combined into a wording none
// of them proposed alone, its fingerprint, its redline against the head, and saving it (only
// while the choice it was made from is unchanged).
import { useEffect, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { CombinedChange } from "../../api/types";
import type { ParagraphIndex } from "../../lib/paragraphIndex";
import { Redline } from "../Redline";
import { ComparisonView } from "../Comparison";
import { ErrorMessage } from "../ErrorMessage";
import { conflictsOf, isStale, type NextVersion, type Preview } from "./useNextVersion";

interface NextVersionPreviewProps {
  declarationId: number;
  next: NextVersion;
  whereOf: ParagraphIndex["whereOf"];
}

/** Mounted all along (nothing shows without a preview), so "show the whole text" is kept. */
export function NextVersionPreview({ declarationId, next, whereOf }: NextVersionPreviewProps) {
  const [whole, setWhole] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const { preview } = next;

  // Each new preview takes the focus, so that a screen reader hears it arrive.
  useEffect(() => {
    if (preview) requestAnimationFrame(() => heading.current?.focus());
  }, [preview]);

  if (!preview) return null;
  return (
    <PreviewOf
      declarationId={declarationId}
      preview={preview}
      next={next}
      whereOf={whereOf}
      whole={whole}
      onWhole={setWhole}
      heading={heading}
    />
  );
}

interface PreviewOfProps {
  declarationId: number;
  preview: Preview;
  next: NextVersion;
  whereOf: ParagraphIndex["whereOf"];
  whole: boolean;
  onWhole: (whole: boolean) => void;
  heading: RefObject<HTMLHeadingElement | null>;
}

function PreviewOf({ declarationId, preview, next, whereOf, whole, onWhole, heading }: PreviewOfProps) {
  const { t } = useTranslation();
  const { save } = next;
  return (
    <section className="preview" aria-labelledby="preview-title">
      <h2 id="preview-title" ref={heading} tabIndex={-1}>
        {t("desk.preview.title", { number: preview.result.number })}
      </h2>
      {!next.previewIsCurrent && (
        <div className="notice" role="status">
          <p>{t("desk.preview.outdated")}</p>
        </div>
      )}
      <p className="hint">
        {t("desk.preview.merges", {
          amendments: t("desk.made.amendments", { count: preview.result.merged_amendments.length }),
          edits: t("desk.made.edits", { count: next.edits.length }),
        })}{" "}
        {t("desk.preview.fingerprint")} <code className="hash">{preview.result.content_hash}</code>
      </p>
      {(preview.result.combined ?? []).map((combined) => (
        <Combined key={combined.paragraph_key} combined={combined} next={next} whereOf={whereOf} />
      ))}
      <div className="field field-check">
        <input id="preview-whole" type="checkbox" checked={whole} onChange={(event) => onWhole(event.target.checked)} />
        <label htmlFor="preview-whole">{t("desk.preview.whole")}</label>
      </div>
      <ComparisonView
        comparison={preview.result.changes}
        fromLabel={t("desk.preview.fromLabel", { number: preview.request.base_version })}
        toLabel={t("desk.preview.toLabel")}
        whole={whole}
      />
      {isStale(save.error) ? null : !conflictsOf(save.error) && <ErrorMessage error={save.error} />}
      <div className="button-row">
        <button
          type="button"
          className="button-primary"
          disabled={!next.previewIsCurrent || save.isPending || next.stale}
          onClick={() => save.mutate(preview.request)}
        >
          {save.isPending ? t("desk.preview.saving") : t("desk.preview.save", { number: preview.result.number })}
        </button>
        <Link className="button-quiet-dark" to={`/declarations/${declarationId}`}>
          {t("desk.preview.back")}
        </Link>
      </div>
    </section>
  );
}

/** A paragraph whose new wording combines several amendments' changes: say so, and show each one's part. */
function Combined({ combined, next, whereOf }: { combined: CombinedChange; next: NextVersion; whereOf: ParagraphIndex["whereOf"] }) {
  const { t } = useTranslation();
  const where = whereOf(combined.paragraph_key);
  return (
    <section className="notice combined" aria-label={t("desk.combined.label", { where })}>
      <h3>{t("desk.combined.title", { count: combined.amendment_ids.length, where })}</h3>
      <p>{t("desk.combined.hint")}</p>
      <ul className="combined-parts">
        {combined.amendment_ids.map((id) => {
          const amendment = next.amendments.find((a) => a.id === id);
          return (
            <li key={id}>
              <p className="combined-who">
                {t("desk.amendment", { id })}
                {amendment && (
                  <>
                    {" "}
                    (<bdi>{amendment.city.name}</bdi>)
                  </>
                )}
              </p>
              {amendment && (
                <p className="redline amendment-redline" dir="auto">
                  <Redline diff={amendment.diff} />
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
