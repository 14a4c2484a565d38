// "Upload your marked-up Word file": its tracked changes previewed as amendments of the city,
// then proposed together (nothing is proposed before the delegate has seen the list).
import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { MAX_UPLOAD_BYTES, useImportWord } from "../../api/documents";
import type { ImportedAmendment, Me, Version, WordImport as WordImportResult } from "../../api/types";
import { paragraphNumbers } from "../../lib/numbering";
import { ErrorMessage } from "../ErrorMessage";
import { Redline } from "../Redline";
import { FileButton, FileChosen } from "../FileButton";

interface WordImportProps {
  declarationId: number;
  version: Version;
  headVersion: number;
  me: Me;
}

export function WordImport({ declarationId, version, headVersion, me }: WordImportProps) {
  const { t } = useTranslation();
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
  const city = me.city?.name ?? t("documents.import.yourCity");
  const amendments = (n: number) => t("documents.import.amendments", { count: n });
  const comments = (n: number) => t("documents.import.comments", { count: n });

  function choose(chosen: File | null) {
    setPreview(null);
    setDone(null);
    setProblem(null);
    upload.reset();
    if (chosen && chosen.size > MAX_UPLOAD_BYTES) {
      setProblem(t("documents.import.tooLarge", { name: chosen.name, size: MAX_UPLOAD_BYTES / 1_000_000 }));
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
      setProblem(t("documents.import.chooseFirst"));
      return;
    }
    send(true);
  }

  const versions = Array.from({ length: headVersion }, (_, i) => headVersion - i);
  const count = preview?.amendments.length ?? 0;
  return (
    <section className="panel word-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("documents.import.title")}</h2>
      <p className="hint">{t("documents.import.hint", { city })}</p>
      <form onSubmit={onPreview}>
        <div className="field">
          <FileButton
            id={`${id}-file`}
            label={t("documents.import.file")}
            accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onFile={choose}
          />
          {file && <FileChosen name={file.name} />}
        </div>
        <div className="field">
          <label htmlFor={`${id}-base`}>{t("documents.import.madeFrom")}</label>
          <select id={`${id}-base`} value={base} onChange={(event) => setBase(event.target.value)}>
            <option value="">{t("documents.import.asDownloaded")}</option>
            {versions.map((n) => (
              <option key={n} value={n}>
                {t("documents.import.version", { number: n })}
              </option>
            ))}
          </select>
          <p className="hint">{t("documents.import.baseHint")}</p>
        </div>
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={upload.isPending}>
            {upload.isPending && upload.variables?.dryRun ? t("documents.import.reading") : t("documents.import.preview")}
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
              ? t("documents.import.nothing")
              : t("documents.import.found", { amendments: amendments(count), city, number: preview.base_version })}
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
              {t(preview.comments.some((c) => c.quote) ? "documents.import.andCommentsOnWords" : "documents.import.andComments", {
                comments: comments(preview.comments.length),
              })}
            </p>
          )}
          {preview.warnings.length > 0 && (
            <ul className="import-warnings">
              {preview.warnings.map((warning) => (
                <li key={warning.code} lang="en" dir="ltr">
                  {warning.detail}
                </li>
              ))}
            </ul>
          )}
          <div className="button-row">
            {(count > 0 || preview.comments.length > 0) && (
              <button type="button" className="button-primary" onClick={() => send(false)} disabled={upload.isPending}>
                {upload.isPending
                  ? t("documents.import.proposing")
                  : count > 0
                    ? t("documents.import.propose", { amendments: amendments(count) })
                    : t("documents.import.postComments")}
              </button>
            )}
            <button type="button" className="button-secondary" onClick={() => setPreview(null)} disabled={upload.isPending}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
      {done && (
        <p className="feedback" role="status">
          {done.comments.length > 0
            ? t("documents.import.doneWithComments", {
                amendments: amendments(done.amendments.length),
                city,
                comments: comments(done.comments.length),
              })
            : t("documents.import.done", { amendments: amendments(done.amendments.length), city })}
        </p>
      )}
    </section>
  );
}

function ImportedChange({ amendment, numbers }: { amendment: ImportedAmendment; numbers: Map<string, number | null> }) {
  const { t } = useTranslation();
  const where = amendment.paragraph_key ? numbers.get(amendment.paragraph_key) : undefined;
  const place = where
    ? t("documents.import.place.paragraph", { number: where })
    : t(amendment.paragraph_key ? "documents.import.place.heading" : "documents.import.place.start");
  const change =
    amendment.action === "modify" || amendment.action === "delete"
      ? amendment.action
      : amendment.kind === "heading"
        ? "insertHeading"
        : "insertParagraph";
  const title = t(`documents.import.change.${change}`, { place });
  return (
    <article className="imported-amendment">
      <h4>{title}</h4>
      <p className="redline" dir="auto">
        <Redline diff={amendment.diff} />
      </p>
      {amendment.moved && <p className="hint">{t("documents.import.moved")}</p>}
      {amendment.whole_paragraph && <p className="hint">{t("documents.import.wholeParagraph")}</p>}
      {amendment.rationale && (
        <p className="rationale" dir="auto">
          {amendment.rationale}
        </p>
      )}
      {amendment.authors.length > 0 && (
        <p className="hint">{t("documents.import.trackedBy", { names: amendment.authors.join(", ") })}</p>
      )}
    </article>
  );
}
