// An error sentence from the API (its `detail`), announced to screen readers.
import type { ReactNode } from "react";
import { errorMessage } from "../api/errors";

interface ErrorMessageProps {
  error: unknown;
  children?: ReactNode;
}

export function ErrorMessage({ error, children }: ErrorMessageProps) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{errorMessage(error)}</p>
      {children}
    </div>
  );
}
