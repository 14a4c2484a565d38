// The co-facilitators' moves at the end of the process — finalize the current version (with the
// translations made authentic beside it), open endorsement, close it — each confirmed first.
// On the Endorsement page and on the co-facilitators' desk.
import { useState, type ReactNode } from "react";
import { Trans, useTranslation as useWords } from "react-i18next";
import { useEndorsementMove } from "../../api/mutations";
import { useTranslations } from "../../api/queries";
import type { Declaration } from "../../api/types";
import { formatNumber } from "../../lib/words";
import { ConfirmAction } from "../ConfirmAction";
import { ErrorMessage } from "../ErrorMessage";

interface CoFacilitatorMovesProps {
  declaration: Declaration;
  onDone: (message: string) => void;
  /** The panel's heading, where the page names it otherwise (the desk says the step). */
  heading?: string;
  /** Finalizing is not the main action where the panel stands (the desk's is the merge). */
  quietFinalize?: boolean;
  children?: ReactNode;
}

export function CoFacilitatorMoves({ declaration, onDone, heading, quietFinalize = false, children }: CoFacilitatorMovesProps) {
  const { t } = useWords();
  const move = useEndorsementMove(declaration.id);
  const [authentic, setAuthentic] = useState<string[]>([]);
  const [requirePasskey, setRequirePasskey] = useState(false);
  const { status, head_version: head, title } = declaration;
  return (
    <section className="panel moves" aria-labelledby="moves-title">
      <h2 id="moves-title">{heading ?? t("endorsement.moves.title")}</h2>
      {status === "drafting" && (
        <>
          <p>{t("endorsement.moves.finalizeExplained", { version: formatNumber(head) })}</p>
          <ConfirmAction
            label={t("endorsement.moves.finalize", { version: formatNumber(head) })}
            buttonClassName={quietFinalize ? "button-secondary" : undefined}
            question={
              <p>
                <Trans
                  i18nKey="endorsement.moves.finalizeQuestion"
                  values={{ version: formatNumber(head), title }}
                  components={{ title: <bdi /> }}
                />
              </p>
            }
            confirmLabel={t("endorsement.moves.finalizeConfirm", { version: formatNumber(head) })}
            busyLabel={t("endorsement.moves.finalizing")}
            busy={move.isPending}
            onConfirm={() =>
              move.mutate(
                { move: "finalize", version: head, authentic: authentic },
                { onSuccess: () => onDone(t("endorsement.moves.finalized", { version: formatNumber(head) })) },
              )
            }
          />
          <AuthenticChoice declarationId={declaration.id} chosen={authentic} onChange={setAuthentic} />
        </>
      )}
      {status === "final" && (
        <>
          <p>{t("endorsement.moves.openExplained")}</p>
          <p className="checkbox">
            <input
              id="require-passkey"
              type="checkbox"
              checked={requirePasskey}
              onChange={(event) => setRequirePasskey(event.target.checked)}
            />
            <label htmlFor="require-passkey">{t("endorsement.moves.requirePasskey")}</label>
          </p>
          <ConfirmAction
            label={t("endorsement.moves.open")}
            question={<p>{t("endorsement.moves.openQuestion", { version: formatNumber(declaration.final_version ?? 0) })}</p>}
            confirmLabel={t("endorsement.moves.openConfirm")}
            busyLabel={t("endorsement.moves.opening")}
            busy={move.isPending}
            onConfirm={() =>
              move.mutate({ move: "open", requirePasskey }, { onSuccess: () => onDone(t("endorsement.moves.opened")) })
            }
          />
        </>
      )}
      {status === "open" && (
        <>
          <p>{t("endorsement.moves.closeExplained")}</p>
          <ConfirmAction
            label={t("endorsement.moves.close")}
            danger
            question={<p>{t("endorsement.moves.closeQuestion")}</p>}
            confirmLabel={t("endorsement.moves.closeConfirm")}
            busyLabel={t("endorsement.moves.closing")}
            busy={move.isPending}
            onConfirm={() => move.mutate({ move: "close" }, { onSuccess: () => onDone(t("endorsement.moves.closed")) })}
          />
        </>
      )}
      {status === "closed" && <p>{t("endorsement.moves.closed")}</p>}
      {children}
      <ErrorMessage error={move.error} />
    </section>
  );
}

/** Which translations are authentic beside the negotiated text: only complete, current ones. */
function AuthenticChoice({
  declarationId,
  chosen,
  onChange,
}: {
  declarationId: number;
  chosen: string[];
  onChange: (languages: string[]) => void;
}) {
  const { t } = useWords();
  const translations = useTranslations(declarationId);
  const ready = (translations.data ?? []).filter((translation) => translation.outdated === 0 && translation.missing === 0);
  if (ready.length === 0) return null;
  return (
    <fieldset className="authentic-choice">
      <legend>{t("endorsement.moves.authenticLegend")}</legend>
      {ready.map((translation) => (
        <label key={translation.language} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(translation.language)}
            onChange={(event) =>
              onChange(
                event.target.checked
                  ? [...chosen, translation.language]
                  : chosen.filter((l) => l !== translation.language),
              )
            }
          />{" "}
          {translation.language}
        </label>
      ))}
    </fieldset>
  );
}
