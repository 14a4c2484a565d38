// Endorsement: co-facilitators finalize the text, open and close endorsement; the final text with
// its fingerprint; a mayor signs for their city (password asked again) and keeps the receipt;
// everyone sees the signatories (table, count over time, map) and, once sealed, downloads the
// signed declaration.
import { useEffect, useId, useState, type FormEvent, type MouseEvent } from "react";
import { Link, useLocation, useParams } from "react-router";
import { fetchSignedDeclaration } from "../api/documents";
import { useEndorsementMove, useFetchReceipt, useSign, useWithdrawSignature } from "../api/mutations";
import {
  useAllSignatures,
  useCheckpoint,
  useDeclaration,
  useMe,
  useSignaturePage,
  useTranslation,
  useTranslations,
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
import { SignatoryMap } from "../components/endorsement/SignatoryMap";
import { SignatureTimeline } from "../components/endorsement/SignatureTimeline";
import { DeclarationText } from "../components/DeclarationText";
import { downloadBlob } from "../lib/files";
import { printReceipt } from "../lib/printReceipt";
import { positiveInt } from "../lib/params";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";
import { formatDateTime, plural } from "../lib/words";

const ROWS = 25;

export function EndorsementPage() {
  usePageTitle("Endorsement");
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

  if (declaration.isPending) return <PageLoading what="Loading the declaration" />;
  if (declaration.error) return <PageFailed title="This declaration cannot be shown" error={declaration.error} />;
  const current = declaration.data;
  const editor = canEditDeclarations(me.data);
  const signing = status === "open" || status === "closed";

  const mayorSigns = status === "open" && me.data?.role === "mayor";

  return (
    <div className="page">
      <DeclarationHeader declaration={current} heading="Endorsement" />
      <Feedback message={feedback} />
      <Stages status={current.status} />
      {editor && <CoFacilitatorMoves declaration={current} onDone={setFeedback} />}
      {status === "drafting" && !editor && (
        <p>The text is still being drafted. Mayors sign once the co-facilitators have finalized it and opened endorsement.</p>
      )}
      {finalNumber !== undefined && (
        <>
          <nav className="panel jump-links" aria-label="On this page">
            {mayorSigns && (
              <p>
                Read the whole final text below; the form to sign it for <bdi>{me.data?.city?.name}</bdi> follows it.
              </p>
            )}
            <ul>
              {mayorSigns && (
                <li>
                  <a href="#signing" onClick={jumpTo("signing")}>
                    Go to the signing form ↓
                  </a>
                </li>
              )}
              {status === "closed" && (
                <li>
                  <a href="#downloads" onClick={jumpTo("downloads")}>
                    Download the signed declaration ↓
                  </a>
                </li>
              )}
              {signing && (
                <li>
                  <a href="#signatories" onClick={jumpTo("signatories")}>
                    See who has signed ↓
                  </a>
                </li>
              )}
            </ul>
          </nav>
          <section className="endorsement-text" aria-labelledby="final-title">
            <h2 id="final-title">The final text: version {finalNumber}</h2>
            {finalVersion.isPending && <Loading what="Loading the final text" />}
            <ErrorMessage error={finalVersion.error} />
            {finalVersion.data && <AuthenticText declaration={current} version={finalVersion.data} />}
          </section>
          <div className="endorsement-after">
            {mayorSigns && finalVersion.data && me.data && (
              <SignPanel declaration={current} version={finalVersion.data} me={me.data} onDone={setFeedback} />
            )}
            {status === "final" && !editor && (
              <p className="hint panel">
                Endorsement has not opened yet: once the co-facilitators open it, each city’s mayor signs the text above on
                this page.
              </p>
            )}
            {status === "open" && me.data && me.data.role !== "mayor" && (
              <div className="panel" id="downloads" tabIndex={-1}>
                <h2>The signed declaration</h2>
                <p>
                  Endorsement is open: each city’s mayor signs for it on this page. The signed declaration (PDF, and JSON to
                  check it) can be downloaded here as soon as the co-facilitators close endorsement.
                </p>
              </div>
            )}
            {status === "closed" && <Downloads declarationId={declarationId} />}
            {finalVersion.data && (
              <details className="technical">
                <summary>Technical details: the text’s fingerprint</summary>
                <Fingerprint declarationId={declarationId} version={finalVersion.data.number} hash={finalVersion.data.content_hash} />
              </details>
            )}
            {current.authentic_languages.length > 0 && current.final_hash && (
              <div className="panel fingerprint">
                <h2>What a mayor signs</h2>
                <p>
                  One fingerprint over the {current.authentic_languages.length + 1} authentic texts ({current.language},{" "}
                  {current.authentic_languages.join(", ")}):
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

const STAGES = [
  ["drafting", "Drafting"],
  ["final", "Final text"],
  ["open", "Open for endorsement"],
  ["closed", "Closed and sealed"],
] as const;

/** Where the declaration is in its life: a plain list of steps, not controls. */
function Stages({ status }: { status: Declaration["status"] }) {
  const at = STAGES.findIndex(([stage]) => stage === status);
  return (
    <div className="stages-box">
      <p className="stages-now">
        Step {at + 1} of {STAGES.length}: <strong>{STAGES[at]?.[1]}</strong>
      </p>
      <ol className="stages" aria-label="Stages of the declaration">
        {STAGES.map(([stage, words], index) => (
          <li
            key={stage}
            className={index < at ? "is-done" : index === at ? "is-current" : undefined}
            aria-current={index === at ? "step" : undefined}
          >
            {words}
          </li>
        ))}
      </ol>
    </div>
  );
}

function CoFacilitatorMoves({ declaration, onDone }: { declaration: Declaration; onDone: (message: string) => void }) {
  const move = useEndorsementMove(declaration.id);
  const [authentic, setAuthentic] = useState<string[]>([]);
  const [requirePasskey, setRequirePasskey] = useState(false);
  const { status, head_version: head, title } = declaration;
  return (
    <section className="panel moves" aria-labelledby="moves-title">
      <h2 id="moves-title">For co-facilitators</h2>
      {status === "drafting" && (
        <>
          <p>
            Finalizing freezes version {head}, the current version, as the text to sign: no amendment can be decided or
            merged after it.
          </p>
          <ConfirmAction
            label={`Finalize version ${head}`}
            question={
              <p>
                Freeze version {head} of <bdi>{title}</bdi> as the final text? This cannot be undone.
              </p>
            }
            confirmLabel={`Yes, finalize version ${head}`}
            busyLabel="Finalizing…"
            busy={move.isPending}
            onConfirm={() =>
              move.mutate(
                { move: "finalize", version: head, authentic: authentic },
                { onSuccess: () => onDone(`Version ${head} is now the final text.`) },
              )
            }
          />
          <AuthenticChoice declarationId={declaration.id} chosen={authentic} onChange={setAuthentic} />
        </>
      )}
      {status === "final" && (
        <>
          <p>Opening endorsement lets each city’s mayor sign the final text; the signature log begins.</p>
          <p className="checkbox">
            <input
              id="require-passkey"
              type="checkbox"
              checked={requirePasskey}
              onChange={(event) => setRequirePasskey(event.target.checked)}
            />
            <label htmlFor="require-passkey">
              Mayors must sign with their own passkey (no password): each signature is then made by the mayor’s own device
            </label>
          </p>
          <ConfirmAction
            label="Open endorsement"
            question={<p>Open endorsement of version {declaration.final_version}? Mayors can sign from now on.</p>}
            confirmLabel="Yes, open endorsement"
            busyLabel="Opening…"
            busy={move.isPending}
            onConfirm={() =>
              move.mutate({ move: "open", requirePasskey }, { onSuccess: () => onDone("Endorsement is open.") })
            }
          />
        </>
      )}
      {status === "open" && (
        <>
          <p>Closing seals the signature log: no more signatures or withdrawals, and the signed declaration can be downloaded.</p>
          <ConfirmAction
            label="Close endorsement"
            danger
            question={<p>Close endorsement and seal the log? No mayor can sign or withdraw afterwards.</p>}
            confirmLabel="Yes, close and seal"
            busyLabel="Closing…"
            busy={move.isPending}
            onConfirm={() => move.mutate({ move: "close" }, { onSuccess: () => onDone("Endorsement is closed and the log sealed.") })}
          />
        </>
      )}
      {status === "closed" && <p>Endorsement is closed and the log sealed.</p>}
      <ErrorMessage error={move.error} />
    </section>
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
  const id = useId();
  const sign = useSign(declaration.id);
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
        Your account belongs to no city: a mayor signs for their city.
      </p>
    );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!password) {
      setPasswordError("Enter your password to sign.");
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
          onDone(`Signed for ${city?.name}. Keep your receipt.`);
        },
        onError: () => setPassword(""),
      },
    );
  }

  return (
    <section className="panel sign-panel" id="signing" tabIndex={-1} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Sign for <bdi>{city.name}</bdi></h2>
      {receipt && <ReceiptView receipt={receipt} declarationId={declaration.id} />}
      {standing ? (
        <>
          <p>
            <bdi>{city.name}</bdi> signed on {formatDateTime(standing.signed_at)} (log entry {standing.seq}).
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
                {fetchReceipt.isPending ? "Getting the receipt…" : "Get our receipt"}
              </button>
              <ErrorMessage error={fetchReceipt.error} />
            </>
          )}
          <ConfirmAction
            label="Withdraw our signature"
            danger
            question={
              <p>
                Withdraw the signature of <bdi>{city.name}</bdi>? A withdrawal is added to the log; the signature is not erased.
              </p>
            }
            confirmLabel="Yes, withdraw it"
            busyLabel="Withdrawing…"
            busy={withdraw.isPending}
            onConfirm={() =>
              withdraw.mutate(standing.id, {
                onSuccess: (answer) => {
                  setReceipt(answer);
                  keepReceipt(declaration.id, city.id, answer);
                  onDone(`The signature of ${city.name} was withdrawn.`);
                },
              })
            }
          />
          <ErrorMessage error={withdraw.error} />
        </>
      ) : ours.isPending ? (
        <Loading what="Checking whether your city has signed" />
      ) : (
        <form onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
          <p className="statement" id={`${id}-statement`}>
            You are signing version {version.number} of <bdi>“{declaration.title}”</bdi>, the whole text above, for{" "}
            <bdi>{city.name}</bdi> ({city.country}).
            {declaration.authentic_languages.length > 0 &&
              ` The texts in ${[declaration.language, ...declaration.authentic_languages].join(", ")} are each authentic: your signature covers them all.`}
          </p>
          <details className="technical">
            <summary>Technical details</summary>
            <p className="hint">
              Your signature covers this fingerprint of the text (SHA-256); anyone can recompute it from the text:{" "}
              <code className="hash-inline">{signedHash}</code>
            </p>
          </details>
          <p className="hint">
            Your name and title as they will appear: <bdi>{me.name}</bdi>
            {me.title ? <>, <bdi>{me.title}</bdi></> : null}.
          </p>
          <PasskeySign
            declaration={declaration}
            signedHash={signedHash}
            cityName={city.name}
            onSigned={(answer) => {
              setReceipt(answer);
              keepReceipt(declaration.id, city.id, answer);
              onDone(`Signed for ${city.name} with your passkey. Keep your receipt.`);
            }}
          />
          {!declaration.require_passkey && (
            <>
              <div className="field">
                <label htmlFor={`${id}-password`}>Your password, to confirm it is you</label>
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
                <span>{sign.isPending ? "Signing…" : <>Sign for <bdi>{city.name}</bdi></>}</span>
              </button>
            </>
          )}
        </form>
      )}
    </section>
  );
}

function ReceiptView({ receipt, declarationId }: { receipt: Receipt; declarationId: number }) {
  const name = `receipt-declaration-${declarationId}-seq-${receipt.seq}`;
  return (
    <div className="receipt" role="status">
      <p className="receipt-title">
        {receipt.kind === "endorsement" ? "✓ Signed" : "Withdrawn"}: <bdi>{receipt.city.name}</bdi>,{" "}
        {formatDateTime(receipt.signed_at)}
      </p>
      <p>
        {receipt.kind === "endorsement"
          ? "This receipt proves your city’s signature is in the signature log. Keep it: print it or save it."
          : "This receipt proves the withdrawal is in the signature log. Keep it: print it or save it."}
      </p>
      <dl className="facts facts-small">
        <dt>City</dt>
        <dd>
          <bdi>{receipt.city.name}</bdi> ({receipt.city.country})
        </dd>
        <dt>Signer</dt>
        <dd>
          <bdi>{receipt.signer.name}</bdi>
          {receipt.signer.title ? `, ${receipt.signer.title}` : ""}
        </dd>
        <dt>Entry in the log</dt>
        <dd>
          {receipt.seq}
          {receipt.withdraws ? ` (withdraws entry ${receipt.withdraws})` : ""}
        </dd>
      </dl>
      <details className="technical">
        <summary>Technical details</summary>
        <dl className="facts facts-small">
          <dt>Fingerprint of the text</dt>
          <dd>
            <code className="hash-inline">{receipt.content_hash}</code>
          </dd>
          <dt>Inclusion proof</dt>
          <dd>{plural(receipt.inclusion_proof.length, "hash", "hashes")}: in the JSON receipt</dd>
        </dl>
      </details>
      <div className="button-row">
        <button type="button" className="button-secondary" onClick={() => printReceipt(receipt, name)}>
          Print or save as PDF
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            downloadBlob(new Blob([JSON.stringify(receipt, null, 2) + "\n"], { type: "application/json" }), `${name}.json`)
          }
        >
          Download the receipt (JSON)
        </button>
      </div>
    </div>
  );
}

