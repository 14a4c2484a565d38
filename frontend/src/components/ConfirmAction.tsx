// A consequential action in two steps: the button, then a clear sentence and "Yes, …" / Cancel.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface ConfirmActionProps {
  label: string;
  /** What will happen, said plainly before the user confirms. */
  question: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  onConfirm: () => void;
  danger?: boolean;
  /** The first button's class, where the default size does not fit (a card's small buttons). */
  buttonClassName?: string;
}

export function ConfirmAction(props: ConfirmActionProps) {
  const { label, question, confirmLabel, busyLabel, busy, onConfirm, danger, buttonClassName } = props;
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) box.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        className={buttonClassName ?? (danger ? "button-secondary button-danger" : "button-primary")}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={label} ref={box} tabIndex={-1}>
      <div className="confirm-question">{question}</div>
      <div className="button-row">
        <button type="button" className="button-primary" disabled={busy} onClick={onConfirm}>
          {busy ? busyLabel : confirmLabel}
        </button>
        <button type="button" className="button-secondary" onClick={() => setAsking(false)} disabled={busy}>
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}
