// The next version as the co-facilitator builds it: the accepted amendments chosen, the direct
// edits, the note for the version list; then the preview (a dry run).
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
  const { head, chosen, edits } = next;
  return (
    <section className="desk-merge panel" aria-labelledby="merge-title">
      <h2 id="merge-title" tabIndex={-1}>Next version ({head !== undefined ? head + 1 : "…"})</h2>
      <p className="hint">Made from version {head}: the accepted amendments you choose, then your direct edits.</p>
      <h3 className="merge-subtitle">Amendments to merge</h3>
      <ChosenAmendments next={next} whereOf={index.whereOf} />
      {next.choosable.length > 0 && next.choosable.some((a) => !chosen.has(a.id)) && (
        <button type="button" className="button-small" onClick={next.chooseAll}>
          {next.choosable.length === 1
            ? "Choose the 1 accepted amendment"
            : `Choose all ${next.choosable.length} accepted amendments`}
        </button>
      )}

      <h3 className="merge-subtitle">Direct edits (compromise wording)</h3>
      {edits.length === 0 && <p className="hint">None.</p>}
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
        <label htmlFor="merge-note">Note for the version list (optional)</label>
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
        {next.check.isPending ? "Merging…" : "Preview the new version"}
      </button>
    </section>
  );
}

function ChosenAmendments({ next, whereOf }: { next: NextVersion; whereOf: ParagraphIndex["whereOf"] }) {
  if (next.chosen.size === 0) {
    return <p className="hint">None chosen. Tick “Merge into the next version” on accepted amendments.</p>;
  }
  return (
    <ul className="chosen-list">
      {next.chosenInOrder.map((id) => {
        const amendment = next.amendments.find((a) => a.id === id);
        return (
          <li key={id}>
            <span>
              Amendment {id}
              {amendment && (
                <>
                  {" "}
                  · {whereOf(amendment.paragraph_key)} · <bdi>{amendment.city.name}</bdi>
                </>
              )}
            </span>
            <button type="button" className="button-link" onClick={() => next.choose(id, false)}>
              Remove<span className="visually-hidden"> amendment {id}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function DirectEdits({ next, whereOf }: { next: NextVersion; whereOf: ParagraphIndex["whereOf"] }) {
  return (
    <ol className="edit-list">
      {next.edits.map((edit) => (
        <li key={edit.id}>
          <p className="edit-where">
            {edit.action === "modify" ? "New wording of " : edit.action === "insert" ? "New paragraph after " : "Delete "}
            {whereOf(edit.paragraph_key ?? null)}
          </p>
          {edit.reconciles && (
            <p className="hint">Compromise wording of amendment {edit.reconciles}: it is marked merged with this version.</p>
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
            Remove this edit
          </button>
        </li>
      ))}
    </ol>
  );
}

function StaleNotice({ head, onReload }: { head: number | undefined; onReload: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>
        Someone else made a new version (now version {head}) while you were working. Reload to build on it; your
        choices and edits are kept, but check them against the new text.
      </p>
      <button type="button" className="button-secondary" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}
