// Propose an amendment for one's city: new wording (edited in place, the change tracked live),
// a new paragraph after this one (or at the start), or the deletion of the paragraph.
import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "../../api/errors";
import { useProposeAmendment } from "../../api/mutations";
import type { AmendmentAction, Me } from "../../api/types";
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
  const id = useId();
  const propose = useProposeAmendment(declarationId);
  const [text, setText] = useState(action === "modify" ? paragraphText : "");
  const [rationale, setRationale] = useState("");
  const [textError, setTextError] = useState<string | undefined>(undefined);
  const city = me.city?.name ?? "your city";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (action !== "delete") {
      if (!text.trim()) return setTextError("Write the text you propose.");
      if (action === "modify" && text.trim() === paragraphText.trim()) return setTextError("Change the text first.");
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
      { onSuccess: (amendment) => onDone(`Amendment ${amendment.id} was proposed for ${city}.`) },
    );
  }

  const title =
    action === "modify"
      ? `New wording of ${where}`
      : action === "insert"
        ? paragraphKey === null
          ? "A new paragraph at the start"
          : `A new paragraph after ${where}`
        : `Delete ${where}`;

  return (
    <form className="propose-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <p className="propose-title" id={`${id}-title`}>
        Amendment proposal: {title}
      </p>
      {action === "delete" ? (
        <div className="tracked-preview">
          <p className="tracked-title">The paragraph would be deleted:</p>
          <p className="redline" dir="auto">
            <Redline diff={[["delete", paragraphText]]} />
          </p>
        </div>
      ) : (
        <TrackedChangeEditor
          original={action === "modify" ? paragraphText : ""}
          value={text}
          onChange={setText}
          label={action === "modify" ? (isHeading ? "New wording of the heading" : "New wording") : "Text of the new paragraph"}
          hint={action === "insert" ? "Start with “# ” to propose a heading." : "Edit the text in place; your change is tracked below."}
          error={textError}
          rows={action === "modify" ? Math.min(14, Math.max(4, Math.ceil(paragraphText.length / 70))) : 4}
          autoFocus
        />
      )}
      <div className="field">
        <label htmlFor={`${id}-rationale`}>Rationale (optional)</label>
        <p className="hint" id={`${id}-rationale-hint`}>
          Why {city} proposes this: the co-facilitators and other cities read it.
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
      {propose.error && (
        <div className="notice notice-error" role="alert">
          <p>{errorMessage(propose.error)}</p>
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={propose.isPending}>
          <span>{propose.isPending ? "Proposing…" : <>Propose for <bdi>{city}</bdi></>}</span>
        </button>
        <button type="button" className="button-quiet-dark" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
