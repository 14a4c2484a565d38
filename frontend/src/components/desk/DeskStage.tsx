// The end of the process where co-facilitators work: the step the declaration is at and its one
// next move — finalize the current version, open endorsement, close it — each confirmed first.
// The same mutation and confirmation as the Endorsement page (useEndorsementMove, ConfirmAction).
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useEndorsementMove } from "../../api/mutations";
import { useTranslations } from "../../api/queries";
import type { Declaration } from "../../api/types";
import { statusInWords } from "../../lib/words";
import { ConfirmAction } from "../ConfirmAction";
import { ErrorMessage } from "../ErrorMessage";

const STEPS: Declaration["status"][] = ["drafting", "final", "open", "closed"];

interface DeskStageProps {
  declaration: Declaration;
  onDone: (message: string) => void;
}

export function DeskStage({ declaration, onDone }: DeskStageProps) {
  const { t } = useTranslation();
  const move = useEndorsementMove(declaration.id);
  const [requirePasskey, setRequirePasskey] = useState(false);
  const { status, head_version: head, final_version: final, title } = declaration;
  const endorsement = `/declarations/${declaration.id}/endorsement`;
  return (
    <section className="panel desk-stage" aria-labelledby="desk-stage-title">
      <h2 id="desk-stage-title" className="desk-stage-title">
        {t("desk.stage.step", { step: STEPS.indexOf(status) + 1, steps: STEPS.length, status: statusInWords(status) })}
      </h2>
      {status === "drafting" && (
        <>
          <p>{t("desk.stage.whenSettled", { number: head })}</p>
          <ConfirmAction
            label={t("desk.stage.finalize", { number: head })}
            // Not the desk's main action while drafting: the merge is.
            buttonClassName="button-secondary"
            question={<FinalizeQuestion declarationId={declaration.id} head={head} title={title} endorsement={endorsement} />}
            confirmLabel={t("desk.stage.finalizeYes", { number: head })}
            busyLabel={t("desk.stage.finalizing")}
            busy={move.isPending}
            onConfirm={() =>
              move.mutate(
                { move: "finalize", version: head, authentic: [] },
                { onSuccess: () => onDone(t("desk.stage.finalized", { number: head })) },
              )
            }
          />
        </>
      )}
      {status === "final" && (
        <>
          <p>{t("desk.stage.openHint", { number: final })}</p>
          <p className="checkbox">
            <input
              id="desk-require-passkey"
              type="checkbox"
              checked={requirePasskey}
              onChange={(event) => setRequirePasskey(event.target.checked)}
            />
            <label htmlFor="desk-require-passkey">{t("desk.stage.requirePasskey")}</label>
          </p>
          <ConfirmAction
            label={t("desk.stage.open")}
            question={<p>{t("desk.stage.openQuestion", { number: final })}</p>}
            confirmLabel={t("desk.stage.openYes")}
            busyLabel={t("desk.stage.opening")}
            busy={move.isPending}
            onConfirm={() =>
              move.mutate({ move: "open", requirePasskey }, { onSuccess: () => onDone(t("desk.stage.opened")) })
            }
          />
        </>
      )}
      {status === "open" && (
        <>
          <p>{t("desk.stage.closeHint")}</p>
          <ConfirmAction
            label={t("desk.stage.close")}
            danger
            question={<p>{t("desk.stage.closeQuestion")}</p>}
            confirmLabel={t("desk.stage.closeYes")}
            busyLabel={t("desk.stage.closing")}
            busy={move.isPending}
            onConfirm={() =>
              move.mutate({ move: "close" }, { onSuccess: () => onDone(t("desk.stage.closed")) })
            }
          />
        </>
      )}
      {status === "closed" && <p>{t("desk.stage.closed")}</p>}
      {status !== "drafting" && (
        <p>
          <Link to={endorsement}>{t("desk.stage.toEndorsement")}</Link>
        </p>
      )}
      <ErrorMessage error={move.error} />
    </section>
  );
}

/** Finalizing here makes the negotiated text alone authentic: say so when translations could be too. */
function FinalizeQuestion({ declarationId, head, title, endorsement }: { declarationId: number; head: number; title: string; endorsement: string }) {
  useTranslation(); // the words follow the reader's language
  const translations = useTranslations(declarationId);
  const ready = (translations.data ?? []).filter((t) => t.outdated === 0 && t.missing === 0);
  return (
    <>
      <p>
        <Trans i18nKey="desk.stage.finalizeQuestion" values={{ number: head }} components={{ title: <bdi>{title}</bdi> }} />
      </p>
      {ready.length > 0 && (
        <p>
          <Trans
            i18nKey="desk.stage.authenticElsewhere"
            values={{ languages: ready.map((r) => r.language).join(", ") }}
            components={{ page: <Link to={endorsement} /> }}
          />
        </p>
      )}
    </>
  );
}
