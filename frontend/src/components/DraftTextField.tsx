// A draft's text: pasted into the box, or read from a .txt/.md file in the browser.
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { countBlocks, readDraftFile } from "../lib/files";
import { FileButton } from "./FileButton";

interface DraftTextFieldProps {
  label: string;
  value: string;
  onChange: (text: string) => void;
  error?: string | undefined;
  disabled?: boolean;
  /** Extra controls beside the file picker (e.g. "start from the current text"). */
  actions?: ReactNode;
}

export function DraftTextField({ label, value, onChange, error, disabled, actions }: DraftTextFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  async function pick(file: File | null) {
    if (!file) return;
    setFileError(null);
    try {
      onChange(await readDraftFile(file));
      setFileNote(t("drafts.loaded", { name: file.name }));
    } catch (caught) {
      setFileNote(null);
      setFileError(caught instanceof Error ? caught.message : t("drafts.unreadable"));
    }
  }

  const blocks = countBlocks(value);
  const problem = fileError ?? error;
  return (
    <div className="field">
      <label htmlFor={`${id}-text`}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {t("drafts.hint")}
      </p>
      <div className="file-row">
        <FileButton
          id={`${id}-file`}
          label={t("drafts.load")}
          accept=".txt,.md,.markdown,.text,text/plain,text/markdown"
          onFile={pick}
          disabled={disabled}
        />
        {actions}
      </div>
      {fileNote && (
        <p className="hint" role="status">
          {fileNote}
        </p>
      )}
      {problem && (
        <p className="field-error" id={`${id}-error`}>
          {problem}
        </p>
      )}
      <textarea
        id={`${id}-text`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        rows={14}
        spellCheck
        dir="auto"
        disabled={disabled}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint ${problem ? `${id}-error ` : ""}${id}-count`}
      />
      <p className="hint" id={`${id}-count`}>
        {value.trim() ? t("drafts.blocks", { count: blocks }) : t("drafts.empty")}
      </p>
    </div>
  );
}
