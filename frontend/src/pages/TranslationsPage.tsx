// A declaration's translations: the overview per language, reading side by side or the
// translation alone (each text in its own language and direction), the translator's view of the
// outdated and missing paragraphs one by one, and uploading a whole translation (aligned, shown
// for review, then saved).
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation as useWords } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { useSaveTranslation, type TranslationUpload } from "../api/mutations";
import { useDeclaration, useMe, useTranslation, useTranslations, useVersion } from "../api/queries";
import type { Declaration, Translation, TranslatedParagraph, Version } from "../api/types";
import { fetchTranslationDocument } from "../api/documents";
import { DeclarationHeader } from "../components/DeclarationHeader";
import { DownloadButton } from "../components/documents/DownloadButton";
import { ErrorMessage } from "../components/ErrorMessage";
import { Feedback } from "../components/Feedback";
import { Loading } from "../components/Loading";
import { PageFailed, PageLoading } from "../components/PageState";
import { Redline } from "../components/Redline";
import { paragraphNumbers } from "../lib/numbering";
import { positiveInt } from "../lib/params";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";

type View = "side" | "alone" | "translator" | "upload";
const VIEWS: View[] = ["side", "alone", "translator", "upload"];
const STATE_WORDS = { current: "current", outdated: "outdated", missing: "missing" } as const;
// BCP 47, as the API checks it; the form only keeps obvious mistakes from being sent.
const TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

