// Sign in with email and password; the token goes to the auth store.
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { api } from "../api/client";
import { errorMessage, unwrap } from "../api/errors";
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
  usePageTitle("Sign in");
  const token = useAuthToken();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ended] = useState(signOutReason);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  if (token && !busy) return <Navigate to={returnPath(location.state)} replace />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!email.trim()) errors.email = "Enter your email address.";
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) errors.email = "Enter an email address like name@example.org.";
    if (!password) errors.password = "Enter your password.";
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
      setFailure(errorMessage(error));
      setPassword("");
      passwordInput.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <p className="brand-large">Concord</p>
        <h1>Sign in</h1>
        <p className="lede">Draft, amend and endorse a joint declaration of cities and regions.</p>
        {ended === "expired" && !failure && (
          <div className="notice" role="status">
            <p>Your session has ended. Sign in again to continue.</p>
          </div>
        )}
        {failure && (
          <div className="notice notice-error" role="alert">
            <p>{failure}</p>
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="email">Email address</label>
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
            <label htmlFor="password">Password</label>
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
            <label htmlFor="remember">Stay signed in on this device</label>
          </div>
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
