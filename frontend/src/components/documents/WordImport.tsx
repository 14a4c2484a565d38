// "Upload your marked-up Word file": its tracked changes previewed as amendments of the city,
// then proposed together (nothing is proposed before the delegate has seen the list).
import { useId, useMemo, useState, type FormEvent } from "react";
import { MAX_UPLOAD_BYTES, useImportWord } from "../../api/documents";
import type { ImportedAmendment, Me, Version, WordImport as WordImportResult } from "../../api/types";
import { paragraphNumbers } from "../../lib/numbering";
import { plural } from "../../lib/words";
import { ErrorMessage } from "../ErrorMessage";
import { Redline } from "../Redline";

interface WordImportProps {
  declarationId: number;
  version: Version;
  headVersion: number;
  me: Me;
}

export function WordImport({ declarationId, version, headVersion, me }: WordImportProps) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [base, setBase] = useState("");
  const [preview, setPreview] = useState<WordImportResult | null>(null);
  const [done, setDone] = useState<WordImportResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const upload = useImportWord(declarationId);
  const numbers = useMemo(() => {
    const all = paragraphNumbers(version.paragraphs);
    return new Map(version.paragraphs.map((p, i) => [p.key, all[i] ?? null]));
  }, [version.paragraphs]);
  const city = me.city?.name ?? "your city";

  function choose(chosen: File | null) {
    setPreview(null);
    setDone(null);
    setProblem(null);
    upload.reset();
    if (chosen && chosen.size > MAX_UPLOAD_BYTES) {
      setProblem(`“${chosen.name}” is larger than ${MAX_UPLOAD_BYTES / 1_000_000} MB.`);
      setFile(null);
      return;
    }
    setFile(chosen);
  }

  function send(dryRun: boolean) {
    if (!file) return;
    const baseVersion = base === "" ? undefined : Number(base);
    upload.mutate(
      { file, dryRun, baseVersion },
      {
        onSuccess: (result) => {
          if (dryRun) setPreview(result);
          else {
            setDone(result);
            setPreview(null);
          }
        },
      },
    );
  }

  function onPreview(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setProblem("Choose the Word file (.docx) first.");
      return;
    }
    send(true);
  }

  const versions = Array.from({ length: headVersion }, (_, i) => headVersion - i);
  const count = preview?.amendments.length ?? 0;
  return (
    <section className="panel word-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upload your marked-up Word file</h2>
      <p className="hint">
        Download the version as Word, mark it up with Track Changes on, and upload it here: each changed paragraph
        becomes one amendment of {city}, and your Word comments become comments on the words they mark. You see the
        list before anything is proposed.
      </p>
      <form onSubmit={onPreview}>
        <div className="field">
          <label htmlFor={`${id}-file`}>Word file (.docx)</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onChange={(event) => choose(event.target.files?.[0] ?? null)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-base`}>Made from</label>
          <select id={`${id}-base`} value={base} onChange={(event) => setBase(event.target.value)}>
            <option value="">the version the file was downloaded as</option>
            {versions.map((n) => (
              <option key={n} value={n}>
                version {n}
              </option>
            ))}
          </select>
          <p className="hint">Name the version only for a file that was not downloaded from Concord.</p>
        </div>
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={upload.isPending}>
            {upload.isPending && upload.variables?.dryRun ? "Reading the file…" : "Preview the amendments"}
          </button>
        </div>
      </form>
      {problem && (
        <div className="notice notice-error" role="alert">
          <p>{problem}</p>
        </div>
      )}
      <ErrorMessage error={upload.error} />
      {preview && (
        <div className="word-import-preview" aria-live="polite">
          <h3>
            {count === 0
              ? "Nothing to propose"
              : `${plural(count, "amendment", "amendments")} of ${city} from version ${preview.base_version}`}
          </h3>
          {preview.amendments.length > 0 && (
            <ol className="imported-amendments">
              {preview.amendments.map((amendment, index) => (
                <li key={index}>
                  <ImportedChange amendment={amendment} numbers={numbers} />
                </li>
              ))}
            </ol>
          )}
          {preview.comments.length > 0 && (
            <p>
              And {plural(preview.comments.length, "comment", "comments")}
              {preview.comments.some((c) => c.quote) ? ", on the words they mark" : ""}.
            </p>
          )}
          {preview.warnings.length > 0 && (
            <ul className="import-warnings">
              {preview.warnings.map((warning) => (
                <li key={warning.code}>{warning.detail}</li>
              ))}
            </ul>
          )}
          <div className="button-row">
            {(count > 0 || preview.comments.length > 0) && (
              <button type="button" className="button-primary" onClick={() => send(false)} disabled={upload.isPending}>
                {upload.isPending ? "Proposing…" : count > 0 ? `Propose ${plural(count, "amendment", "amendments")}` : "Post the comments"}
              </button>
            )}
            <button type="button" className="button-secondary" onClick={() => setPreview(null)} disabled={upload.isPending}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {done && (
        <p className="feedback" role="status">
          Proposed {plural(done.amendments.length, "amendment", "amendments")} of {city}
          {done.comments.length > 0 ? ` and posted ${plural(done.comments.length, "comment", "comments")}` : ""}.
        </p>
      )}
    </section>
  );
}

function ImportedChange({ amendment, numbers }: { amendment: ImportedAmendment; numbers: Map<string, number | null> }) {
  const where = amendment.paragraph_key ? numbers.get(amendment.paragraph_key) : undefined;
  const paragraph = where ? `paragraph ${where}` : amendment.paragraph_key ? "a heading" : "the start";
  const title =
    amendment.action === "modify"
      ? `Change ${paragraph}`
      : amendment.action === "delete"
        ? `Delete ${paragraph}`
        : `New ${amendment.kind === "heading" ? "heading" : "paragraph"} after ${paragraph}`;
  return (
    <article className="imported-amendment">
      <h4>{title}</h4>
      <p className="redline">
        <Redline diff={amendment.diff} />
      </p>
      {amendment.moved && <p className="hint">Moved text: proposed as a deletion where it was and an insertion where it went.</p>}
      {amendment.whole_paragraph && (
        <p className="hint">
          The paragraph in your file differs from the version beyond your tracked changes: the whole paragraph is
          proposed as your file has it.
        </p>
      )}
      {amendment.rationale && <p className="rationale">{amendment.rationale}</p>}
      {amendment.authors.length > 0 && <p className="hint">Tracked by {amendment.authors.join(", ")}.</p>}
    </article>
  );
}
