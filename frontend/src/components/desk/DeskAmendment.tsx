// An amendment on the co-facilitators' desk: its card, its effect on the current head (rebased,
// or the conflict), the decision with a note, and whether it goes into the next version.
import { useId, useState } from "react";
import { errorMessage } from "../../api/errors";
import { useDecide } from "../../api/mutations";
import { useAmendment } from "../../api/queries";
import type { Amendment, DecisionKind, Me } from "../../api/types";
import { Redline } from "../Redline";
import { AmendmentCard } from "../amendments/AmendmentCard";

interface DeskAmendmentProps {
  amendment: Amendment;
  me: Me | undefined;
  where: string;
  chosen: boolean;
  onChoose: (chosen: boolean) => void;
  onDone: (message: string) => void;
  drafting: boolean;
}

const DECISION_WORDS: Record<DecisionKind, string> = { accept: "Accept", reject: "Reject", reopen: "Reopen" };
const DECISION_DONE: Record<DecisionKind, string> = { accept: "accepted", reject: "rejected", reopen: "reopened" };

export function DeskAmendment({ amendment, me, where, chosen, onChoose, onDone, drafting }: DeskAmendmentProps) {
  const id = useId();
  const [showRebased, setShowRebased] = useState(false);
  const [note, setNote] = useState("");
  const decide = useDecide(amendment.declaration_id);
  const detail = useAmendment(showRebased ? amendment.id : undefined);
  const decisions = drafting ? amendment.decisions : [];

  return (
    <AmendmentCard amendment={amendment} me={me} where={where} headingLevel={3} onDone={onDone}>
      <div className="desk-tools">
        {amendment.open && (
          <button
            type="button"
            className="button-link"
            aria-expanded={showRebased}
            onClick={() => setShowRebased((shown) => !shown)}
          >
            {showRebased ? "Hide its effect on the current version" : "Show its effect on the current version"}
          </button>
        )}
        {showRebased && detail.isPending && <p className="loading">Rebasing onto the current version…</p>}
        {showRebased && detail.error && (
          <p className="field-error" role="alert">
            {errorMessage(detail.error)}
          </p>
        )}
        {showRebased && detail.data?.rebased && (
          <div className={`rebased${detail.data.rebased.conflict ? " has-conflict" : ""}`}>
            <p className="tracked-title">Against version {detail.data.rebased.version} (current)</p>
            {detail.data.rebased.conflict ? (
              <p className="conflict-reason" role="status">
                <strong>Conflict:</strong> {detail.data.rebased.conflict}
              </p>
            ) : (
              <p className="hint">It applies cleanly.</p>
            )}
            {detail.data.rebased.diff.length > 0 && (
              <p className="redline amendment-redline" dir="auto">
                <Redline diff={detail.data.rebased.diff} />
              </p>
            )}
          </div>
        )}
        {decisions.length > 0 && (
          <div className="decision-form" role="group" aria-labelledby={`${id}-decide`}>
            <p className="tracked-title" id={`${id}-decide`}>
              Decision on amendment {amendment.id}
            </p>
            <label htmlFor={`${id}-note`} className="decision-label">
              Note to the cities (optional)
            </label>
            <textarea
              id={`${id}-note`}
              rows={2}
              value={note}
              dir="auto"
              onChange={(event) => setNote(event.target.value)}
            />
            <div className="button-row button-row-tight">
              {decisions.map((decision) => (
                <button
                  key={decision}
                  type="button"
                  className={`button-small${decision === "accept" ? " button-small-primary" : decision === "reject" ? " button-danger" : ""}`}
                  disabled={decide.isPending}
                  onClick={() =>
                    // mutateAsync, not per-call callbacks: the card may leave the filtered
                    // list (and unmount) before the refresh ends, and the message must still show.
                    decide
                      .mutateAsync({ id: amendment.id, decision, note })
                      .then(() => {
                        setNote("");
                        if (decision !== "accept") onChoose(false);
                        onDone(`Amendment ${amendment.id} was ${DECISION_DONE[decision]}.`);
                      })
                      .catch(() => undefined /* shown below from decide.error */)
                  }
                >
                  {DECISION_WORDS[decision]}
                </button>
              ))}
            </div>
            {decide.error && (
              <p className="field-error" role="alert">
                {errorMessage(decide.error)}
              </p>
            )}
          </div>
        )}
        {amendment.status === "accepted" && drafting && (
          <div className="field-check choose-merge">
            <input
              id={`${id}-choose`}
              type="checkbox"
              checked={chosen}
              onChange={(event) => onChoose(event.target.checked)}
            />
            <label htmlFor={`${id}-choose`}>Merge into the next version</label>
          </div>
        )}
      </div>
    </AmendmentCard>
  );
}
