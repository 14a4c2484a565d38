// An amendment on the co-facilitators' desk: its card, its effect on the current head (rebased,
// or the conflict), the decision with a note, and whether it goes into the next version.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../api/errors";
import { useDecide } from "../../api/mutations";
import { useAmendment } from "../../api/queries";
import type { Amendment, Me } from "../../api/types";
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


export function DeskAmendment({ amendment, me, where, chosen, onChoose, onDone, drafting }: DeskAmendmentProps) {
  const { t } = useTranslation();
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
            {showRebased ? t("desk.card.hideEffect") : t("desk.card.showEffect")}
          </button>
        )}
        {showRebased && detail.isPending && <p className="loading">{t("desk.card.rebasing")}</p>}
        {showRebased && detail.error && (
          <p className="field-error" role="alert">
            {errorMessage(detail.error)}
          </p>
        )}
        {showRebased && detail.data?.rebased && (
          <div className={`rebased${detail.data.rebased.conflict ? " has-conflict" : ""}`}>
            <p className="tracked-title">{t("desk.card.against", { number: detail.data.rebased.version })}</p>
            {detail.data.rebased.conflict ? (
              <p className="conflict-reason" role="status">
                <strong>{t("desk.card.conflict")}</strong>{" "}
                <span lang="en">{detail.data.rebased.conflict}</span>
              </p>
            ) : (
              <p className="hint">{t("desk.card.applies")}</p>
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
              {t("desk.card.decisionOn", { id: amendment.id })}
            </p>
            <label htmlFor={`${id}-note`} className="decision-label">
              {t("desk.card.note")}
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
                        onDone(t(`desk.card.done.${decision}`, { id: amendment.id }));
                      })
                      .catch(() => undefined /* shown below from decide.error */)
                  }
                >
                  {t(`desk.card.decide.${decision}`)}
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
            <label htmlFor={`${id}-choose`}>{t("desk.card.merge")}</label>
          </div>
        )}
      </div>
    </AmendmentCard>
  );
}
