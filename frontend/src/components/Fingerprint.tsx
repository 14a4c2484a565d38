// A version's fingerprint, and its canonical text fetched with the token: shown, checked, saved.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fetchCanonicalText } from "../api/queries";
import { contentHash } from "../lib/hash";
import { ErrorMessage } from "./ErrorMessage";

interface FingerprintProps {
  declarationId: number;
  version: number;
  hash: string;
}

type Check = "match" | "mismatch" | "unavailable";

export function Fingerprint({ declarationId, version, hash }: FingerprintProps) {
  const { t } = useTranslation();
  const [canonical, setCanonical] = useState<{ blob: Blob; text: string } | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState(false);

  async function load(): Promise<{ blob: Blob; text: string } | null> {
    if (canonical !== null) return canonical;
    setBusy(true);
    setError(null);
    try {
      const blob = await fetchCanonicalText(declarationId, version);
      const loaded = { blob, text: await blob.text() };
      setCanonical(loaded);
      const computed = await contentHash(await blob.arrayBuffer());
      setCheck(computed === null ? "unavailable" : computed === hash ? "match" : "mismatch");
      return loaded;
    } catch (caught) {
      setError(caught);
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function toggle() {
    if (shown) {
      setShown(false);
      return;
    }
    if ((await load()) !== null) setShown(true);
  }

  async function download() {
    const loaded = await load();
    if (loaded === null) return;
    // The served bytes themselves, so the saved file hashes to the fingerprint.
    const url = URL.createObjectURL(loaded.blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `declaration-${declarationId}-v${version}.txt`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <section className="panel fingerprint" aria-labelledby="fingerprint-title">
      <h2 id="fingerprint-title">{t("reading.fingerprint.title")}</h2>
      <p className="hint">{t("reading.fingerprint.hint", { number: version })}</p>
      <code className="hash">{hash}</code>
      <div className="button-row">
        <button type="button" className="button-secondary" onClick={toggle} disabled={busy} aria-expanded={shown}>
          {shown ? t("reading.fingerprint.hide") : t("reading.fingerprint.show")}
        </button>
        <button type="button" className="button-secondary" onClick={download} disabled={busy}>
          {t("reading.fingerprint.download")}
        </button>
      </div>
      {busy && (
        <p className="loading" role="status">
          {t("reading.fingerprint.fetching")}
        </p>
      )}
      <ErrorMessage error={error} />
      {check && (
        <p className={`check check-${check}`} role="status">
          {t(`reading.fingerprint.${check}`)}
        </p>
      )}
      {shown && canonical !== null && (
        <pre className="canonical-text" tabIndex={0} aria-label={t("reading.fingerprint.canonical", { number: version })}>
          {canonical.text}
        </pre>
      )}
    </section>
  );
}
