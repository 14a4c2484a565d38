// One amendment: which city proposes what (as a redline), why, who supports it, and what the
// reader may do about it: support it, withdraw support, withdraw their own city's proposal.
import { ConfirmAction } from "../ConfirmAction";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useSupport, useWithdrawAmendment } from "../../api/mutations";
import type { Amendment, Me } from "../../api/types";
import { isCityMember } from "../../lib/roles";
import { amendmentActionInWords, amendmentStatusInWords, formatDateTime } from "../../lib/words";
import { InlineError } from "../ErrorMessage";
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
  useTranslation(); // the words follow the reader's language
  return <span className={`tag amendment-${status}`}>{amendmentStatusInWords(status)}</span>;
}

export function AmendmentCard({ amendment, me, where, headingLevel = 4, onDone, children }: AmendmentCardProps) {
  const { t } = useTranslation();
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
          <span className="amendment-number">{t("amendments.card.number", { id: amendment.id })}</span>{" "}
          <span className="amendment-what">{amendmentActionInWords(amendment.action, where)}</span>
        </Heading>
        <AmendmentStatusTag status={amendment.status} />
      </div>
      <p className="amendment-by">
        <Trans
          i18nKey="amendments.card.proposedBy"
          values={{ country: amendment.city.country }}
          components={{ city: <bdi className="city-name">{amendment.city.name}</bdi> }}
        />{" "}
        · <bdi>{amendment.author.name}</bdi> · <time dateTime={amendment.created_at}>{formatDateTime(amendment.created_at)}</time>
        {" · "}
        {t("amendments.card.onVersion", { number: amendment.base_version })}
      </p>
      <p className="redline amendment-redline" dir="auto">
        <Redline diff={amendment.diff} />
      </p>
      {amendment.rationale && (
        <div className="rationale">
          <p className="rationale-label">{t("amendments.card.rationale")}</p>
          <p className="rationale-text" dir="auto">
            {amendment.rationale}
          </p>
        </div>
      )}
      {amendment.decision_note && (
        <div className="rationale">
          <p className="rationale-label">{t("amendments.card.note")}</p>
          <p className="rationale-text" dir="auto">
            {amendment.decision_note}
          </p>
        </div>
      )}
      {amendment.merged_version !== null && <p className="hint">{t("amendments.card.mergedInto", { number: amendment.merged_version })}</p>}
      <div className="supporters">
        {amendment.supporters.length === 0 ? (
          <p className="hint">{t("amendments.card.noSupport")}</p>
        ) : (
          <>
            <p className="supporters-label">{t("amendments.card.supportedBy", { count: amendment.supporters.length })}</p>
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
                  { onSuccess: () => onDone?.(t("amendments.card.nowSupports", { city: me?.city?.name, id: amendment.id })) },
                )
              }
            >
              <span>
                <Trans i18nKey="amendments.card.supports" components={{ city: <bdi>{me?.city?.name}</bdi> }} />
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
                  { onSuccess: () => onDone?.(t("amendments.card.noLongerSupports", { city: me?.city?.name, id: amendment.id })) },
                )
              }
            >
              <Trans i18nKey="amendments.card.withdrawSupport" components={{ city: <bdi>{me?.city?.name}</bdi> }} />
            </button>
          )}
          {ownCity && amendment.status === "proposed" && (
            <ConfirmAction
              label={t("amendments.card.withdrawOurs")}
              buttonClassName="button-small button-danger"
              danger
              question={
                <p>
                  <Trans
                    i18nKey="amendments.card.withdrawQuestion"
                    values={{ id: amendment.id }}
                    components={{ city: <bdi>{me?.city?.name}</bdi> }}
                  />
                </p>
              }
              confirmLabel={t("amendments.card.withdrawYes")}
              busyLabel={t("amendments.card.withdrawing")}
              busy={withdraw.isPending}
              onConfirm={() =>
                withdraw.mutate(amendment.id, { onSuccess: () => onDone?.(t("amendments.card.withdrawn", { id: amendment.id })) })
              }
            />
          )}
        </div>
      )}
      <InlineError error={error} />
      {children}
    </article>
  );
}
