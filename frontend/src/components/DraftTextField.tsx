// A draft's text: pasted into the box, or read from a .txt/.md file in the browser.
import { useId, useState, type ChangeEvent, type ReactNode } from "react";
import { countBlocks, readDraftFile } from "../lib/files";
import { plural } from "../lib/words";

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
  const id = useId();
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = ""; // choosing the same file again still triggers a read
    if (!file) return;
    setFileError(null);
    try {
      onChange(await readDraftFile(file));
      setFileNote(`Loaded “${file.name}”. You can still edit the text below.`);
    } catch (caught) {
      setFileNote(null);
      setFileError(caught instanceof Error ? caught.message : "The file could not be read.");
    }
  }

  const blocks = countBlocks(value);
  const problem = fileError ?? error;
  return (
    <div className="field">
      <label htmlFor={`${id}-text`}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        Paste the text or load a .txt or .md file. Leave a blank line between paragraphs; start a
        heading with “# ”.
      </p>
      <div className="file-row">
        <label className="file-label" htmlFor={`${id}-file`}>
          Load from a file
        </label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".txt,.md,.markdown,.text,text/plain,text/markdown"
          onChange={pick}
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
        {value.trim() ? `${plural(blocks, "paragraph")} (headings included).` : "No text yet."}
      </p>
    </div>
  );
}