function Downloads({ declarationId }: { declarationId: number }) {
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
      <h2 id="downloads-title">The signed declaration</h2>
      <p className="hint">The sealed text, every signature and the keys to check them: for the office of the SRSG and anyone.</p>
      <div className="button-row">
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("json")}>
          {busy === "json" ? "Preparing…" : "Download JSON"}
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("pdf")}>
          {busy === "pdf" ? "Preparing…" : "Download PDF"}
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("zip")}>
          {busy === "zip" ? "Preparing…" : "Download ZIP (both)"}
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => get("akn")}>
          {busy === "akn" ? "Preparing…" : "Akoma Ntoso (XML)"}
        </button>
      </div>
      <p>
        Anyone can check it without signing in: <Link to="/verify">verify a signed declaration</Link>.
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}

function Signatories({ declarationId }: { declarationId: number }) {
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
        Signatories {page.data && !withdrawn && <span className="count">({page.data.total})</span>}
      </h2>
      {checkpoint.data && (
        <details className="technical">
          <summary>Technical details: the signature log</summary>
          <p className="hint">
            {plural(checkpoint.data.tree_size, "entry", "entries")}, root{" "}
            <code className="hash-inline">{checkpoint.data.root_hash}</code>
            {checkpoint.data.final ? " (sealed)" : ""}, checkpoint of {formatDateTime(checkpoint.data.issued_at)}.
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
        <label htmlFor="show-withdrawn">Show withdrawn signatures too</label>
      </div>
      {page.isPending && <Loading what="Loading the signatories" />}
      <ErrorMessage error={page.error} />
      {page.data && page.data.total === 0 && <p className="empty">No city has signed yet.</p>}
      {items.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">Signatories, in the order they signed</caption>
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">City or region</th>
              <th scope="col">Country</th>
              <th scope="col">Signed by</th>
              <th scope="col">Signed</th>
              <th scope="col">Confirmed with</th>
              {withdrawn && <th scope="col">Withdrawn</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td data-label="Entry">{s.seq}</td>
                <th scope="row" dir="auto">
                  {s.city.name}
                </th>
                <td data-label="Country">{s.city.country}</td>
                <td data-label="Signed by">
                  <bdi>{s.signer.name}</bdi>
                  {s.signer.title ? <>, <bdi>{s.signer.title}</bdi></> : null}
                </td>
                <td data-label="Signed">
                  <time dateTime={s.signed_at}>{formatDateTime(s.signed_at)}</time>
                </td>
                <td data-label="Confirmed with">{s.method === "passkey" ? "Own passkey" : "Password"}</td>
                {withdrawn && (
                  <td data-label="Withdrawn">
                    {s.withdrawn_at ? `${formatDateTime(s.withdrawn_at)} (entry ${s.withdrawn_seq})` : "—"}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.data && (
        <Pager
          label="Pages of signatories"
          offset={offset}
          shown={items.length}
          total={page.data.total}
          pageSize={ROWS}
          noun={["signature", "signatures"]}
          onOffset={setOffset}
        />
      )}
    </section>
  );
}

/** The final text in the language the reader chooses among the authentic ones: every authentic
 * text is what is signed, so a mayor may read any of them. */
function AuthenticText({ declaration, version }: { declaration: Declaration; version: Version }) {
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
          <label htmlFor="reading-language">Read the text in</label>
          <select id="reading-language" value={language} onChange={(event) => setLanguage(event.target.value)}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {l}
                {l === declaration.language ? " (negotiated)" : " (authentic)"}
              </option>
            ))}
          </select>
        </div>
      )}
      {translated && translation.isPending && <Loading what="Loading the translation" />}
      <ErrorMessage error={translated ? translation.error : null} />
      {paragraphs && (
        <div
          className="final-text"
          tabIndex={0}
          role="region"
          aria-label={`Final text, version ${version.number}, ${language}`}
          lang={language}
          dir={translated ? translation.data?.direction : "auto"}
        >
          <DeclarationText paragraphs={paragraphs} label={`Text of version ${version.number} in ${language}`} />
          <p className="end-of-text" lang="en" dir="ltr">
            End of the text of version {version.number}
            {translated ? ` in ${language}` : ""}.
          </p>
        </div>
      )}
    </>
  );
}

/** Which translations are authentic beside the negotiated text: only complete, current ones. */
function AuthenticChoice({
  declarationId,
  chosen,
  onChange,
}: {
  declarationId: number;
  chosen: string[];
  onChange: (languages: string[]) => void;
}) {
  const translations = useTranslations(declarationId);
  const ready = (translations.data ?? []).filter((t) => t.outdated === 0 && t.missing === 0);
  if (ready.length === 0) return null;
  return (
    <fieldset className="authentic-choice">
      <legend>Authentic translations (signed with the text)</legend>
      {ready.map((t) => (
        <label key={t.language} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(t.language)}
            onChange={(event) =>
              onChange(event.target.checked ? [...chosen, t.language] : chosen.filter((l) => l !== t.language))
            }
          />{" "}
          {t.language}
        </label>
      ))}
    </fieldset>
  );
}