export function TranslationsPage() {
  const params = useParams();
  const declarationId = positiveInt(params.declarationId) ?? 0;
  const [search, setSearch] = useSearchParams();
  const me = useMe();
  const declaration = useDeclaration(declarationId);
  const overview = useTranslations(declarationId);
  const number = positiveInt(search.get("version")) ?? declaration.data?.head_version;
  const version = useVersion(declarationId, number);
  const language = search.get("lang");
  const view = (search.get("view") as View | null) ?? "side";
  const translation = useTranslation(declarationId, number, language);
  const { t } = useWords();
  usePageTitle(declaration.data ? `Translations of ${declaration.data.title}` : "Translations");

  if (declaration.isPending) return <PageLoading what="Loading the declaration" />;
  if (declaration.error) return <PageFailed title="This declaration cannot be shown" error={declaration.error} />;
  const current = declaration.data;
  const editor = canEditDeclarations(me.data) && current.status === "drafting";

  function choose(next: { lang?: string; view?: View }) {
    const merged = new URLSearchParams(search);
    if (next.lang !== undefined) merged.set("lang", next.lang);
    if (next.view !== undefined) merged.set("view", next.view);
    setSearch(merged);
  }

  return (
    <div className="page">
      <DeclarationHeader declaration={current} heading={t("translations.title")} />
      <p className="hint">
        Negotiated in <strong lang="en">{current.language}</strong>; comments and amendments stay on that text. Version{" "}
        {number} is shown.
      </p>
      <section className="panel" aria-labelledby="languages-title">
        <h2 id="languages-title">{t("translations.languages")}</h2>
        <ErrorMessage error={overview.error} />
        {overview.data && overview.data.length === 0 && <p>{t("translations.none")}</p>}
        {overview.data && overview.data.length > 0 && (
          <div className="table-scroll">
          <table className="data-table translations-table">
            <caption className="visually-hidden">Paragraphs of the current version per language</caption>
            <thead>
              <tr>
                <th scope="col">{t("translations.language")}</th>
                <th scope="col">{t("translations.current")}</th>
                <th scope="col">{t("translations.outdated")}</th>
                <th scope="col">{t("translations.missing")}</th>
                <th scope="col">{t("translations.authentic")}</th>
              </tr>
            </thead>
            <tbody>
              {overview.data.map((t) => (
                <tr key={t.language} aria-current={t.language === language ? "true" : undefined}>
                  <th scope="row">
                    <Link to={`?lang=${encodeURIComponent(t.language)}&view=${view}`}>{t.language}</Link>
                  </th>
                  <td>{t.current}</td>
                  <td>{t.outdated}</td>
                  <td>{t.missing}</td>
                  <td>{t.authentic ? "yes" : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
        <AddLanguage onAdd={(tag) => choose({ lang: tag, view: editor ? "upload" : view })} />
      </section>
      {language && (
        <>
          <div className="toolbar" role="group" aria-label="How to show the translation">
            {VIEWS
              .filter((v) => editor || v === "side" || v === "alone")
              .map((v) => (
                <button
                  key={v}
                  type="button"
                  className={v === view ? "button-primary" : "button-secondary"}
                  aria-pressed={v === view}
                  onClick={() => choose({ view: v })}
                >
                  {t(`translations.${v}`)}
                </button>
              ))}
          </div>
          {number !== undefined && (
            <TranslationDocument declarationId={current.id} version={number} language={language} />
          )}
          {translation.isPending && <Loading what="Loading the translation" />}
          <ErrorMessage error={translation.error} />
          {translation.data && version.data && (
            <TranslationView
              view={view}
              declaration={current}
              version={version.data}
              translation={translation.data}
              editor={editor}
            />
          )}
        </>
      )}
    </div>
  );
}

/** The translation as Word, with the version's paragraph keys: to read, print or translate
 * offline and upload again (it maps back by key). */
function TranslationDocument({ declarationId, version, language }: { declarationId: number; version: number; language: string }) {
  const { t } = useWords();
  return (
    <div className="translation-document">
      <DownloadButton
        label={t("translating.downloadWord")}
        busyLabel={t("translating.preparing")}
        filename={`declaration-${declarationId}-v${version}-${language}.docx`}
        fetch={() => fetchTranslationDocument(declarationId, version, language)}
      />
      <p className="hint">{t("translating.downloadHint")}</p>
    </div>
  );
}

function AddLanguage({ onAdd }: { onAdd: (tag: string) => void }) {
  const [tag, setTag] = useState("");
  const [error, setError] = useState<string | null>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!TAG.test(tag.trim())) {
      setError("Give a language tag such as fr, es, ar or zh-Hans.");
      return;
    }
    setError(null);
    onAdd(tag.trim());
  }
  return (
    <form className="add-language" onSubmit={submit} noValidate>
      <div className="field field-inline">
        <label htmlFor="language-tag">Open a language (BCP 47 tag)</label>
        <input
          id="language-tag"
          type="text"
          value={tag}
          size={10}
          maxLength={35}
          spellCheck={false}
          onChange={(event) => setTag(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "language-tag-error" : undefined}
        />
        <button type="submit" className="button-secondary">
          Open
        </button>
      </div>
      {error && (
        <p className="field-error" id="language-tag-error">
          {error}
        </p>
      )}
    </form>
  );
}

interface ViewProps {
  view: View;
  declaration: Declaration;
  version: Version;
  translation: Translation;
  editor: boolean;
}

function TranslationView({ view, declaration, version, translation, editor }: ViewProps) {
  if (view === "translator" && editor) return <TranslatorView declaration={declaration} translation={translation} />;
  if (view === "upload" && editor) return <UploadView declaration={declaration} translation={translation} />;
  return (
    <Reading
      declaration={declaration}
      version={version}
      translation={translation}
      alone={view === "alone"}
      editor={editor && view === "side"}
    />
  );
}

/** The text as a reader reads it: the source beside its translation, row by row, or the
 * translation alone; each column in its own language and direction. Side by side, a translator
 * may correct any paragraph's translation (current ones too), saved by key. */
function Reading({
  declaration,
  version,
  translation,
  alone,
  editor,
}: {
  declaration: Declaration;
  version: Version;
  translation: Translation;
  alone: boolean;
  editor: boolean;
}) {
  const numbers = paragraphNumbers(version.paragraphs);
  const tx = translation;
  const { t, i18n } = useWords();
  const [editing, setEditing] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<string | null>(null);
  return (
    <article
      className={alone ? "bilingual bilingual-alone" : "bilingual"}
      aria-label={alone ? `Text in ${tx.language}` : `Text in ${declaration.language} and ${tx.language}`}
      lang={alone ? tx.language : undefined}
      dir={alone ? tx.direction : undefined}
    >
      <Counts translation={tx} />
      <Feedback message={feedback} />
      {tx.paragraphs.map((p, index) => {
        // Headings are not numbered: a heading's field is named by its source's words.
        const editLabel =
          p.kind === "heading"
            ? t("translating.editHeadingLabel", { heading: p.source })
            : t("translating.editLabel", { number: numbers[index] });
        const savedSentence =
          p.kind === "heading"
            ? t("translating.savedHeading", { heading: p.source })
            : t("translating.saved", { number: numbers[index] });
        return (
          <div key={p.key} className={`bilingual-row is-${p.kind}`} id={`t-${p.key}`}>
            <span className="paragraph-number">{p.kind === "paragraph" ? `${numbers[index]}.` : ""}</span>
            {!alone && (
              <div className="bilingual-source" lang={declaration.language} dir="auto">
                {p.source}
              </div>
            )}
            {editing === p.key ? (
              <ParagraphEditor
                declarationId={declaration.id}
                translation={tx}
                paragraph={p}
                label={editLabel}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) setFeedback(savedSentence);
                }}
              />
            ) : (
              <div className={`bilingual-translation is-${p.state}`} lang={tx.language} dir={tx.direction}>
                {p.text ?? <span className="missing">{t("translations.notTranslated")}</span>}
                {p.state === "outdated" && (
                  <span className="state-badge" lang="en" dir="ltr">
                    outdated since version {p.translated_version}
                  </span>
                )}
                {editor && (
                  <button
                    type="button"
                    className="button-link paragraph-edit"
                    lang={i18n.language}
                    dir="auto"
                    aria-label={editLabel}
                    onClick={() => {
                      setFeedback(null);
                      setEditing(p.key);
                    }}
                  >
                    {t("translating.edit")}
                  </button>
                )}
              </div>
            )}
          </div>
        );
      })}
    </article>
  );
}

/** One paragraph's translation in a field, saved by its key (the others stay as they are). */
function ParagraphEditor({
  declarationId,
  translation,
  paragraph,
  label,
  onDone,
}: {
  declarationId: number;
  translation: Translation;
  paragraph: TranslatedParagraph;
  label: string;
  onDone: (saved: boolean) => void;
}) {
  const { t, i18n } = useWords();
  const save = useSaveTranslation(declarationId, translation.version, translation.language);
  const [text, setText] = useState(paragraph.text ?? "");
  const fieldId = `edit-${paragraph.key}`;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text.trim()) return;
    save.mutate(
      { upload: { paragraphs: [{ key: paragraph.key, text }] }, dryRun: false },
      { onSuccess: () => onDone(true) },
    );
  }
  return (
    <form className="bilingual-translation paragraph-editor" onSubmit={submit} noValidate lang={i18n.language}>
      <label htmlFor={fieldId} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={fieldId}
        lang={translation.language}
        dir={translation.direction}
        rows={5}
        value={text}
        autoFocus
        onChange={(event) => setText(event.target.value)}
      />
      <ErrorMessage error={save.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={save.isPending || !text.trim()}>
          {save.isPending ? t("translating.saving") : t("translating.save")}
        </button>
        <button type="button" className="button-secondary" onClick={() => onDone(false)}>
          {t("translating.cancel")}
        </button>
      </div>
    </form>
  );
}

function Counts({ translation }: { translation: Translation }) {
  const { t } = useWords();
  return (
    <p className="translation-counts" dir="auto">
      {t("translations.counts", { current: translation.current, outdated: translation.outdated, missing: translation.missing })}
    </p>
  );
}

/** The outdated and missing paragraphs one by one: the source's change since the translation
 * beside the translation, and a field to put it right. */
function TranslatorView({ declaration, translation }: { declaration: Declaration; translation: Translation }) {
  const todo = translation.paragraphs.filter((p) => p.state !== "current");
  const [index, setIndex] = useState(0);
  const [feedback, setFeedback] = useState<string | null>(null);
  const paragraph = todo[Math.min(index, todo.length - 1)];
  if (!paragraph) {
    return (
      <section className="panel" aria-label="Translator’s view">
        <Feedback message={feedback} />
        <p>Every paragraph of this translation is current.</p>
      </section>
    );
  }
  return (
    <section className="panel translator" aria-labelledby="translator-title">
      <Feedback message={feedback} />
      <h2 id="translator-title">
        Paragraph {todo.indexOf(paragraph) + 1} of {todo.length} to translate ({STATE_WORDS[paragraph.state]})
      </h2>
      <TranslatorStep
        key={paragraph.key}
        declaration={declaration}
        translation={translation}
        paragraph={paragraph}
        onSaved={() => setFeedback(`Paragraph saved in ${translation.language}.`)}
      />
      <div className="toolbar">
        <button type="button" className="button-secondary" disabled={index === 0} onClick={() => setIndex(index - 1)}>
          Previous
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={index >= todo.length - 1}
          onClick={() => setIndex(index + 1)}
        >
          Next
        </button>
      </div>
    </section>
  );
}

function TranslatorStep({
  declaration,
  translation,
  paragraph,
  onSaved,
}: {
  declaration: Declaration;
  translation: Translation;
  paragraph: TranslatedParagraph;
  onSaved: () => void;
}) {
  const save = useSaveTranslation(declaration.id, translation.version, translation.language);
  const [text, setText] = useState(paragraph.text ?? "");
  useEffect(() => setText(paragraph.text ?? ""), [paragraph.text]);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text.trim()) return;
    save.mutate({ upload: { paragraphs: [{ key: paragraph.key, text }] }, dryRun: false }, { onSuccess: onSaved });
  }
  const fieldId = `translation-${paragraph.key}`;
  return (
    <form className="translator-step" onSubmit={submit} noValidate>
      <div className="translator-source">
        <h3>{paragraph.state === "outdated" ? `Source, changed since version ${paragraph.translated_version}` : "Source"}</h3>
        <p lang={declaration.language} dir="auto">
          {paragraph.source_diff ? <Redline diff={paragraph.source_diff} /> : paragraph.source}
        </p>
      </div>
      <div className="field translator-target">
        <label htmlFor={fieldId}>Translation ({translation.language})</label>
        <textarea
          id={fieldId}
          lang={translation.language}
          dir={translation.direction}
          rows={6}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <ErrorMessage error={save.error} />
        <button type="submit" className="button-primary" disabled={save.isPending || !text.trim()}>
          {save.isPending ? "Saving…" : "Save this paragraph"}
        </button>
      </div>
    </form>
  );
}

