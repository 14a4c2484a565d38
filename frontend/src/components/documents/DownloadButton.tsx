// A button that fetches a document from the API and saves it, saying when it is busy or failed.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadBlob } from "../../lib/files";
import { ErrorMessage } from "../ErrorMessage";

interface DownloadButtonProps {
  label: string;
  /** What the button says while the file is made ("Preparing…" in the reader's language if not given). */
  busyLabel?: string;
  filename: string;
  fetch: () => Promise<Blob>;
}

export function DownloadButton({ label, busyLabel, filename, fetch }: DownloadButtonProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      downloadBlob(await fetch(), filename);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="button-secondary" onClick={download} disabled={busy}>
        {busy ? (busyLabel ?? t("documents.preparing")) : label}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </>
  );
}
