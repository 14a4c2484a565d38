// Sign in with email and password; the token goes to the auth store.
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import { usePasswordResetOptions } from "../api/passwordReset";
import { ErrorMessage } from "../components/ErrorMessage";
import { SignInCard } from "../components/SignInCard";
import { signIn, signOutReason, useAuthToken } from "../lib/auth";
import { usePageTitle } from "../lib/usePageTitle";

interface FieldErrors {
  email?: string;
  password?: string;
}

function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  // Only paths inside the app: never an absolute URL handed in from elsewhere.
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") && from !== "/login"
    ? from
    : "/declarations";
}

export function SignInPage() {
  const { t } = useTranslation();
  usePageTitle(t("signin.title"));
  const token = useAuthToken();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [ended] = useState(signOutReason);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  if (token && !busy) return <Navigate to={returnPath(location.state)} replace />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!email.trim()) errors.email = t("signin.emailMissing");
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) errors.email = t("signin.emailMalformed");
    if (!password) errors.password = t("signin.passwordMissing");
    setFieldErrors(errors);
    setFailure(null);
    if (errors.email) return emailInput.current?.focus();
    if (errors.password) return passwordInput.current?.focus();

    setBusy(true);
    try {
      const answer = await unwrap(
        api.POST("/api/auth/token", {
          body: { username: email.trim(), password },
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }),
      );
      queryClient.clear();
      signIn(answer.access_token, answer.expires_in, remember);
      navigate(returnPath(location.state), { replace: true });
    } catch (error) {
      setFailure(error);
      setPassword("");
      passwordInput.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <SignInCard>
        <h1>{t("signin.title")}</h1>
        <p className="lede">{t("signin.lede")}</p>
        {ended === "expired" && !failure && (
          <div className="notice" role="status">
            <p>{t("signin.ended")}</p>
          </div>
        )}
        <ErrorMessage error={failure} />
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="email">{t("signin.email")}</label>
            {fieldErrors.email && (
              <p className="field-error" id="email-error">
                {fieldErrors.email}
              </p>
            )}
            <input
              ref={emailInput}
              id="email"
              name="username"
              type="email"
              autoComplete="username"
              inputMode="email"
              spellCheck={false}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              aria-invalid={fieldErrors.email ? true : undefined}
              aria-describedby={fieldErrors.email ? "email-error" : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="password">{t("signin.password")}</label>
            {fieldErrors.password && (
              <p className="field-error" id="password-error">
                {fieldErrors.password}
              </p>
            )}
            <input
              ref={passwordInput}
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={fieldErrors.password ? true : undefined}
              aria-describedby={fieldErrors.password ? "password-error" : undefined}
            />
          </div>
          <div className="field field-check">
            <input
              id="remember"
              type="checkbox"
              checked={remember}
              onChange={(event) => setRemember(event.target.checked)}
            />
            <label htmlFor="remember">{t("signin.remember")}</label>
          </div>
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? t("signin.busy") : t("signin.submit")}
          </button>
        </form>
        <ForgotPassword />
    </SignInCard>
  );
}

/** The way back in for a forgotten password: a link by e-mail where the platform sends mail,
 * else the secretariat (who sets a new one on the accounts page). */
function ForgotPassword() {
  const { t } = useTranslation();
  const options = usePasswordResetOptions();
  if (!options.data) return null;
  return (
    <p className="sign-in-forgot">
      {options.data.available ? <Link to="/reset-password">{t("signin.forgot")}</Link> : t("signin.askSecretariat")}
    </p>
  );
}
