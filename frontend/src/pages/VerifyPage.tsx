// The public verification page: anyone drops a signed declaration (bundle.json or the ZIP) and it
// is checked in the browser, with WebCrypto; nothing is uploaded. It checks against the keys this
// platform publishes unless the reader chooses a key set file (a bundle from elsewhere) or the
// file's own keys (then the origin stays unproven). Valid: the signatories. Not valid: exactly
// what is wrong, in the words of `concord verify`.
import { useId, useState, type DragEvent } from "react";
import { Link } from "react-router";
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import { Pager } from "../components/Pager";
import { useAuthToken } from "../lib/auth";
import { usePageTitle } from "../lib/usePageTitle";
import { verifyBundle, type VerificationReport } from "../lib/verify/bundle";
import { pyStr } from "../lib/verify/encoding";
import { readBundle, readKeySet } from "../lib/verify/read";
import { plural } from "../lib/words";

const ROWS = 50;

/** Where the keys to check against come from. */
type KeySource = "platform" | "file" | "own";

const KEY_SOURCES: [KeySource, string][] = [
  ["platform", "The keys this platform publishes (for its own declarations)"],
  ["file", "A key set (JWKS) file I trust, for a declaration from another platform"],
  ["own", "Only the keys inside the file (proves it is consistent, not who made it)"],
];

interface Checked {
  file: string;
  report: VerificationReport;
  /** What the keys were, in words: "the keys this platform publishes", "the key set in x.json". */
  keys: string;
}

async function trustedKeys(source: KeySource, keyFile: File | null): Promise<{ jwks?: unknown; keys: string }> {
  if (source === "own") return { keys: "only the keys the file itself carries" };
  if (source === "file") {
    if (!keyFile) throw new Error("no key set file chosen: choose the JWKS you trust first.");
    return { jwks: readKeySet(keyFile.name, new Uint8Array(await keyFile.arrayBuffer())), keys: `the key set in ${keyFile.name}` };
  }
  const jwks = await unwrap(api.GET("/api/.well-known/jwks.json", {}));
  return { jwks, keys: "the keys this platform publishes" };
}