/** A whole translation pasted or from a file: aligned by the server (dry run), shown pair by
 * pair for review, then saved. */
function UploadView({ declaration, translation }: { declaration: Declaration; translation: Translation }) {
  const save = useSaveTranslation(declaration.id, translation.version, translation.language);
  const { t } = useWords();
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Translation | null>(null);
  const [feedback, setFeedback] = useState<string | null>(null);
  const upload: TranslationUpload | null = file ? { file } : text.trim() ? { text } : null;

  function align(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!upload) return;
    setFeedback(null);
    save.mutate({ upload, dryRun: true }, { onSuccess: setPreview });
  }
  function keep() {
    if (!upload) return;
    save.mutate(
      { upload, dryRun: false },
      {
        onSuccess: (answer) => {
          setPreview(null);
          setFeedback(`Saved: ${answer.current} paragraphs current in ${answer.language}.`);
        },
      },
    );
  }
  const alignment = preview?.alignment;
  const sourceText = new Map(translation.paragraphs.map((p) => [p.key, p.source]));
  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a whole translation into {translation.language}</h2>
      <Feedback message={feedback} />
      <form onSubmit={align} noValidate>
        <div className="field">
          <label htmlFor="upload-text">Paste the translation (paragraphs separated by a blank line)</label>
          <textarea
            id="upload-text"
            rows={8}
            lang={translation.language}
            dir={translation.direction}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setPreview(null);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="upload-file">Or choose a file (.txt or .docx)</label>
          <input
            id="upload-file"
            type="file"
            accept=".txt,.docx,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setPreview(null);
            }}
          />
        </div>
        <ErrorMessage error={save.error} />
        <button type="submit" className="button-secondary" disabled={!upload || save.isPending}>
          {save.isPending && !preview ? "Aligning…" : "Align and review"}
        </button>
      </form>
      {alignment && preview && (
        <div className="alignment-review">
          <h3>Alignment to review</h3>
          <p>
            {alignment.beads.filter((b) => b.keys.length === 1 && b.uploaded.length === 1).length} paragraphs one to one,{" "}
            {alignment.beads.filter((b) => b.uploaded.length > 1).length} split by the translator,{" "}
            {alignment.beads.filter((b) => b.keys.length > 1).length} merged;{" "}
            {alignment.beads.filter((b) => b.doubtful).length} to check.
            {alignment.left_over.length > 0 && ` Uploaded paragraphs left over: ${alignment.left_over.join(", ")}.`}
            {alignment.unmatched_keys.length > 0 &&
              (alignment.by_key
                ? ` ${t("translating.emptyKept", { count: alignment.unmatched_keys.length })}`
                : ` Source paragraphs with no text: ${alignment.unmatched_keys.length}.`)}
          </p>
          <div className="table-scroll">
          <table className="data-table alignment-table">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {alignment.beads.map((bead, index) => (
                <tr key={index} className={bead.doubtful ? "is-doubtful" : undefined}>
                  <td lang={declaration.language} dir="auto">
                    {bead.keys.map((k) => (
                      <p key={k}>{sourceText.get(k)}</p>
                    ))}
                    {bead.keys.length === 0 && <em lang="en">nothing: left over</em>}
                  </td>
                  <td lang={translation.language} dir={translation.direction}>
                    {bead.doubtful && (
                      <strong className="state-badge" lang="en" dir="ltr">
                        check this pairing
                      </strong>
                    )}
                    {bead.texts.map((t, i) => (
                      <p key={i}>
                        <span className="uploaded-number" lang="en">
                          {bead.uploaded[i]}
                        </span>{" "}
                        {t}
                      </p>
                    ))}
                    {bead.texts.length === 0 && <em lang="en">no text</em>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <button
            type="button"
            className="button-primary"
            disabled={
              save.isPending ||
              alignment.left_over.length > 0 ||
              (alignment.unmatched_keys.length > 0 && !alignment.by_key)
            }
            onClick={keep}
          >
            {save.isPending ? "Saving…" : "Save this translation"}
          </button>
        </div>
      )}
    </section>
  );
}
