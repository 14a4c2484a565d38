// The public verification page: anyone drops a signed declaration (bundle.json or the ZIP) and it
// is checked in the browser, with WebCrypto; nothing is uploaded. It checks against the keys this
// platform publishes unless the reader chooses a key set file (a bundle from elsewhere) or the
// file's own keys (then the origin stays unproven). Valid: the signatories. Not valid: exactly
// what is wrong, in the words of `concord verify` (those stay English, word for word: they are
// the CLI's; the page around them is in the reader's language).
import i18next from "i18next";
import { useId, useState, type DragEvent } from "react";
import { Trans, useTranslation as useWords } from "react-i18next";
import { Link } from "react-router";
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import { LanguagePicker } from "../components/LanguagePicker";
import { Pager } from "../components/Pager";
import { useAuthToken } from "../lib/auth";
import { usePageTitle } from "../lib/usePageTitle";
import { verifyBundle, type VerificationReport } from "../lib/verify/bundle";
import { pyStr } from "../lib/verify/encoding";
import { readBundle, readKeySet } from "../lib/verify/read";
import { formatDateTime, formatNumber } from "../lib/words";
import { FileButton } from "../components/FileButton";

const ROWS = 50;

/** Where the keys to check against come from. */
type KeySource = "platform" | "file" | "own";

const KEY_SOURCES: KeySource[] = ["platform", "file", "own"];

/** The keys a verdict rests on: where they came from, and the key set file's name if any. */
interface Keys {
  source: KeySource;
  file?: string;
}

interface Checked {
  file: string;
  report: VerificationReport;
  keys: Keys;
}

class NoKeySetChosen extends Error {}

async function trustedKeys(source: KeySource, keyFile: File | null): Promise<{ jwks?: unknown; keys: Keys }> {
  if (source === "own") return { keys: { source } };
  if (source === "file") {
    if (!keyFile) throw new NoKeySetChosen();
    return { jwks: readKeySet(keyFile.name, new Uint8Array(await keyFile.arrayBuffer())), keys: { source, file: keyFile.name } };
  }
  const jwks = await unwrap(api.GET("/api/.well-known/jwks.json", {}));
  return { jwks, keys: { source } };
}

