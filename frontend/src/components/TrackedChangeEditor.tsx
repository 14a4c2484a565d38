// Edit a paragraph and see the change tracked as you type, as a word processor shows it:
// insertions underlined, deletions struck through, computed word by word in the browser.
import { useDeferredValue, useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { wordDiff } from "../lib/wordDiff";
import { Redline } from "./Redline";

interface TrackedChangeEditorProps {
  /** The text as it stands ("" for a new paragraph). */
  original: string;
  value: string;
  onChange: (text: string) => void;
  label: string;
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
  rows?: number;
  autoFocus?: boolean;
}

export function TrackedChangeEditor({
  original,
  value,
  onChange,
  label,
  hint,
  error,
  disabled,
  rows = 6,
  autoFocus,
}: TrackedChangeEditorProps) {
  const { t } = useTranslation();
  const id = useId();
  // Typing stays fluid on long paragraphs: the redline follows a moment later if it must.
  const deferred = useDeferredValue(value);
  const diff = useMemo(() => wordDiff(original, deferred), [original, deferred]);
  const inserted = diff.filter(([op]) => op === "insert").length;
  const deleted = diff.filter(([op]) => op === "delete").length;
  const unchanged = inserted === 0 && deleted === 0;
  return (
    <div className="tracked-editor">
      <div className="field">
        <label htmlFor={`${id}-text`}>{label}</label>
        {hint && (
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
        <textarea
          id={`${id}-text`}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          rows={rows}
          dir="auto"
          spellCheck
          disabled={disabled}
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : "", `${id}-count`].join(" ").trim()}
        />
      </div>
      <div className="tracked-preview" aria-labelledby={`${id}-preview-title`} role="group">
        <p className="tracked-title" id={`${id}-preview-title`}>
          {t("amendments.tracked.title")}
        </p>
        <p className="redline tracked-redline" dir="auto" data-testid="tracked-redline">
          {diff.length === 0 ? <span className="hint">{t("amendments.tracked.empty")}</span> : <Redline diff={diff} />}
        </p>
        <p className="hint" id={`${id}-count`} aria-live="polite">
          {unchanged
            ? t("amendments.tracked.noChange")
            : t("amendments.tracked.counts", {
                insertions: t("amendments.tracked.insertions", { count: inserted }),
                deletions: t("amendments.tracked.deletions", { count: deleted }),
              })}
        </p>
      </div>
    </div>
  );
}
