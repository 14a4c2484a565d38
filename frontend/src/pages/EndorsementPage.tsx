// Endorsement: co-facilitators finalize the text, open and close endorsement; the final text with
// its fingerprint; a mayor signs for their city (password asked again) and keeps the receipt;
// everyone sees the signatories (table, count over time, map) and, once sealed, downloads the
// signed declaration.
import { useEffect, useId, useState, type FormEvent, type MouseEvent } from "react";
import { Trans, useTranslation as useWords } from "react-i18next";
import { Link, useLocation, useParams } from "react-router";
import { fetchSignedDeclaration } from "../api/documents";
import { useFetchReceipt, useSign, useWithdrawSignature } from "../api/mutations";
import { useSignWithPasskey } from "../api/passkeys";
import {
  useAllSignatures,
  useCheckpoint,
  useDeclaration,
  useMe,
  useSignaturePage,
  useTranslation,
  useVersion,
} from "../api/queries";
import type { Declaration, Me, Paragraph, Receipt, Version } from "../api/types";
import { ConfirmAction } from "../components/ConfirmAction";
import { DeclarationHeader } from "../components/DeclarationHeader";
import { ErrorMessage } from "../components/ErrorMessage";
import { Feedback } from "../components/Feedback";
import { Fingerprint } from "../components/Fingerprint";
import { Loading } from "../components/Loading";
import { PageFailed, PageLoading } from "../components/PageState";
import { Pager } from "../components/Pager";
import { PasskeySign } from "../components/endorsement/PasskeySign";
import { CoFacilitatorMoves } from "../components/endorsement/CoFacilitatorMoves";
import { SignatoryMap } from "../components/endorsement/SignatoryMap";
import { SignatureTimeline } from "../components/endorsement/SignatureTimeline";
import { DeclarationText } from "../components/DeclarationText";
import { downloadBlob } from "../lib/files";
import { printReceipt } from "../lib/printReceipt";
import { positiveInt } from "../lib/params";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";
import { languageOf } from "../i18n";
import { formatDateTime, formatNumber } from "../lib/words";

const ROWS = 25;

