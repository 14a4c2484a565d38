// A consequential action in two steps: the button, then a clear sentence and "Yes, …" / Cancel.
import { useEffect, useRef, useState, type ReactNode } from "react";

interface ConfirmActionProps {
  label: string;
  /** What will happen, said plainly before the user confirms. */
  question: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  onConfirm: () => void;
  danger?: boolean;
}

export function ConfirmAction({ label, question, confirmLabel, busyLabel, busy, onConfirm, danger }: ConfirmActionProps) {
  const [asking, setAsking] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) box.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className={danger ? "button-secondary button-danger" : "button-primary"} onClick={() => setAsking(true)}>
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
          Cancel
        </button>
      </div>
    </div>
  );
}