export function VerifyPage() {
  const { t } = useWords();
  usePageTitle(t("verify.title"));
  const id = useId();
  const token = useAuthToken();
  const [checked, setChecked] = useState<Checked | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [keySource, setKeySource] = useState<KeySource>("platform");
  const [keyFile, setKeyFile] = useState<File | null>(null);

  async function check(file: File) {
    setBusy(true);
    setFailure(null);
    setChecked(null);
    try {
      const bundle = await readBundle(file.name, new Uint8Array(await file.arrayBuffer()));
      const { jwks, keys } = await trustedKeys(keySource, keyFile);
      const report = await verifyBundle(bundle, jwks);
      setChecked({ file: file.name, report, keys });
      requestAnimationFrame(() => document.getElementById("verdict")?.focus());
    } catch (error) {
      if (error instanceof NoKeySetChosen) setFailure(t("verify.noKeyFile"));
      // Why a file cannot be read is said in the verifier's (English) words, as `concord verify` says it.
      else setFailure(error instanceof Error ? t("verify.cannotRead", { reason: error.message }) : t("verify.unreadable"));
    } finally {
      setBusy(false);
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void check(file);
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t("layout.skip")}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link className="brand" to={token ? "/declarations" : "/verify"}>
            Concord
          </Link>
          <nav aria-label={t("layout.main")}>
            <ul>
              <li>
                {token ? (
                  <Link to="/declarations">{t("layout.declarations")}</Link>
                ) : (
                  <Link to="/login">{t("verify.signIn")}</Link>
                )}
              </li>
            </ul>
          </nav>
          <LanguagePicker />
        </div>
      </header>
      <main id="main" className="page verify-page" tabIndex={-1}>
        <h1>{t("verify.title")}</h1>
        <p className="lede">
          <Trans i18nKey="verify.lede" components={{ code: <code dir="ltr" /> }} />
        </p>
        <fieldset className="key-source">
          <legend>{t("verify.keysLegend")}</legend>
          {KEY_SOURCES.map((source) => (
            <div key={source}>
              <div className="field-check">
                <input
                  id={`${id}-${source}`}
                  type="radio"
                  name={`${id}-source`}
                  checked={keySource === source}
                  onChange={() => setKeySource(source)}
                />
                <label htmlFor={`${id}-${source}`}>{t(`verify.keySource.${source}`)}</label>
              </div>
              {source === "file" && keySource === "file" && (
                <div className="key-file file-row">
                  <FileButton
                    id={`${id}-jwks`}
                    label={t("verify.keyFile")}
                    accept=".json,application/json"
                    onFile={setKeyFile}
                  />
                  {keyFile && (
                    <p className="hint" role="status">
                      <Trans i18nKey="verify.keyFileChosen" values={{ file: keyFile.name }} components={{ file: <bdi /> }} />
                    </p>
                  )}
                </div>
              )}
            </div>
          ))}
        </fieldset>
        <div
          className={`dropzone${dragging ? " is-dragging" : ""}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p className="dropzone-title">{t("verify.drop")}</p>
          <FileButton
            id={`${id}-bundle`}
            label={t("verify.choose")}
            className="button-primary"
            accept=".json,.zip,application/json,application/zip"
            onFile={(file) => file && void check(file)}
          />
        </div>
        {busy && (
          <p className="loading" role="status">
            {t("verify.checking")}
          </p>
        )}
        {failure && (
          <div className="notice notice-error" role="alert">
            <p>{failure}</p>
          </div>
        )}
        {checked && <Verdict checked={checked} />}
      </main>
    </>
  );
}

/** The verdict in one sentence a non-expert reads, in the reader's language: the first problem
 * that matters most, recognised in the verifier's English findings (which stay as they are). */
export function plainVerdict(report: { verdict: "valid" | "unproven" | "invalid"; problems: string[]; signatories: unknown[] }): string {
  const t = (key: string, options?: { count: number }) => i18next.t(`verify.plain.${key}`, options);
  if (report.verdict === "valid") return t("valid", { count: report.signatories.length });
  if (report.verdict === "unproven") return t("unproven");
  const has = (pattern: RegExp) => report.problems.some((problem) => pattern.test(problem));
  if (has(/the text was altered/)) return t("textAltered");
  if (has(/missing: the log has|not covered by the seal/)) return t("entriesRemoved");
  if (has(/an entry was altered|repeats an earlier entry|out of place|withdraws seq|second endorsement/))
    return t("listChanged");
  if (has(/not in the key set|signature|seal:/)) return t("notOurSeal");
  return t("damaged");
}

function Verdict({ checked }: { checked: Checked }) {
  const { t } = useWords();
  const { report } = checked;
  const declaration = report.declaration;
  const [offset, setOffset] = useState(0);
  const rows = report.signatories.slice(offset, offset + ROWS);
  const heading =
    report.verdict === "invalid"
      ? t("verify.invalid", { count: report.problems.length })
      : t(`verify.${report.verdict}`, { count: report.signatories.length });
  const keys = t(`verify.keys.${checked.keys.source}`, { file: checked.keys.file });
  return (
    <section className="verdict-section" aria-labelledby="verdict">
      <div className={`verdict verdict-${report.verdict}`}>
        <h2 id="verdict" tabIndex={-1}>
          {heading}
        </h2>
        <p className="verdict-sentence">{plainVerdict(report)}</p>
        {declaration && (
          <p>
            <Trans
              i18nKey="verify.titleAndVersion"
              values={{ title: pyStr(declaration.title), version: pyStr(declaration.version) }}
              components={{ title: <bdi /> }}
            />
          </p>
        )}
        <p>
          <Trans i18nKey="verify.checkedAgainst" values={{ file: checked.file, keys }} components={{ file: <bdi /> }} />
        </p>
      </div>
      {report.verdict === "unproven" && (
        <p>{t("verify.unprovenExplained")}</p>
      )}
      {!report.ok && (
        <>
          <p>{t("verify.doNotRely")}</p>
        </>
      )}
      <details className="technical">
        <summary>{report.ok ? t("verify.technical") : t("verify.technicalWrong")}</summary>
        {!report.ok && (
          <ol className="problems" lang="en" dir="ltr">
            {report.problems.map((problem, index) => (
              <li key={index}>
                <code>{problem}</code>
              </li>
            ))}
          </ol>
        )}
        {declaration && (
          <dl className="facts">
            <dt>{t("verify.declaration")}</dt>
            <dd>
              <Trans
                i18nKey="verify.declarationFacts"
                values={{ title: pyStr(declaration.title), id: pyStr(declaration.id), version: pyStr(declaration.version) }}
                components={{ title: <bdi /> }}
              />
            </dd>
            <dt>{t("verify.fingerprint")}</dt>
            <dd>
              <code className="hash-inline">{pyStr(declaration.content_hash)}</code>
            </dd>
            {report.treeSize !== null && (
              <>
                <dt>{t("verify.log")}</dt>
                <dd>
                  <Trans
                    i18nKey="verify.logCovers"
                    values={{
                      entries: t("verify.entries", { count: report.entries }),
                      size: formatNumber(report.treeSize),
                      root: report.rootHash,
                    }}
                    components={{ hash: <code className="hash-inline" /> }}
                  />
                  {report.sealedAt && t("verify.logIssued", { date: formatDateTime(report.sealedAt) })}
                  {report.final ? t("verify.logFinal") : t("verify.logNotFinal")}
                </dd>
              </>
            )}
            {report.sealKey && (
              <>
                <dt>{t("verify.sealKey")}</dt>
                <dd>
                  <KeyName report={report} kid={report.sealKey} />
                </dd>
              </>
            )}
            {report.entryKeys.length > 0 && (
              <>
                <dt>{t("verify.entryKeys")}</dt>
                <dd>
                  <ul className="key-list">
                    {report.entryKeys.map(([kid, count]) => (
                      <li key={kid}>
                        <KeyName report={report} kid={kid} /> ({t("verify.entries", { count })})
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            {report.platform && (
              <>
                <dt>{t("verify.passkeysAgainst")}</dt>
                <dd>
                  <Trans
                    i18nKey="verify.passkeyFacts"
                    count={report.passkeyEntries}
                    values={{ origin: report.platform.origin, rp: report.platform.rp_id }}
                    components={{ code: <code /> }}
                  />
                </dd>
              </>
            )}
          </dl>
        )}
      </details>
      {report.ok && (
        <>
          <table className="data-table">
            <caption>{t("verify.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("verify.number")}</th>
                <th scope="col">{t("verify.city")}</th>
                <th scope="col">{t("verify.country")}</th>
                <th scope="col">{t("verify.signedBy")}</th>
                <th scope="col">{t("verify.signedAtUtc")}</th>
                <th scope="col">{t("verify.confirmedWith")}</th>
                <th scope="col">{t("verify.logEntry")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s, index) => (
                <tr key={s.seq}>
                  <td data-label={t("verify.number")}>{formatNumber(offset + index + 1)}</td>
                  <th scope="row" dir="auto">
                    {pyStr(s.city.name)}
                  </th>
                  <td data-label={t("verify.country")}>{pyStr(s.city.country)}</td>
                  <td data-label={t("verify.signedBy")}>
                    <bdi>{pyStr(s.signer.name)}</bdi>
                    {s.signer.title ? <>, <bdi>{pyStr(s.signer.title)}</bdi></> : ""}
                  </td>
                  <td data-label={t("verify.signedAt")}>
                    <bdi>{s.signedAt.replace("T", " ").replace("Z", "")}</bdi>
                  </td>
                  <td data-label={t("verify.confirmedWith")}>
                    {s.method === "passkey" ? t("verify.ownPasskey") : t("verify.password")}
                  </td>
                  <td data-label={t("verify.logEntry")}>{t("verify.seq", { seq: s.seq })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label={t("verify.pages")}
            offset={offset}
            shown={rows.length}
            total={report.signatories.length}
            pageSize={ROWS}
            counted={(total) => t("verify.signatories", { count: total })}
            onOffset={setOffset}
          />
          {report.withdrawn.length > 0 && (
            <details className="folded">
              <summary>{t("verify.withdrawnSummary", { count: report.withdrawn.length })}</summary>
              <ul>
                {report.withdrawn.map((w) => (
                  <li key={w.seq}>
                    <Trans
                      i18nKey="verify.withdrawnItem"
                      values={{
                        city: pyStr(w.city.name),
                        country: pyStr(w.city.country),
                        seq: w.seq,
                        by: w.withdrawnBy,
                        date: formatDateTime(w.withdrawnAt),
                      }}
                      components={{ city: <bdi /> }}
                    />
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      {report.text !== null && (
        <details className="folded">
          <summary>{report.ok ? t("verify.textSigned") : t("verify.textInFile")}</summary>
          <pre className="canonical-text" tabIndex={0}>
            {report.text}
          </pre>
        </details>
      )}
    </section>
  );
}

/** A key by its RFC 7638 thumbprint, with its certificate's SHA-256 fingerprint when it has one. */
function KeyName({ report, kid }: { report: VerificationReport; kid: string }) {
  const certificate = report.certificates[kid];
  return (
    <>
      <code className="hash-inline">{kid}</code>
      {certificate && (
        <>
          {" "}
          <Trans i18nKey="verify.certificate" values={{ hash: certificate }} components={{ hash: <code className="hash-inline" /> }} />
        </>
      )}
    </>
  );
}