export function EndorsementPage() {
  const { t } = useWords();
  usePageTitle(t("endorsement.title"));
  const params = useParams();
  const declarationId = positiveInt(params.declarationId) ?? 0;
  const me = useMe();
  const declaration = useDeclaration(declarationId);
  const status = declaration.data?.status;
  const finalNumber = declaration.data?.final_version ?? undefined;
  const finalVersion = useVersion(declarationId, finalNumber ?? undefined);
  const [feedback, setFeedback] = useState<string | null>(null);
  const { hash } = useLocation();
  const textShown = finalVersion.data !== undefined;
  // Arriving at #signing (from the declarations list) lands on the form once the text is laid out.
  useEffect(() => {
    if (textShown && hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: "start" });
  }, [textShown, hash]);

  if (declaration.isPending) return <PageLoading what={t("endorsement.loading")} />;
  if (declaration.error) return <PageFailed title={t("endorsement.cannotShow")} error={declaration.error} />;
  const current = declaration.data;
  const editor = canEditDeclarations(me.data);
  const signing = status === "open" || status === "closed";

  const mayorSigns = status === "open" && me.data?.role === "mayor";

  return (
    <div className="page">
      <DeclarationHeader declaration={current} heading={t("endorsement.title")} />
      <Feedback message={feedback} />
      <Stages status={current.status} />
      {editor && <CoFacilitatorMoves declaration={current} onDone={setFeedback} />}
      {status === "drafting" && !editor && (
        <p>{t("endorsement.stillDrafting")}</p>
      )}
      {finalNumber !== undefined && (
        <>
          <nav className="panel jump-links" aria-label={t("endorsement.onThisPage")}>
            {mayorSigns && (
              <p>
                <Trans
                  i18nKey="endorsement.readBelow"
                  values={{ city: me.data?.city?.name }}
                  components={{ city: <bdi /> }}
                />
              </p>
            )}
            <ul>
              {mayorSigns && (
                <li>
                  <a href="#signing" onClick={jumpTo("signing")}>
                    {t("endorsement.jumpSigning")}
                  </a>
                </li>
              )}
              {status === "closed" && (
                <li>
                  <a href="#downloads" onClick={jumpTo("downloads")}>
                    {t("endorsement.jumpDownloads")}
                  </a>
                </li>
              )}
              {signing && (
                <li>
                  <a href="#signatories" onClick={jumpTo("signatories")}>
                    {t("endorsement.jumpSignatories")}
                  </a>
                </li>
              )}
            </ul>
          </nav>
          <section className="endorsement-text" aria-labelledby="final-title">
            <h2 id="final-title">{t("endorsement.finalTitle", { version: formatNumber(finalNumber) })}</h2>
            {finalVersion.isPending && <Loading what={t("endorsement.loadingFinal")} />}
            <ErrorMessage error={finalVersion.error} />
            {finalVersion.data && <AuthenticText declaration={current} version={finalVersion.data} />}
          </section>
          <div className="endorsement-after">
            {mayorSigns && finalVersion.data && me.data && (
              <SignPanel declaration={current} version={finalVersion.data} me={me.data} onDone={setFeedback} />
            )}
            {status === "final" && !editor && (
              <p className="hint panel">{t("endorsement.notOpenYet")}</p>
            )}
            {status === "open" && me.data && me.data.role !== "mayor" && (
              <div className="panel" id="downloads" tabIndex={-1}>
                <h2>{t("endorsement.signedDeclaration")}</h2>
                <p>{t("endorsement.openNotice")}</p>
              </div>
            )}
            {status === "closed" && <Downloads declarationId={declarationId} />}
            {finalVersion.data && (
              <details className="technical">
                <summary>{t("endorsement.fingerprintDetails")}</summary>
                <Fingerprint declarationId={declarationId} version={finalVersion.data.number} hash={finalVersion.data.content_hash} />
              </details>
            )}
            {current.authentic_languages.length > 0 && current.final_hash && (
              <div className="panel fingerprint">
                <h2>{t("endorsement.whatMayorSigns")}</h2>
                <p>
                  {t("endorsement.oneFingerprint", {
                    count: current.authentic_languages.length + 1,
                    languages: [current.language, ...current.authentic_languages].join(", "),
                  })}
                </p>
                <code className="hash">{current.final_hash}</code>
              </div>
            )}
          </div>
        </>
      )}
      {signing && <Signatories declarationId={declarationId} />}
    </div>
  );
}

/** A same-page link that moves focus too, so keyboard and screen reader users land where they
 * asked (the router does not follow #fragments by itself). */
function jumpTo(id: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    const target = document.getElementById(id);
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
    window.history.replaceState(null, "", `#${id}`);
  };
}

const STAGES = ["drafting", "final", "open", "closed"] as const;

/** Where the declaration is in its life: a plain list of steps, not controls. */
function Stages({ status }: { status: Declaration["status"] }) {
  const { t } = useWords();
  const at = STAGES.findIndex((stage) => stage === status);
  return (
    <div className="stages-box">
      <p className="stages-now">
        <Trans
          i18nKey="endorsement.stageNow"
          values={{ at: formatNumber(at + 1), of: formatNumber(STAGES.length), stage: t(`endorsement.stage.${status}`) }}
          components={{ strong: <strong /> }}
        />
      </p>
      <ol className="stages" aria-label={t("endorsement.stagesLabel")}>
        {STAGES.map((stage, index) => (
          <li
            key={stage}
            className={index < at ? "is-done" : index === at ? "is-current" : undefined}
            aria-current={index === at ? "step" : undefined}
          >
            {t(`endorsement.stage.${stage}`)}
          </li>
        ))}
      </ol>
    </div>
  );
}

function receiptKey(declarationId: number, cityId: number | undefined) {
  return `concord.receipt.${declarationId}.${cityId ?? 0}`;
}

function storedReceipt(declarationId: number, cityId: number | undefined): Receipt | null {
  try {
    const raw = window.localStorage.getItem(receiptKey(declarationId, cityId));
    return raw ? (JSON.parse(raw) as Receipt) : null;
  } catch {
    return null;
  }
}