export function VerifyPage() {
  usePageTitle("Verify a signed declaration");
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
      setFailure(error instanceof Error ? `Cannot read ${error.message}` : "The file could not be read.");
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
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link className="brand" to={token ? "/declarations" : "/verify"}>
            Concord
          </Link>
          <nav aria-label="Main">
            <ul>
              <li>{token ? <Link to="/declarations">Declarations</Link> : <Link to="/login">Sign in</Link>}</li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="page verify-page" tabIndex={-1}>
        <h1>Verify a signed declaration</h1>
        <p className="lede">
          Choose or drop the signed declaration you received (<code>bundle.json</code> or the <code>.zip</code>). It is
          checked here, in your browser: the text’s fingerprint, every signature (ES256) against the keys you trust,
          each entry at its place, and the signature log’s Merkle root against the final seal. Nothing is uploaded.
        </p>
        <fieldset className="key-source">
          <legend>Keys to check against</legend>
          {KEY_SOURCES.map(([source, label]) => (
            <div key={source}>
              <div className="field-check">
                <input
                  id={`${id}-${source}`}
                  type="radio"
                  name={`${id}-source`}
                  checked={keySource === source}
                  onChange={() => setKeySource(source)}
                />
                <label htmlFor={`${id}-${source}`}>{label}</label>
              </div>
              {source === "file" && keySource === "file" && (
                <div className="field key-file">
                  <label htmlFor={`${id}-jwks`}>Key set file</label>
                  <input
                    id={`${id}-jwks`}
                    type="file"
                    accept=".json,application/json"
                    onChange={(event) => setKeyFile(event.target.files?.[0] ?? null)}
                  />
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
          <p className="dropzone-title">Drop the file here, or</p>
          <label htmlFor={`${id}-bundle`} className="button-primary">
            Choose a file
          </label>
          <input
            id={`${id}-bundle`}
            className="visually-hidden-file"
            type="file"
            accept=".json,.zip,application/json,application/zip"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (file) void check(file);
            }}
          />
        </div>
        {busy && (
          <p className="loading" role="status">
            Checking in your browser…
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

/** The verdict in one sentence a non-expert reads: the first problem that matters most. */
export function plainVerdict(report: { verdict: "valid" | "unproven" | "invalid"; problems: string[]; signatories: unknown[] }): string {
  if (report.verdict === "valid") {
    return `The text is exactly the one signed, and the ${plural(report.signatories.length, "signature")} in it are genuine.`;
  }
  if (report.verdict === "unproven") {
    return "The file agrees with itself, but nothing proves it comes from this platform.";
  }
  const has = (pattern: RegExp) => report.problems.some((problem) => pattern.test(problem));
  if (has(/the text was altered/)) return "The text was changed after signing.";
  if (has(/missing: the log has|not covered by the seal/)) return "Signatures were removed from the signed list, or added to it.";
  if (has(/an entry was altered|repeats an earlier entry|out of place|withdraws seq|second endorsement/))
    return "The list of signatures was changed after it was sealed.";
  if (has(/not in the key set|signature|seal:/)) return "It was not sealed with this platform’s keys, or the seal was changed.";
  return "The file was damaged or changed: it does not prove what it claims.";
}

const HEADINGS = {
  valid: (n: number) => `✓ Valid: ${plural(n, "signatory", "signatories")}`,
  unproven: (n: number) => `Consistent, but who made it is unproven: ${plural(n, "signatory", "signatories")}`,
};

function Verdict({ checked }: { checked: Checked }) {
  const { report } = checked;
  const declaration = report.declaration;
  const [offset, setOffset] = useState(0);
  const rows = report.signatories.slice(offset, offset + ROWS);
  const heading =
    report.verdict === "invalid"
      ? `✗ Not valid: ${plural(report.problems.length, "problem")}`
      : HEADINGS[report.verdict](report.signatories.length);
  return (
    <section className="verdict-section" aria-labelledby="verdict">
      <div className={`verdict verdict-${report.verdict}`}>
        <h2 id="verdict" tabIndex={-1}>
          {heading}
        </h2>
        <p className="verdict-sentence">{plainVerdict(report)}</p>
        {declaration && (
          <p dir="auto">
            <bdi>{pyStr(declaration.title)}</bdi>, version {pyStr(declaration.version)}.
          </p>
        )}
        <p>
          <bdi>{checked.file}</bdi>, checked against {checked.keys}.
        </p>
      </div>
      {report.verdict === "unproven" && (
        <p>
          The file agrees with itself, but it was checked only against keys it carries, and anyone can make such a file
          with keys of their own. Compare the seal’s key (in the technical details below) with the one the platform publishes or prints on the
          signed declaration, or check again against the platform’s keys.
        </p>
      )}
      {!report.ok && (
        <>
          <p>
            This file does not prove what it claims: do not rely on its text or its list of signatories. Ask the
            platform for a fresh copy of the signed declaration.
          </p>
        </>
      )}
      <details className="technical">
        <summary>Technical details{report.ok ? "" : ": what is wrong, exactly"}</summary>
        {!report.ok && (
          <ol className="problems">
            {report.problems.map((problem, index) => (
              <li key={index}>
                <code>{problem}</code>
              </li>
            ))}
          </ol>
        )}
        {declaration && (
          <dl className="facts">
            <dt>Declaration</dt>
            <dd dir="auto">
              {pyStr(declaration.title)} (id {pyStr(declaration.id)}, version {pyStr(declaration.version)})
            </dd>
            <dt>Fingerprint</dt>
            <dd>
              <code className="hash-inline">{pyStr(declaration.content_hash)}</code>
            </dd>
            {report.treeSize !== null && (
              <>
                <dt>Signature log</dt>
                <dd>
                  {plural(report.entries, "entry", "entries")}; the seal covers {report.treeSize}, root{" "}
                  <code className="hash-inline">{report.rootHash}</code>
                  {report.sealedAt && <>, issued {report.sealedAt}</>}
                  {report.final ? " (sealed at close)." : " — NOT final: signing went on after it."}
                </dd>
              </>
            )}
            {report.sealKey && (
              <>
                <dt>Seal signed by key</dt>
                <dd>
                  <KeyName report={report} kid={report.sealKey} />
                </dd>
              </>
            )}
            {report.entryKeys.length > 0 && (
              <>
                <dt>Entries signed by key</dt>
                <dd>
                  <ul className="key-list">
                    {report.entryKeys.map(([kid, count]) => (
                      <li key={kid}>
                        <KeyName report={report} kid={kid} /> ({plural(count, "entry", "entries")})
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            {report.platform && (
              <>
                <dt>Passkeys checked against</dt>
                <dd>
                  origin <code>{report.platform.origin}</code>, relying party <code>{report.platform.rp_id}</code> (
                  {plural(report.passkeyEntries, "entry", "entries")} signed with the mayor’s own passkey)
                </dd>
              </>
            )}
          </dl>
        )}
      </details>
      {report.ok && (
        <>
          <table className="data-table">
            <caption>Signatories, in the order they signed</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">City or region</th>
                <th scope="col">Country</th>
                <th scope="col">Signed by</th>
                <th scope="col">Signed at (UTC)</th>
                <th scope="col">Confirmed with</th>
                <th scope="col">Log entry</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s, index) => (
                <tr key={s.seq}>
                  <td data-label="#">{offset + index + 1}</td>
                  <th scope="row" dir="auto">
                    {pyStr(s.city.name)}
                  </th>
                  <td data-label="Country">{pyStr(s.city.country)}</td>
                  <td data-label="Signed by" dir="auto">
                    {pyStr(s.signer.name)}
                    {s.signer.title ? `, ${pyStr(s.signer.title)}` : ""}
                  </td>
                  <td data-label="Signed at">{s.signedAt.replace("T", " ").replace("Z", "")}</td>
                  <td data-label="Confirmed with">{s.method === "passkey" ? "Own passkey (checked)" : "Password"}</td>
                  <td data-label="Log entry">seq {s.seq}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label="Pages of signatories"
            offset={offset}
            shown={rows.length}
            total={report.signatories.length}
            pageSize={ROWS}
            noun={["signatory", "signatories"]}
            onOffset={setOffset}
          />
          {report.withdrawn.length > 0 && (
            <details className="folded">
              <summary>Withdrawn endorsements ({report.withdrawn.length})</summary>
              <ul>
                {report.withdrawn.map((w) => (
                  <li key={w.seq}>
                    <bdi>{pyStr(w.city.name)}</bdi> ({pyStr(w.city.country)}): seq {w.seq}, withdrawn by seq {w.withdrawnBy}{" "}
                    on {w.withdrawnAt}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      {report.text !== null && (
        <details className="folded">
          <summary>{report.ok ? "The text that was signed" : "The text in the file"}</summary>
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
          — certificate SHA-256 <code className="hash-inline">{certificate}</code>
        </>
      )}
    </>
  );
}
