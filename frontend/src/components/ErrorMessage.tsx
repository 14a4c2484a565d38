// An error sentence from the API (its `detail`), announced to screen readers: as a notice, or
// inline under a form (InlineError).
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage } from "../api/errors";

interface ErrorMessageProps {
  error: unknown;
  children?: ReactNode;
}

/** The server's sentence is English; in another language the code's own words come first. */
function useErrorWords(error: unknown): { translated: string | null; sentence: string } {
  const { t, i18n } = useTranslation();
  const code = error instanceof ApiError ? error.code : null;
  const translated = code && i18n.language !== "en" && i18n.exists(`errors.${code}`) ? t(`errors.${code}`) : null;
  return { translated, sentence: errorMessage(error) };
}

export function ErrorMessage({ error, children }: ErrorMessageProps) {
  const { translated, sentence } = useErrorWords(error);
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      {translated && <p>{translated}</p>}
      <p lang={translated ? "en" : undefined} dir={translated ? "ltr" : undefined}>
        {sentence}
      </p>
      {children}
    </div>
  );
}

/** The same words in a form's own error line. */
export function InlineError({ error }: { error: unknown }) {
  const { translated, sentence } = useErrorWords(error);
  if (!error) return null;
  return (
    <p className="field-error" role="alert">
      {translated && <>{translated} </>}
      <span lang={translated ? "en" : undefined} dir={translated ? "ltr" : undefined}>
        {sentence}
      </span>
    </p>
  );
}