/** The last receipt stays on this device, so the mayor can download it again later. */
function keepReceipt(declarationId: number, cityId: number | undefined, receipt: Receipt) {
  try {
    window.localStorage.setItem(receiptKey(declarationId, cityId), JSON.stringify(receipt));
  } catch {
    // Storage may be off: the receipt is still shown and can be downloaded now.
  }
}

function SignPanel({ declaration, version, me, onDone }: { declaration: Declaration; version: Version; me: Me; onDone: (m: string) => void }) {
  const { t } = useWords();
  const id = useId();
  const sign = useSign(declaration.id);
  const signWithPasskey = useSignWithPasskey(declaration.id);
  const withdraw = useWithdrawSignature(declaration.id);
  const fetchReceipt = useFetchReceipt(declaration.id);
  const ours = useSignaturePage(declaration.id, 0, 5, false, me.city?.id, !!me.city);
  const [password, setPassword] = useState("");
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(() => storedReceipt(declaration.id, me.city?.id));
  const city = me.city;
  // With authentic translations the fingerprint signed covers every authentic text.
  const signedHash = declaration.final_hash ?? version.content_hash;
  const standing = ours.data?.items.find((s) => s.city.id === city?.id && !s.withdrawn) ?? null;

  if (!city)
    return (
      <p className="hint panel" id="signing" tabIndex={-1}>
        {t("endorsement.sign.noCity")}
      </p>
    );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!password) {
      setPasswordError(t("endorsement.sign.enterPassword"));
      return;
    }
    setPasswordError(null);
    sign.mutate(
      { content_hash: signedHash, password },
      {
        onSuccess: (answer) => {
          setPassword("");
          setReceipt(answer);
          keepReceipt(declaration.id, city?.id, answer);
          onDone(t("endorsement.sign.signed", { city: city?.name }));
        },
        onError: () => setPassword(""),
      },
    );
  }

  return (
    <section className="panel sign-panel" id="signing" tabIndex={-1} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        <Trans i18nKey="endorsement.sign.signFor" values={{ city: city.name }} components={{ city: <bdi /> }} />
      </h2>
      {receipt && <ReceiptView receipt={receipt} declarationId={declaration.id} />}
      {standing ? (
        <>
          <p>
            <Trans
              i18nKey="endorsement.sign.signedOn"
              values={{ city: city.name, date: formatDateTime(standing.signed_at), seq: formatNumber(standing.seq) }}
              components={{ city: <bdi /> }}
            />
          </p>
          {receipt?.id !== standing.id && (
            <>
              <button
                type="button"
                className="button-secondary"
                disabled={fetchReceipt.isPending}
                onClick={() =>
                  fetchReceipt.mutate(standing.id, {
                    onSuccess: (answer) => {
                      setReceipt(answer);
                      keepReceipt(declaration.id, city.id, answer);
                    },
                  })
                }
              >
                {fetchReceipt.isPending ? t("endorsement.sign.gettingReceipt") : t("endorsement.sign.getReceipt")}
              </button>
              <ErrorMessage error={fetchReceipt.error} />
            </>
          )}
          <ConfirmAction
            label={t("endorsement.sign.withdraw")}
            danger
            question={
              <p>
                <Trans
                  i18nKey="endorsement.sign.withdrawQuestion"
                  values={{ city: city.name }}
                  components={{ city: <bdi /> }}
                />
              </p>
            }
            confirmLabel={t("endorsement.sign.withdrawConfirm")}
            busyLabel={t("endorsement.sign.withdrawing")}
            busy={withdraw.isPending}
            onConfirm={() =>
              withdraw.mutate(standing.id, {
                onSuccess: (answer) => {
                  setReceipt(answer);
                  keepReceipt(declaration.id, city.id, answer);
                  onDone(t("endorsement.sign.withdrawn", { city: city.name }));
                },
              })
            }
          />
          <ErrorMessage error={withdraw.error} />
        </>
      ) : ours.isPending ? (
        <Loading what={t("endorsement.sign.checking")} />
      ) : (
        <form onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
          <p className="statement" id={`${id}-statement`}>
            <Trans
              i18nKey="endorsement.sign.statement"
              values={{ version: formatNumber(version.number), title: declaration.title, city: city.name, country: city.country }}
              components={{ title: <bdi />, city: <bdi /> }}
            />
            {declaration.authentic_languages.length > 0 &&
              ` ${t("endorsement.sign.statementAuthentic", {
                languages: [declaration.language, ...declaration.authentic_languages].join(", "),
              })}`}
          </p>
          <details className="technical">
            <summary>{t("endorsement.sign.technical")}</summary>
            <p className="hint">
              {t("endorsement.sign.fingerprint")} <code className="hash-inline">{signedHash}</code>
            </p>
          </details>
          <p className="hint">
            <Trans
              i18nKey="endorsement.sign.asShown"
              values={{ signer: me.title ? `${me.name}, ${me.title}` : me.name }}
              components={{ signer: <bdi /> }}
            />
          </p>
          <PasskeySign
            declaration={declaration}
            signedHash={signedHash}
            cityName={city.name}
            sign={signWithPasskey}
            onSigned={(answer) => {
              setReceipt(answer);
              keepReceipt(declaration.id, city.id, answer);
              onDone(t("endorsement.sign.signedWithPasskey", { city: city.name }));
            }}
          />
          {!declaration.require_passkey && (
            <>
              <div className="field">
                <label htmlFor={`${id}-password`}>{t("endorsement.sign.password")}</label>
                {passwordError && (
                  <p className="field-error" id={`${id}-password-error`}>
                    {passwordError}
                  </p>
                )}
                <input
                  id={`${id}-password`}
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                  aria-invalid={passwordError ? true : undefined}
                  aria-describedby={`${id}-statement${passwordError ? ` ${id}-password-error` : ""}`}
                />
              </div>
              <ErrorMessage error={sign.error} />
              <button type="submit" className="button-primary" disabled={sign.isPending}>
                <span>
                  {sign.isPending ? (
                    t("endorsement.sign.signing")
                  ) : (
                    <Trans i18nKey="endorsement.sign.signFor" values={{ city: city.name }} components={{ city: <bdi /> }} />
                  )}
                </span>
              </button>
            </>
          )}
        </form>
      )}
    </section>
  );
}

