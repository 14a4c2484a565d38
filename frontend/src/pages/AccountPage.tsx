// A mayor's account: their passkeys, with what a passkey is in plain words.
import { useId, useState, type FormEvent } from "react";
import { Trans, useTranslation as useWords } from "react-i18next";
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
  const { t } = useWords();
  usePageTitle(t("account.title"));
  const me = useMe();
  if (me.isPending) return <PageLoading what={t("account.loading")} />;
  const mayor = me.data?.role === "mayor";
  return (
    <div className="page">
      <h1>{t("account.title")}</h1>
      <dl className="facts">
        <dt>{t("account.name")}</dt>
        <dd>
          <bdi>{me.data?.name}</bdi>
        </dd>
        <dt>{t("account.email")}</dt>
        <dd>{me.data?.email}</dd>
      </dl>
      {mayor ? <Passkeys /> : <p className="hint">{t("account.passkeysForMayors")}</p>}
    </div>
  );
}

function Passkeys() {
  const { t } = useWords();
  const id = useId();
  const passkeys = usePasskeys(true);
  const add = useAddPasskey();
  const remove = useRemovePasskey();
  const [name, setName] = useState("");
  const [feedback, setFeedback] = useState<string | null>(null);
  const supported = passkeysSupported();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const chosen = name.trim() || t("account.defaultName");
    add.mutate(chosen, {
      onSuccess: () => {
        setName("");
        setFeedback(t("account.added", { name: chosen }));
      },
    });
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("account.passkeys")}</h2>
      <p>{t("account.whatItIs")}</p>
      <p>{t("account.howItWorks")}</p>
      <Feedback message={feedback} />
      {passkeys.isPending ? (
        <Loading what={t("account.loadingPasskeys")} />
      ) : passkeys.data && passkeys.data.length > 0 ? (
        <ul className="passkey-list">
          {passkeys.data.map((passkey) => (
            <li key={passkey.id}>
              <span>
                <strong>
                  <bdi>{passkey.name}</bdi>
                </strong>{" "}
                <span className="hint">{t("account.addedOn", { date: formatDateTime(passkey.created_at) })}</span>
              </span>
              <ConfirmAction
                label={t("account.remove")}
                danger
                question={
                  <p>
                    <Trans i18nKey="account.removeQuestion" values={{ name: passkey.name }} components={{ name: <bdi /> }} />
                  </p>
                }
                confirmLabel={t("account.removeConfirm")}
                busyLabel={t("account.removing")}
                busy={remove.isPending}
                onConfirm={() => remove.mutate(passkey.id, { onSuccess: () => setFeedback(t("account.removed", { name: passkey.name })) })}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t("account.none")}</p>
      )}
      <ErrorMessage error={passkeys.error ?? remove.error} />
      {supported ? (
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-name`}>{t("account.nameLabel")}</label>
            <input id={`${id}-name`} value={name} maxLength={100} onChange={(event) => setName(event.target.value)} />
          </div>
          <ErrorMessage error={add.error} />
          <button type="submit" className="button-primary" disabled={add.isPending}>
            {add.isPending ? t("account.waiting") : t("account.add")}
          </button>
        </form>
      ) : (
        <p className="notice">{t("account.unsupported")}</p>
      )}
    </section>
  );
}
