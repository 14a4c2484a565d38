// A version as a file: Word (to read, print or mark up) and Akoma Ntoso (for the UN's systems).
import { useTranslation } from "react-i18next";
import { fetchVersionDocument } from "../../api/documents";
import { DownloadButton } from "./DownloadButton";

interface VersionDocumentsProps {
  declarationId: number;
  version: number;
}

export function VersionDocuments({ declarationId, version }: VersionDocumentsProps) {
  const { t } = useTranslation();
  const name = `declaration-${declarationId}-v${version}`;
  return (
    <section className="panel" aria-labelledby="documents-title">
      <h2 id="documents-title">{t("documents.title")}</h2>
      <p className="hint">{t("documents.hint", { number: version })}</p>
      <div className="button-row">
        <DownloadButton
          label={t("documents.word")}
          filename={`${name}.docx`}
          fetch={() => fetchVersionDocument(declarationId, version, "docx")}
        />
        <DownloadButton
          label={t("documents.akn")}
          filename={`${name}.akn.xml`}
          fetch={() => fetchVersionDocument(declarationId, version, "akn")}
        />
      </div>
    </section>
  );
}
