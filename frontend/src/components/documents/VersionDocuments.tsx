// A version as a file: Word (to read, print or mark up) and Akoma Ntoso (for the UN's systems).
import { fetchVersionDocument } from "../../api/documents";
import { DownloadButton } from "./DownloadButton";

interface VersionDocumentsProps {
  declarationId: number;
  version: number;
}

export function VersionDocuments({ declarationId, version }: VersionDocumentsProps) {
  const name = `declaration-${declarationId}-v${version}`;
  return (
    <section className="panel" aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      <p className="hint">
        Version {version} as Word, paragraphs numbered as here, with Track Changes on for marking it up; or as Akoma
        Ntoso XML for the UN’s documentation systems.
      </p>
      <div className="button-row">
        <DownloadButton
          label="Download as Word"
          filename={`${name}.docx`}
          fetch={() => fetchVersionDocument(declarationId, version, "docx")}
        />
        <DownloadButton
          label="Akoma Ntoso (XML)"
          filename={`${name}.akn.xml`}
          fetch={() => fetchVersionDocument(declarationId, version, "akn")}
        />
      </div>
    </section>
  );
}
