// An error sentence from the API (its `detail`), announced to screen readers.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage } from "../api/errors";

interface ErrorMessageProps {
  error: unknown;
  children?: ReactNode;
}

export function ErrorMessage({ error, children }: ErrorMessageProps) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  // The server's sentence is English; in another language the code's own words come first.
  const code = error instanceof ApiError ? error.code : null;
  const translated = code && i18n.language !== "en" && i18n.exists(`errors.${code}`) ? t(`errors.${code}`) : null;
  return (
    <div className="notice notice-error" role="alert">
      {translated && <p>{translated}</p>}
      <p lang={translated ? "en" : undefined} dir={translated ? "ltr" : undefined}>
        {errorMessage(error)}
      </p>
      {children}
    </div>
  );
}
