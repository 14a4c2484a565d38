// One amendment: which city proposes what (as a redline), why, who supports it, and what the
// reader may do about it: support it, withdraw support, withdraw their own city's proposal.
import { ConfirmAction } from "../ConfirmAction";
import type { ReactNode } from "react";
import { errorMessage } from "../../api/errors";
import { useSupport, useWithdrawAmendment } from "../../api/mutations";
import type { Amendment, Me } from "../../api/types";
import { isCityMember } from "../../lib/roles";
import { amendmentActionInWords, amendmentStatusInWords, formatDateTime, plural } from "../../lib/words";
import { Redline } from "../Redline";

interface AmendmentCardProps {
  amendment: Amendment;
  me: Me | undefined;
  /** "paragraph 4" for the paragraph it is about, in the version read. */
  where: string | null;
  headingLevel?: 3 | 4;
  onDone?: (message: string) => void;
  /** Extra content below (the co-facilitator's tools). */
  children?: ReactNode;
}

export function AmendmentStatusTag({ status }: { status: Amendment["status"] }) {
  return <span className={`tag amendment-${status}`}>{amendmentStatusInWords(status)}</span>;
}

export function AmendmentCard({ amendment, me, where, headingLevel = 4, onDone, children }: AmendmentCardProps) {
  const support = useSupport(amendment.declaration_id);
  const withdraw = useWithdrawAmendment(amendment.declaration_id);
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const member = isCityMember(me);
  const ownCity = member && me?.city?.id === amendment.city.id;
  const supporting = member && amendment.supporters.some((s) => s.city.id === me?.city?.id);
  const open = amendment.open;
  const error = support.error ?? withdraw.error;
  const titleId = `amendment-${amendment.id}-title`;

  return (
    <article className={`amendment-card is-${amendment.status}`} aria-labelledby={titleId}>
      <div className="amendment-head">
        <Heading id={titleId} className="amendment-title">
          <span className="amendment-number">Amendment {amendment.id}</span>{" "}
          <span className="amendment-what">{amendmentActionInWords(amendment.action, where)}</span>
        </Heading>
        <AmendmentStatusTag status={amendment.status} />
      </div>
      <p className="amendment-by">
        Proposed by <bdi className="city-name">{amendment.city.name}</bdi> ({amendment.city.country}) ·{" "}
        <bdi>{amendment.author.name}</bdi> · <time dateTime={amendment.created_at}>{formatDateTime(amendment.created_at)}</time>
        {" · "}on version {amendment.base_version}
      </p>
      <p className="redline amendment-redline" dir="auto">
        <Redline diff={amendment.diff} />
      </p>
      {amendment.rationale && (
        <div className="rationale">
          <p className="rationale-label">Rationale</p>
          <p className="rationale-text" dir="auto">
            {amendment.rationale}
          </p>
        </div>
      )}
      {amendment.decision_note && (
        <div className="rationale">
          <p className="rationale-label">Co-facilitators’ note</p>
          <p className="rationale-text" dir="auto">
            {amendment.decision_note}
          </p>
        </div>
      )}
      {amendment.merged_version !== null && <p className="hint">Merged into version {amendment.merged_version}.</p>}
      <div className="supporters">
        {amendment.supporters.length === 0 ? (
          <p className="hint">No other city supports it yet.</p>
        ) : (
          <>
            <p className="supporters-label">Supported by {plural(amendment.supporters.length, "city", "cities")}:</p>
            <ul className="supporter-list">
              {amendment.supporters.map((s) => (
                <li key={s.city.id}>
                  <bdi>{s.city.name}</bdi> ({s.city.country})
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {member && open && (
        <div className="button-row button-row-tight">
          {!ownCity && !supporting && (
            <button
              type="button"
              className="button-small button-small-primary"
              disabled={support.isPending}
              onClick={() =>
                support.mutate(
                  { id: amendment.id, support: true },
                  { onSuccess: () => onDone?.(`${me?.city?.name} now supports amendment ${amendment.id}.`) },
                )
              }
            >
              <span>
                <bdi>{me?.city?.name}</bdi> supports this
              </span>
            </button>
          )}
          {supporting && (
            <button
              type="button"
              className="button-small"
              disabled={support.isPending}
              onClick={() =>
                support.mutate(
                  { id: amendment.id, support: false },
                  { onSuccess: () => onDone?.(`${me?.city?.name} no longer supports amendment ${amendment.id}.`) },
                )
              }
            >
              Withdraw <bdi>{me?.city?.name}</bdi>’s support
            </button>
          )}
          {ownCity && amendment.status === "proposed" && (
            <ConfirmAction
              label="Withdraw our proposal"
              buttonClassName="button-small button-danger"
              danger
              question={
                <p>
                  Withdraw amendment {amendment.id} for <bdi>{me?.city?.name}</bdi>? This cannot be undone.
                </p>
              }
              confirmLabel="Yes, withdraw it"
              busyLabel="Withdrawing…"
              busy={withdraw.isPending}
              onConfirm={() =>
                withdraw.mutate(amendment.id, { onSuccess: () => onDone?.(`Amendment ${amendment.id} was withdrawn.`) })
              }
            />
          )}
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {children}
    </article>
  );
}