function ReceiptView({ receipt, declarationId }: { receipt: Receipt; declarationId: number }) {
  const { t } = useWords();
  const name = `receipt-declaration-${declarationId}-seq-${receipt.seq}`;
  return (
    <div className="receipt" role="status">
      <p className="receipt-title">
        <Trans
          i18nKey="endorsement.receipt.heading"
          values={{
            what: receipt.kind === "endorsement" ? t("endorsement.receipt.signed") : t("endorsement.receipt.withdrawn"),
            city: receipt.city.name,
            date: formatDateTime(receipt.signed_at),
          }}
          components={{ city: <bdi /> }}
        />
      </p>
      <p>
        {receipt.kind === "endorsement"
          ? t("endorsement.receipt.provesSignature")
          : t("endorsement.receipt.provesWithdrawal")}
      </p>
      <dl className="facts facts-small">
        <dt>{t("endorsement.receipt.city")}</dt>
        <dd>
          <bdi>{receipt.city.name}</bdi> ({receipt.city.country})
        </dd>
        <dt>{t("endorsement.receipt.signer")}</dt>
        <dd>
          <bdi>{receipt.signer.name}</bdi>
          {receipt.signer.title ? `, ${receipt.signer.title}` : ""}
        </dd>
        <dt>{t("endorsement.receipt.entry")}</dt>
        <dd>
          {receipt.withdraws
            ? t("endorsement.receipt.withdraws", {
                seq: formatNumber(receipt.seq),
                withdrawn: formatNumber(receipt.withdraws),
              })
            : formatNumber(receipt.seq)}
        </dd>
      </dl>
      <details className="technical">
        <summary>{t("endorsement.receipt.technical")}</summary>
        <dl className="facts facts-small">
          <dt>{t("endorsement.receipt.fingerprint")}</dt>
          <dd>
            <code className="hash-inline">{receipt.content_hash}</code>
          </dd>
          <dt>{t("endorsement.receipt.inclusionProof")}</dt>
          <dd>{t("endorsement.receipt.proofHashes", { count: receipt.inclusion_proof.length })}</dd>
        </dl>
      </details>
      <div className="button-row">
        <button type="button" className="button-secondary" onClick={() => printReceipt(receipt, name)}>
          {t("endorsement.receipt.print")}
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            downloadBlob(new Blob([JSON.stringify(receipt, null, 2) + "\n"], { type: "application/json" }), `${name}.json`)
          }
        >
          {t("endorsement.receipt.downloadJson")}
        </button>
      </div>
    </div>
  );
}

