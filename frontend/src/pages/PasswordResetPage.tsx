// "Forgot password", reached from the sign-in page: ask for a link by e-mail; opened from the
// link (its token in the fragment, which never reaches a server), choose the new password.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { useAskPasswordReset, usePasswordResetOptions, useResetPassword } from "../api/passwordReset";
import { ErrorMessage } from "../components/ErrorMessage";
import { SignInCard } from "../components/SignInCard";
import { usePageTitle } from "../lib/usePageTitle";

const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;

/** The token of the link (`#token=…`), if the page was opened from one. */
function linkToken(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token");
}

export function PasswordResetPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const token = linkToken(location.hash);
  usePageTitle(token ? t("reset.setTitle") : t("reset.askTitle"));
  return (
    <SignInCard>
        {token ? <NewPassword key={token} token={token} onUnusable={() => navigate("/reset-password")} /> : <AskForLink />}
        <p className="sign-in-forgot">
          <Link to="/login">{t("reset.back")}</Link>
        </p>
    </SignInCard>
  );
}

function AskForLink() {
  const { t } = useTranslation();
  const options = usePasswordResetOptions();
  const ask = useAskPasswordReset();
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const minutes = options.data?.minutes ?? 30;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) {
      setProblem(email.trim() ? t("signin.emailMalformed") : t("signin.emailMissing"));
      return;
    }
    setProblem(null);
    ask.mutate(email.trim());
  }

  if (options.data && !options.data.available) {
    return (
      <>
        <h1>{t("reset.askTitle")}</h1>
        <p className="lede">{t("reset.unavailable")}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t("reset.askTitle")}</h1>
      {ask.isSuccess ? (
        <div className="notice" role="status">
          <p>{t("reset.sent", { minutes })}</p>
        </div>
      ) : (
        <>
          <p className="lede">{t("reset.askLede", { minutes })}</p>
          <ErrorMessage error={ask.error} />
          <form onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor="reset-email">{t("reset.email")}</label>
              {problem && (
                <p className="field-error" id="reset-email-error">
                  {problem}
                </p>
              )}
              <input
                id="reset-email"
                type="email"
                autoComplete="username"
                inputMode="email"
                spellCheck={false}
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? "reset-email-error" : undefined}
              />
            </div>
            <button type="submit" className="button-primary" disabled={ask.isPending}>
              {ask.isPending ? t("reset.sending") : t("reset.send")}
            </button>
          </form>
        </>
      )}
    </>
  );
}

function NewPassword({ token, onUnusable }: { token: string; onUnusable: () => void }) {
  const { t } = useTranslation();
  const reset = useResetPassword();
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const wrong =
      password.length < MIN_PASSWORD
        ? t("reset.tooShort")
        : password.length > MAX_PASSWORD
          ? t("reset.tooLong")
          : password !== repeated
            ? t("reset.mismatch")
            : null;
    setProblem(wrong);
    if (wrong) return field.current?.focus();
    reset.mutate({ token, password });
  }

  if (reset.isSuccess) {
    return (
      <>
        <h1>{t("reset.setTitle")}</h1>
        <div className="notice" role="status">
          <p>{t("reset.done")}</p>
        </div>
        <Link className="button-primary" to="/login">
          {t("reset.signIn")}
        </Link>
      </>
    );
  }
  return (
    <>
      <h1>{t("reset.setTitle")}</h1>
      <ErrorMessage error={reset.error}>
        <button type="button" className="button-link" onClick={onUnusable}>
          {t("reset.askAgain")}
        </button>
      </ErrorMessage>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="new-password">{t("reset.newPassword")}</label>
          {problem && (
            <p className="field-error" id="new-password-error">
              {problem}
            </p>
          )}
          <input
            ref={field}
            id="new-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? "new-password-error" : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="repeat-password">{t("reset.repeat")}</label>
          <input
            id="repeat-password"
            type="password"
            autoComplete="new-password"
            value={repeated}
            onChange={(event) => setRepeated(event.target.value)}
          />
        </div>
        <button type="submit" className="button-primary" disabled={reset.isPending}>
          {reset.isPending ? t("reset.saving") : t("reset.save")}
        </button>
      </form>
    </>
  );
}
