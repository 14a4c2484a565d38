// Writing one direct edit of the next version: new wording of a paragraph (tracked live), a new
// paragraph after it, or its deletion; started empty, or from an amendment's text (a compromise).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Redline } from "../Redline";
import { TrackedChangeEditor } from "../TrackedChangeEditor";
import type { DraftEdit } from "./useNextVersion";

/** A direct edit started from an amendment's text: a compromise wording of it. */
export interface EditSeed {
  key: string;
  text: string;
  /** What the text is, in words ("the wording of amendment 6 (Mechelen)"). */
  from: string;
  amendmentId: number;
  serial: number;
}

interface EditBuilderProps {
  paragraphs: readonly { key: string; kind: "heading" | "paragraph"; text: string }[];
  optionOf: (key: string, length?: number) => string;
  seed: EditSeed | null;
  onAdd: (edit: Omit<DraftEdit, "id">) => void;
}

/** Write a direct edit: new wording of a paragraph (tracked live), a new paragraph, a deletion. */
export function EditBuilder({ paragraphs, optionOf, seed, onAdd }: EditBuilderProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(seed !== null);
  const [key, setKey] = useState(seed?.key ?? paragraphs[0]?.key ?? "");
  const [action, setAction] = useState<"modify" | "insert" | "delete">("modify");
  const original = paragraphs.find((p) => p.key === key)?.text ?? "";
  const [text, setText] = useState(seed?.text ?? original);
  const [error, setError] = useState<string | undefined>(undefined);

  if (!open) {
    return (
      <button type="button" className="button-small" onClick={() => setOpen(true)}>
        {t("desk.edit.add")}
      </button>
    );
  }

  function add() {
    if (action !== "delete" && !text.trim()) return setError(t("desk.edit.writeIt"));
    if (action === "modify" && text.trim() === original.trim()) return setError(t("desk.edit.changeFirst"));
    setError(undefined);
    // Still about the amendment's paragraph: the edit reconciles that amendment.
    const reconciles = seed && key === seed.key ? seed.amendmentId : undefined;
    onAdd({ action, paragraph_key: key, text: action === "delete" ? null : text, before: original, reconciles });
    setOpen(false);
  }

  return (
    <fieldset className="edit-builder">
      <legend>{t("desk.edit.legend")}</legend>
      {seed && (
        <p className="hint">{t("desk.edit.compromiseHint", { id: seed.amendmentId, from: seed.from })}</p>
      )}
      <div className="field">
        <label htmlFor="edit-paragraph">{t("desk.edit.paragraph")}</label>
        <select
          id="edit-paragraph"
          value={key}
          onChange={(event) => {
            setKey(event.target.value);
            const next = paragraphs.find((p) => p.key === event.target.value)?.text ?? "";
            setText(action === "modify" ? next : "");
          }}
        >
          {paragraphs.map((p) => (
            <option key={p.key} value={p.key}>
              {optionOf(p.key, 40)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="edit-action">{t("desk.edit.change")}</label>
        <select
          id="edit-action"
          value={action}
          onChange={(event) => {
            const next = event.target.value as "modify" | "insert" | "delete";
            setAction(next);
            setText(next === "modify" ? original : "");
          }}
        >
          <option value="modify">{t("desk.edit.modify")}</option>
          <option value="insert">{t("desk.edit.insert")}</option>
          <option value="delete">{t("desk.edit.delete")}</option>
        </select>
      </div>
      {action === "delete" ? (
        <p className="redline amendment-redline" dir="auto">
          <Redline diff={[["delete", original]]} />
        </p>
      ) : (
        <TrackedChangeEditor
          original={action === "modify" ? original : ""}
          value={text}
          onChange={setText}
          label={action === "modify" ? t("desk.edit.modify") : t("desk.edit.newText")}
          error={error}
          rows={5}
        />
      )}
      <div className="button-row button-row-tight">
        <button type="button" className="button-small button-small-primary" onClick={add}>
          {t("desk.edit.addThis")}
        </button>
        <button type="button" className="button-small" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </fieldset>
  );
}
