// A file chooser in the reader's language. A file input's own button and its "No file chosen"
// speak the browser's language, so the input is hidden (still focusable, still what its label
// names) and its label is the button; the label shows the input's focus (styles.css), and the
// file chosen is said in words by the caller or by FileChosen.
import type { ReactNode } from "react";
import { Trans } from "react-i18next";

export function FileButton({
  id,
  label,
  accept,
  onFile,
  disabled = false,
  className = "button-secondary",
}: {
  id: string;
  label: ReactNode;
  accept: string;
  /** The file chosen, or null when the choice was cancelled. */
  onFile: (file: File | null) => void;
  disabled?: boolean;
  className?: string;
}) {
  return (
    <>
      <label className={className} htmlFor={id} aria-disabled={disabled || undefined}>
        {label}
      </label>
      <input
        id={id}
        className="visually-hidden-file"
        type="file"
        accept={accept}
        disabled={disabled}
        onChange={(event) => {
          const file = event.target.files?.[0] ?? null;
          event.target.value = ""; // choosing the same file again is a choice too
          onFile(file);
        }}
      />
    </>
  );
}

/** "Chosen: name.docx", for a chooser whose caller says nothing else about the file. */
export function FileChosen({ name }: { name: string }) {
  return (
    <p className="hint" role="status">
      <Trans i18nKey="common.fileChosen" values={{ file: name }} components={{ file: <bdi /> }} />
    </p>
  );
}
