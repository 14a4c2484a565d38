// The next version as the co-facilitator builds it: the accepted amendments chosen, the direct
// edits, the note for the version list; then the preview (a dry run).
import { useTranslation } from "react-i18next";
import type { Paragraph } from "../../api/types";
import type { ParagraphIndex } from "../../lib/paragraphIndex";
import { wordDiff } from "../../lib/wordDiff";
import { ErrorMessage } from "../ErrorMessage";
import { Redline } from "../Redline";
import { EditBuilder } from "./EditBuilder";
import type { NextVersion } from "./useNextVersion";

interface NextVersionPanelProps {
  next: NextVersion;
  headParagraphs: readonly Paragraph[];
  index: ParagraphIndex;
}

export function NextVersionPanel({ next, headParagraphs, index }: NextVersionPanelProps) {
  const { t } = useTranslation();
  const { head, chosen, edits } = next;
  return (
    <section className="desk-merge panel" aria-labelledby="merge-title">
      <h2 id="merge-title" tabIndex={-1}>
        {t("desk.next.title", { number: head !== undefined ? String(head + 1) : "…" })}
      </h2>
      <p className="hint">{t("desk.next.madeFrom", { number: head })}</p>
      <h3 className="merge-subtitle">{t("desk.next.toMerge")}</h3>
      <ChosenAmendments next={next} whereOf={index.whereOf} />
      {next.choosable.length > 0 && next.choosable.some((a) => !chosen.has(a.id)) && (
        <button type="button" className="button-small" onClick={next.chooseAll}>
          {t("desk.next.chooseAll", { count: next.choosable.length })}
        </button>
      )}

      <h3 className="merge-subtitle">{t("desk.next.edits")}</h3>
      {edits.length === 0 && <p className="hint">{t("desk.next.noEdits")}</p>}
      <DirectEdits next={next} whereOf={index.whereOf} />
      <div ref={next.editorRef} className="edit-builder-slot">
        <EditBuilder
          key={next.editSeed?.serial ?? 0}
          paragraphs={headParagraphs}
          optionOf={index.optionOf}
          seed={next.editSeed}
          onAdd={next.addEdit}
        />
      </div>

      <div className="field">
        <label htmlFor="merge-note">{t("desk.next.note")}</label>
        <input
          id="merge-note"
          type="text"
          value={next.note}
          maxLength={2000}
          dir="auto"
          onChange={(event) => next.setNote(event.target.value)}
        />
      </div>
      {next.stale && <StaleNotice head={head} onReload={next.reload} />}
      {!next.stale && !next.conflicts && <ErrorMessage error={next.check.error} />}
      <button
        type="button"
        className="button-primary"
        disabled={!next.request || next.check.isPending || (chosen.size === 0 && edits.length === 0)}
        onClick={() => next.request && next.check.mutate(next.request)}
      >
        {next.check.isPending ? t("desk.next.merging") : t("desk.next.preview")}
      </button>
    </section>
  );
}

function ChosenAmendments({ next, whereOf }: { next: NextVersion; whereOf: ParagraphIndex["whereOf"] }) {
  const { t } = useTranslation();
  if (next.chosen.size === 0) {
    return <p className="hint">{t("desk.next.noneChosen", { merge: t("desk.card.merge") })}</p>;
  }
  return (
    <ul className="chosen-list">
      {next.chosenInOrder.map((id) => {
        const amendment = next.amendments.find((a) => a.id === id);
        return (
          <li key={id}>
            <span>
              {t("desk.amendment", { id })}
              {amendment && (
                <>
                  {" "}
                  · {whereOf(amendment.paragraph_key)} · <bdi>{amendment.city.name}</bdi>
                </>
              )}
            </span>
            <button type="button" className="button-link" onClick={() => next.choose(id, false)}>
              {t("desk.next.remove")}
              <span className="visually-hidden"> {t("desk.next.removeWhat", { id })}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function DirectEdits({ next, whereOf }: { next: NextVersion; whereOf: ParagraphIndex["whereOf"] }) {
  const { t } = useTranslation();
  return (
    <ol className="edit-list">
      {next.edits.map((edit) => (
        <li key={edit.id}>
          <p className="edit-where">
            {t(`desk.next.editWhere.${edit.action}`, { where: whereOf(edit.paragraph_key ?? null) })}
          </p>
          {edit.reconciles && (
            <p className="hint">{t("desk.next.reconciles", { id: edit.reconciles })}</p>
          )}
          <p className="redline amendment-redline" dir="auto">
            <Redline
              diff={
                edit.action === "delete"
                  ? [["delete", edit.before]]
                  : wordDiff(edit.action === "modify" ? edit.before : "", edit.text ?? "")
              }
            />
          </p>
          <button type="button" className="button-link" onClick={() => next.removeEdit(edit.id)}>
            {t("desk.next.removeEdit")}
          </button>
        </li>
      ))}
    </ol>
  );
}

function StaleNotice({ head, onReload }: { head: number | undefined; onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert">
      <p>{t("desk.next.stale", { number: head })}</p>
      <button type="button" className="button-secondary" onClick={onReload}>
        {t("desk.next.reload")}
      </button>
    </div>
  );
}
