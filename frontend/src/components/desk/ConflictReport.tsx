// A merge refused for conflicts: for each amendment, the head's wording, the wording the
// amendments earlier in the merge make of the paragraph (when the clash is with them) and the
// amendment's own, side by side, and what the co-facilitator can do about it.
import type { MergeConflict, Paragraph } from "../../api/types";
import { useAmendment } from "../../api/queries";
import { ErrorMessage } from "../ErrorMessage";
import { Loading } from "../Loading";

interface ConflictReportProps {
  conflicts: readonly MergeConflict[];
  head: number;
  headParagraphs: readonly Paragraph[];
  whereOf: (key: string | null) => string;
  onRemove: (amendmentId: number) => void;
  onReject: (amendmentId: number) => void;
  onCompromise: (amendmentId: number, paragraphKey: string) => void;
  rejecting: number | null;
  /** The other amendments chosen for this merge, by paragraph key: a conflict may be with them. */
  chosenByParagraph: Map<string | null, number[]>;
}

export function ConflictReport(props: ConflictReportProps) {
  const { conflicts } = props;
  return (
    <section className="conflicts notice notice-error" aria-labelledby="conflicts-title" role="alert">
      <h3 id="conflicts-title" tabIndex={-1}>
        {conflicts.length === 1 ? "1 amendment conflicts" : `${conflicts.length} amendments conflict`}: nothing was
        merged
      </h3>
      <p>
        Each of these changes words that the current text, or another amendment in this merge, changes too. For
        each one, either <strong>reject</strong> one of the competing changes; or <strong>merge the other first</strong>,
        then reopen this one so its city can re-propose it on the new version; or <strong>write compromise wording</strong>{" "}
        as a direct edit of the paragraph.
      </p>
      <ol className="conflict-list">
        {conflicts.map((conflict) => (
          <ConflictItem key={conflict.amendment_id} conflict={conflict} {...props} />
        ))}
      </ol>
    </section>
  );
}

function ConflictItem({
  conflict,
  head,
  headParagraphs,
  whereOf,
  onRemove,
  onReject,
  onCompromise,
  rejecting,
  chosenByParagraph,
}: ConflictReportProps & { conflict: MergeConflict }) {
  const amendment = useAmendment(conflict.amendment_id);
  const others = (chosenByParagraph.get(conflict.paragraph_key) ?? []).filter((id) => id !== conflict.amendment_id);
  const current = headParagraphs.find((p) => p.key === conflict.paragraph_key);
  const key = conflict.paragraph_key;
  // The paragraph as the amendments before this one in the merge leave it: what this one clashes with.
  const competing = conflict.competing_amendments.length > 0 ? conflict.competing_text : null;
  return (
    <li className="conflict-item">
      <h4>
        Amendment {conflict.amendment_id}, {whereOf(key)}
        {amendment.data && (
          <>
            {" "}
            (<bdi>{amendment.data.city.name}</bdi>)
          </>
        )}
      </h4>
      <p className="conflict-reason">{conflict.reason}</p>
      {others.length > 0 && (
        <p>
          This merge also applies {others.length === 1 ? "amendment" : "amendments"} {others.join(", ")} to the same
          paragraph, before this one: the competing change may be there.
        </p>
      )}
      {amendment.isPending && <Loading what="Loading the amendment" />}
      <ErrorMessage error={amendment.error} />
      {amendment.data && (
        <div className={competing === null ? "side-by-side" : "side-by-side side-by-side-3"}>
          <div className="side">
            <p className="side-label">Current text (version {head})</p>
            <p className="side-text" dir="auto">
              {current ? current.text : "(This paragraph is no longer in the text.)"}
            </p>
          </div>
          {competing !== null && (
            <div className="side">
              <p className="side-label">
                With {conflict.competing_amendments.length === 1 ? "amendment" : "amendments"}{" "}
                {conflict.competing_amendments.join(", ")}, earlier in this merge
              </p>
              <p className="side-text" dir="auto">
                {competing}
              </p>
            </div>
          )}
          <div className="side">
            <p className="side-label">Amendment {conflict.amendment_id}’s wording</p>
            <p className="side-text" dir="auto">
              {amendment.data.action === "delete" ? "(Deletes the paragraph.)" : amendment.data.text}
            </p>
          </div>
        </div>
      )}
      <div className="button-row button-row-tight">
        <button type="button" className="button-small" onClick={() => onRemove(conflict.amendment_id)}>
          Leave it out of this merge
        </button>
        <button
          type="button"
          className="button-small button-danger"
          disabled={rejecting === conflict.amendment_id}
          onClick={() => onReject(conflict.amendment_id)}
        >
          {rejecting === conflict.amendment_id ? "Rejecting…" : "Reject it"}
        </button>
        {key !== null && current && (
          <button
            type="button"
            className="button-small button-small-primary"
            onClick={() => onCompromise(conflict.amendment_id, key)}
          >
            Write compromise wording instead
          </button>
        )}
      </div>
    </li>
  );
}