function Downloads({ declarationId }: { declarationId: number }) {
  const { t } = useWords();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function get(format: "json" | "pdf" | "zip" | "akn") {
    setBusy(format);
    setError(null);
    try {
      const extension = format === "akn" ? "akn.xml" : format;
      downloadBlob(await fetchSignedDeclaration(declarationId, format), `signed-declaration-${declarationId}.${extension}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="panel" id="downloads" tabIndex={-1} aria-labelledby="downloads-title">
      <h2 id="downloads-title">{t("endorsement.signedDeclaration")}</h2>
      <p className="hint">{t("endorsement.downloads.hint")}</p>
      <div className="button-row">
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("json")}>
          {busy === "json" ? t("endorsement.downloads.preparing") : t("endorsement.downloads.json")}
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("pdf")}>
          {busy === "pdf" ? t("endorsement.downloads.preparing") : t("endorsement.downloads.pdf")}
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("zip")}>
          {busy === "zip" ? t("endorsement.downloads.preparing") : t("endorsement.downloads.zip")}
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("akn")}>
          {busy === "akn" ? t("endorsement.downloads.preparing") : t("endorsement.downloads.akn")}
        </button>
      </div>
      <p>
        <Trans i18nKey="endorsement.downloads.anyone" components={{ verify: <Link to="/verify" /> }} />
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}

function Signatories({ declarationId }: { declarationId: number }) {
  const { t } = useWords();
  const [offset, setOffset] = useState(0);
  const [withdrawn, setWithdrawn] = useState(false);
  const page = useSignaturePage(declarationId, offset, ROWS, withdrawn);
  const all = useAllSignatures(declarationId);
  const checkpoint = useCheckpoint(declarationId);
  const standing = (all.data ?? []).filter((s) => !s.withdrawn);
  const items = page.data?.items ?? [];
  return (
    <section className="signatories" id="signatories" tabIndex={-1} aria-labelledby="signatories-title">
      <h2 id="signatories-title">
        {t("endorsement.signatories.title")}{" "}
        {page.data && !withdrawn && <span className="count">({formatNumber(page.data.total)})</span>}
      </h2>
      {checkpoint.data && (
        <details className="technical">
          <summary>{t("endorsement.signatories.logDetails")}</summary>
          <p className="hint">
            <Trans
              i18nKey={checkpoint.data.final ? "endorsement.signatories.logSealed" : "endorsement.signatories.log"}
              values={{
                entries: t("endorsement.signatories.entries", { count: checkpoint.data.tree_size }),
                root: checkpoint.data.root_hash,
                date: formatDateTime(checkpoint.data.issued_at),
              }}
              components={{ hash: <code className="hash-inline" /> }}
            />
          </p>
        </details>
      )}
      <div className="signatory-charts">
        {all.data && <SignatureTimeline signatures={all.data} />}
        {all.data && <SignatoryMap signatories={standing} />}
      </div>
      <ErrorMessage error={all.error} />
      <div className="field field-check">
        <input
          id="show-withdrawn"
          type="checkbox"
          checked={withdrawn}
          onChange={(event) => {
            setWithdrawn(event.target.checked);
            setOffset(0);
          }}
        />
        <label htmlFor="show-withdrawn">{t("endorsement.signatories.showWithdrawn")}</label>
      </div>
      {page.isPending && <Loading what={t("endorsement.signatories.loading")} />}
      <ErrorMessage error={page.error} />
      {page.data && page.data.total === 0 && <p className="empty">{t("endorsement.signatories.none")}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t("endorsement.signatories.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("endorsement.signatories.entry")}</th>
              <th scope="col">{t("endorsement.signatories.city")}</th>
              <th scope="col">{t("endorsement.signatories.country")}</th>
              <th scope="col">{t("endorsement.signatories.signedBy")}</th>
              <th scope="col">{t("endorsement.signatories.signed")}</th>
              <th scope="col">{t("endorsement.signatories.confirmedWith")}</th>
              {withdrawn && <th scope="col">{t("endorsement.signatories.withdrawn")}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td data-label={t("endorsement.signatories.entry")}>{formatNumber(s.seq)}</td>
                <th scope="row" dir="auto">
                  {s.city.name}
                </th>
                <td data-label={t("endorsement.signatories.country")}>{s.city.country}</td>
                <td data-label={t("endorsement.signatories.signedBy")}>
                  <bdi>{s.signer.name}</bdi>
                  {s.signer.title ? <>, <bdi>{s.signer.title}</bdi></> : null}
                </td>
                <td data-label={t("endorsement.signatories.signed")}>
                  <time dateTime={s.signed_at}>{formatDateTime(s.signed_at)}</time>
                </td>
                <td data-label={t("endorsement.signatories.confirmedWith")}>
                  {s.method === "passkey" ? t("endorsement.signatories.ownPasskey") : t("endorsement.signatories.password")}
                </td>
                {withdrawn && (
                  <td data-label={t("endorsement.signatories.withdrawn")}>
                    {s.withdrawn_at
                      ? t("endorsement.signatories.withdrawnAt", {
                          date: formatDateTime(s.withdrawn_at),
                          seq: formatNumber(s.withdrawn_seq ?? 0),
                        })
                      : "—"}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.data && (
        <Pager
          label={t("endorsement.signatories.pages")}
          offset={offset}
          shown={items.length}
          total={page.data.total}
          pageSize={ROWS}
          counted={(total) => t("endorsement.signatories.signatures", { count: total })}
          onOffset={setOffset}
        />
      )}
    </section>
  );
}

/** The final text in the language the reader chooses among the authentic ones: every authentic
 * text is what is signed, so a mayor may read any of them. */
function AuthenticText({ declaration, version }: { declaration: Declaration; version: Version }) {
  const { t, i18n } = useWords();
  const [language, setLanguage] = useState<string>(declaration.language);
  const translated = language !== declaration.language;
  const translation = useTranslation(declaration.id, version.number, translated ? language : null);
  const languages = [declaration.language, ...declaration.authentic_languages];
  const paragraphs: Paragraph[] | undefined = translated
    ? translation.data?.paragraphs.map((p, index) => ({ key: p.key, position: index + 1, kind: p.kind, text: p.text ?? "" }))
    : version.paragraphs;
  return (
    <>
      {languages.length > 1 && (
        <div className="field field-inline reading-language">
          <label htmlFor="reading-language">{t("endorsement.reading.label")}</label>
          <select id="reading-language" value={language} onChange={(event) => setLanguage(event.target.value)}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {l === declaration.language
                  ? t("endorsement.reading.negotiated", { language: l })
                  : t("endorsement.reading.authentic", { language: l })}
              </option>
            ))}
          </select>
        </div>
      )}
      {translated && translation.isPending && <Loading what={t("endorsement.reading.loading")} />}
      <ErrorMessage error={translated ? translation.error : null} />
      {paragraphs && (
        <div
          className="final-text"
          tabIndex={0}
          role="region"
          aria-label={t("endorsement.reading.region", { version: formatNumber(version.number), language })}
          lang={language}
          dir={translated ? translation.data?.direction : "auto"}
        >
          <DeclarationText paragraphs={paragraphs} label={t("endorsement.reading.text", { version: formatNumber(version.number), language })} />
          <p className="end-of-text" lang={i18n.language} dir={languageOf(i18n.language).dir}>
            {translated
              ? t("endorsement.reading.endIn", { version: formatNumber(version.number), language })
              : t("endorsement.reading.end", { version: formatNumber(version.number) })}
          </p>
        </div>
      )}
    </>
  );
}

