// A mayor's account: their passkeys, with what a passkey is in plain words.
import { useId, useState, type FormEvent } from "react";
import { usePasskeys, useAddPasskey, useRemovePasskey } from "../api/passkeys";
import { useMe } from "../api/queries";
import { ConfirmAction } from "../components/ConfirmAction";
import { ErrorMessage } from "../components/ErrorMessage";
import { Feedback } from "../components/Feedback";
import { Loading } from "../components/Loading";
import { PageLoading } from "../components/PageState";
import { passkeysSupported } from "../lib/webauthn";
import { usePageTitle } from "../lib/usePageTitle";
import { formatDateTime } from "../lib/words";

export function AccountPage() {
  usePageTitle("Your account");
  const me = useMe();
  if (me.isPending) return <PageLoading what="Loading your account" />;
  const mayor = me.data?.role === "mayor";
  return (
    <div className="page">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>
          <bdi>{me.data?.name}</bdi>
        </dd>
        <dt>E-mail</dt>
        <dd>{me.data?.email}</dd>
      </dl>
      {mayor ? <Passkeys /> : <p className="hint">Passkeys are for mayors, who sign declarations for their city.</p>}
    </div>
  );
}

function Passkeys() {
  const id = useId();
  const passkeys = usePasskeys(true);
  const add = useAddPasskey();
  const remove = useRemovePasskey();
  const [name, setName] = useState("");
  const [feedback, setFeedback] = useState<string | null>(null);
  const supported = passkeysSupported();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const chosen = name.trim() || "My passkey";
    add.mutate(chosen, {
      onSuccess: () => {
        setName("");
        setFeedback(`Passkey “${chosen}” added. You can now sign with it.`);
      },
    });
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Your passkeys</h2>
      <p>
        A passkey lets you sign a declaration with your own device — your phone, your computer’s fingerprint reader or face
        recognition, or a security key — instead of your password.
      </p>
      <p>
        Your device keeps a secret key that never leaves it; the platform keeps only the matching public key. When you
        sign with it, your device itself signs the fingerprint of the text, after checking it is you (your PIN, fingerprint
        or face). Anyone can later check, from the signed declaration alone, that your device signed exactly this text —
        not the platform on your behalf.
      </p>
      <Feedback message={feedback} />
      {passkeys.isPending ? (
        <Loading what="Loading your passkeys" />
      ) : passkeys.data && passkeys.data.length > 0 ? (
        <ul className="passkey-list">
          {passkeys.data.map((passkey) => (
            <li key={passkey.id}>
              <span>
                <strong>
                  <bdi>{passkey.name}</bdi>
                </strong>{" "}
                <span className="hint">added {formatDateTime(passkey.created_at)}</span>
              </span>
              <ConfirmAction
                label="Remove"
                danger
                question={
                  <p>
                    Remove the passkey <bdi>“{passkey.name}”</bdi>? It can no longer sign. Signatures already made with it
                    stay valid.
                  </p>
                }
                confirmLabel="Yes, remove it"
                busyLabel="Removing…"
                busy={remove.isPending}
                onConfirm={() => remove.mutate(passkey.id, { onSuccess: () => setFeedback(`Passkey “${passkey.name}” removed.`) })}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">You have no passkey yet.</p>
      )}
      <ErrorMessage error={passkeys.error ?? remove.error} />
      {supported ? (
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-name`}>A name for it, to tell your passkeys apart (for example “Work laptop”)</label>
            <input id={`${id}-name`} value={name} maxLength={100} onChange={(event) => setName(event.target.value)} />
          </div>
          <ErrorMessage error={add.error} />
          <button type="submit" className="button-primary" disabled={add.isPending}>
            {add.isPending ? "Waiting for your device…" : "Add a passkey"}
          </button>
        </form>
      ) : (
        <p className="notice">This browser cannot make passkeys. Open the platform in a recent browser to add one.</p>
      )}
    </section>
  );
}
