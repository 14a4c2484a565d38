// Propose an amendment for one's city: new wording (edited in place, the change tracked live),
// a new paragraph after this one (or at the start), or the deletion of the paragraph.
import { useId, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useProposeAmendment } from "../../api/mutations";
import type { AmendmentAction, Me } from "../../api/types";
import { amendmentActionInWords } from "../../lib/words";
import { ErrorMessage } from "../ErrorMessage";
import { Redline } from "../Redline";
import { TrackedChangeEditor } from "../TrackedChangeEditor";

interface ProposeAmendmentFormProps {
  declarationId: number;
  baseVersion: number;
  action: AmendmentAction;
  /** The paragraph changed, or after which one is inserted (null: at the start). */
  paragraphKey: string | null;
  /** Its text as the reader sees it ("# " marks a heading). */
  paragraphText: string;
  isHeading: boolean;
  where: string;
  me: Me;
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function ProposeAmendmentForm({
  declarationId,
  baseVersion,
  action,
  paragraphKey,
  paragraphText,
  isHeading,
  where,
  me,
  onDone,
  onCancel,
}: ProposeAmendmentFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const propose = useProposeAmendment(declarationId);
  const [text, setText] = useState(action === "modify" ? paragraphText : "");
  const [rationale, setRationale] = useState("");
  const [textError, setTextError] = useState<string | undefined>(undefined);
  const city = me.city?.name ?? t("amendments.propose.yourCity");

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (action !== "delete") {
      if (!text.trim()) return setTextError(t("amendments.propose.writeIt"));
      if (action === "modify" && text.trim() === paragraphText.trim()) return setTextError(t("amendments.propose.changeFirst"));
    }
    setTextError(undefined);
    propose.mutate(
      {
        base_version: baseVersion,
        action,
        paragraph_key: paragraphKey,
        text: action === "delete" ? null : text,
        rationale,
      },
      { onSuccess: (amendment) => onDone(t("amendments.propose.proposed", { id: amendment.id, city })) },
    );
  }

  const title = amendmentActionInWords(action, action === "insert" && paragraphKey === null ? null : where);

  return (
    <form className="propose-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <p className="propose-title" id={`${id}-title`}>
        {t("amendments.propose.title", { what: title })}
      </p>
      {action === "delete" ? (
        <div className="tracked-preview">
          <p className="tracked-title">{t("amendments.propose.wouldDelete")}</p>
          <p className="redline" dir="auto">
            <Redline diff={[["delete", paragraphText]]} />
          </p>
        </div>
      ) : (
        <TrackedChangeEditor
          original={action === "modify" ? paragraphText : ""}
          value={text}
          onChange={setText}
          label={
            action === "modify"
              ? t(isHeading ? "amendments.propose.newWordingHeading" : "amendments.propose.newWording")
              : t("amendments.propose.newText")
          }
          hint={action === "insert" ? t("amendments.propose.hintInsert") : t("amendments.propose.hintModify")}
          error={textError}
          rows={action === "modify" ? Math.min(14, Math.max(4, Math.ceil(paragraphText.length / 70))) : 4}
          autoFocus
        />
      )}
      <div className="field">
        <label htmlFor={`${id}-rationale`}>{t("amendments.propose.rationale")}</label>
        <p className="hint" id={`${id}-rationale-hint`}>
          {t("amendments.propose.rationaleHint", { city })}
        </p>
        <textarea
          id={`${id}-rationale`}
          rows={3}
          value={rationale}
          dir="auto"
          maxLength={10000}
          onChange={(event) => setRationale(event.target.value)}
          aria-describedby={`${id}-rationale-hint`}
        />
      </div>
      <ErrorMessage error={propose.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={propose.isPending}>
          <span>
            {propose.isPending ? (
              t("amendments.propose.proposing")
            ) : (
              <Trans i18nKey="amendments.propose.proposeFor" components={{ city: <bdi>{city}</bdi> }} />
            )}
          </span>
        </button>
        <button type="button" className="button-quiet-dark" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
