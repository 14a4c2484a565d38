// A declaration's translations: the overview per language, reading side by side or the
// translation alone (each text in its own language and direction), the translator's view of the
// outdated and missing paragraphs one by one, and uploading a whole translation (aligned, shown
// for review, then saved).
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import i18next from "i18next";
import { Trans, useTranslation as useWords } from "react-i18next";
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
import { formatNumber, listInWords } from "../lib/words";
import { FileButton, FileChosen } from "../components/FileButton";

type View = "side" | "alone" | "translator" | "upload";
const VIEWS: View[] = ["side", "alone", "translator", "upload"];
// BCP 47, as the API checks it; the form only keeps obvious mistakes from being sent.
const TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
// A language tag quoted in the app's sentences: a code, isolated from the words around it (a
// Latin tag in an Arabic sentence keeps its own order).
const TAG_MARK = { tag: <bdi className="language-tag" /> };

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
  usePageTitle(declaration.data ? t("translations.pageTitle", { title: declaration.data.title }) : t("translations.title"));

  if (declaration.isPending) return <PageLoading what={t("reading.page.loading")} />;
  if (declaration.error) return <PageFailed title={t("reading.page.failed")} error={declaration.error} />;
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
        <Trans
          i18nKey="translations.negotiatedIn"
          values={{ language: current.language, number: number === undefined ? "" : formatNumber(number) }}
          components={TAG_MARK}
        />
      </p>
      <section className="panel" aria-labelledby="languages-title">
        <h2 id="languages-title">{t("translations.languages")}</h2>
        <ErrorMessage error={overview.error} />
        {overview.data && overview.data.length === 0 && <p>{t("translations.none")}</p>}
        {overview.data && overview.data.length > 0 && (
          <div className="table-scroll">
          <table className="data-table translations-table">
            <caption className="visually-hidden">{t("translations.caption")}</caption>
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
              {overview.data.map((row) => (
                <tr key={row.language} aria-current={row.language === language ? "true" : undefined}>
                  <th scope="row">
                    <Link to={`?lang=${encodeURIComponent(row.language)}&view=${view}`}>
                      <bdi className="language-tag">{row.language}</bdi>
                    </Link>
                  </th>
                  <td data-label={t("translations.current")}>{formatNumber(row.current)}</td>
                  <td data-label={t("translations.outdated")}>{formatNumber(row.outdated)}</td>
                  <td data-label={t("translations.missing")}>{formatNumber(row.missing)}</td>
                  <td data-label={t("translations.authentic")}>{row.authentic ? t("translations.yes") : "—"}</td>
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
          <div className="toolbar" role="group" aria-label={t("translations.howToShow")}>
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
          {translation.isPending && <Loading what={t("translations.loading")} />}
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
  const { t } = useWords();
  const [tag, setTag] = useState("");
  const [error, setError] = useState(false);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!TAG.test(tag.trim())) {
      setError(true);
      return;
    }
    setError(false);
    onAdd(tag.trim());
  }
  return (
    <form className="add-language" onSubmit={submit} noValidate>
      <div className="field field-inline">
        <label htmlFor="language-tag">{t("translations.open.label")}</label>
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
          {t("translations.open.button")}
        </button>
      </div>
      {error && (
        <p className="field-error" id="language-tag-error">
          <Trans i18nKey="translations.open.invalid" components={TAG_MARK} />
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
      aria-label={
        alone
          ? t("translations.textIn", { language: tx.language })
          : t("translations.textInBoth", { source: declaration.language, language: tx.language })
      }
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
                {p.text ?? (
                  <span className="missing" lang={i18n.language} dir="auto">
                    {t("translations.notTranslated")}
                  </span>
                )}
                {p.state === "outdated" && (
                  <span className="state-badge" lang={i18n.language} dir="auto">
                    {t("translations.outdatedSince", { number: formatNumber(p.translated_version ?? 0) })}
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

/** One paragraph's translation being written, saved by its key (the others stay as they are);
 * an empty text is not sent. */
function useParagraphDraft(
  declarationId: number,
  translation: Translation,
  paragraph: TranslatedParagraph,
  onSaved: () => void,
) {
  const save = useSaveTranslation(declarationId, translation.version, translation.language);
  const [text, setText] = useState(paragraph.text ?? "");
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text.trim()) return;
    save.mutate({ upload: { paragraphs: [{ key: paragraph.key, text }] }, dryRun: false }, { onSuccess: onSaved });
  }
  return { save, text, setText, submit };
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
  const { save, text, setText, submit } = useParagraphDraft(declarationId, translation, paragraph, () => onDone(true));
  const fieldId = `edit-${paragraph.key}`;
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
  const { t } = useWords();
  const todo = translation.paragraphs.filter((p) => p.state !== "current");
  const [index, setIndex] = useState(0);
  const [feedback, setFeedback] = useState<ReactNode>(null);
  const paragraph = todo[Math.min(index, todo.length - 1)];
  if (!paragraph) {
    return (
      <section className="panel" aria-label={t("translations.translator")}>
        <Feedback message={feedback} />
        <p>{t("translating.translator.allCurrent")}</p>
      </section>
    );
  }
  return (
    <section className="panel translator" aria-labelledby="translator-title">
      <Feedback message={feedback} />
      <h2 id="translator-title">
        {t("translating.translator.step", {
          index: todo.indexOf(paragraph) + 1,
          total: todo.length,
          state: t(`translating.translator.state.${paragraph.state}`),
        })}
      </h2>
      <TranslatorStep
        key={paragraph.key}
        declaration={declaration}
        translation={translation}
        paragraph={paragraph}
        onSaved={() =>
          setFeedback(
            <Trans i18nKey="translating.translator.saved" values={{ language: translation.language }} components={TAG_MARK} />,
          )
        }
      />
      <div className="toolbar">
        <button type="button" className="button-secondary" disabled={index === 0} onClick={() => setIndex(index - 1)}>
          {t("common.previous")}
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={index >= todo.length - 1}
          onClick={() => setIndex(index + 1)}
        >
          {t("common.next")}
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
  const { t } = useWords();
  const { save, text, setText, submit } = useParagraphDraft(declaration.id, translation, paragraph, onSaved);
  useEffect(() => setText(paragraph.text ?? ""), [paragraph.text, setText]);
  const fieldId = `translation-${paragraph.key}`;
  return (
    <form className="translator-step" onSubmit={submit} noValidate>
      <div className="translator-source">
        <h3>
          {paragraph.state === "outdated"
            ? t("translating.translator.sourceChanged", { number: formatNumber(paragraph.translated_version ?? 0) })
            : t("translating.translator.source")}
        </h3>
        <p lang={declaration.language} dir="auto">
          {paragraph.source_diff ? <Redline diff={paragraph.source_diff} /> : paragraph.source}
        </p>
      </div>
      <div className="field translator-target">
        <label htmlFor={fieldId}>
          <Trans i18nKey="translating.translator.field" values={{ language: translation.language }} components={TAG_MARK} />
        </label>
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
          {save.isPending ? t("translating.saving") : t("translating.translator.save")}
        </button>
      </div>
    </form>
  );
}

/** A whole translation pasted or from a file: aligned by the server (dry run), shown pair by
 * pair for review, then saved. */
function UploadView({ declaration, translation }: { declaration: Declaration; translation: Translation }) {
  const save = useSaveTranslation(declaration.id, translation.version, translation.language);
  const { t, i18n } = useWords();
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Translation | null>(null);
  const [feedback, setFeedback] = useState<ReactNode>(null);
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
          setFeedback(
            <Trans
              i18nKey="translating.upload.saved"
              count={answer.current}
              values={{ language: answer.language }}
              components={TAG_MARK}
            />,
          );
        },
      },
    );
  }
  const alignment = preview?.alignment;
  const sourceText = new Map(translation.paragraphs.map((p) => [p.key, p.source]));
  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">
        <Trans i18nKey="translating.upload.title" values={{ language: translation.language }} components={TAG_MARK} />
      </h2>
      <Feedback message={feedback} />
      <form onSubmit={align} noValidate>
        <div className="field">
          <label htmlFor="upload-text">{t("translating.upload.paste")}</label>
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
          <FileButton
            id="upload-file"
            label={t("translating.upload.file")}
            accept=".txt,.docx,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onFile={(chosen) => {
              setFile(chosen);
              setPreview(null);
            }}
          />
          {file && <FileChosen name={file.name} />}
        </div>
        <ErrorMessage error={save.error} />
        <button type="submit" className="button-secondary" disabled={!upload || save.isPending}>
          {save.isPending && !preview ? t("translating.upload.aligning") : t("translating.upload.align")}
        </button>
      </form>
      {alignment && preview && (
        <div className="alignment-review">
          <h3>{t("translating.upload.review")}</h3>
          <p>
            {alignmentInWords(alignment.beads)}
            {alignment.left_over.length > 0 &&
              ` ${t("translating.upload.leftOver", { numbers: listInWords(alignment.left_over.map(formatNumber)) })}`}
            {alignment.unmatched_keys.length > 0 &&
              ` ${t(alignment.by_key ? "translating.emptyKept" : "translating.upload.noText", { count: alignment.unmatched_keys.length })}`}
          </p>
          <div className="table-scroll">
          <table className="data-table alignment-table">
            <thead>
              <tr>
                <th scope="col">{t("translating.upload.source")}</th>
                <th scope="col">{t("translating.upload.uploaded")}</th>
              </tr>
            </thead>
            <tbody>
              {alignment.beads.map((bead, index) => (
                <tr key={index} className={bead.doubtful ? "is-doubtful" : undefined}>
                  <td lang={declaration.language} dir="auto" data-label={t("translating.upload.source")}>
                    {bead.keys.map((k) => (
                      <p key={k}>{sourceText.get(k)}</p>
                    ))}
                    {bead.keys.length === 0 && (
                      <em lang={i18n.language} dir="auto">
                        {t("translating.upload.nothing")}
                      </em>
                    )}
                  </td>
                  <td lang={translation.language} dir={translation.direction} data-label={t("translating.upload.uploaded")}>
                    {bead.doubtful && (
                      <strong className="state-badge" lang={i18n.language} dir="auto">
                        {t("translating.upload.check")}
                      </strong>
                    )}
                    {bead.texts.map((text, i) => (
                      <p key={i}>
                        <span className="uploaded-number">{formatNumber(bead.uploaded[i] ?? 0)}</span> {text}
                      </p>
                    ))}
                    {bead.texts.length === 0 && (
                      <em lang={i18n.language} dir="auto">
                        {t("translating.upload.noTextCell")}
                      </em>
                    )}
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
            {save.isPending ? t("translating.saving") : t("translating.upload.save")}
          </button>
        </div>
      )}
    </section>
  );
}

type Bead = NonNullable<Translation["alignment"]>["beads"][number];

/** How the uploaded paragraphs met the source's, each count in the reader's grammar. */
function alignmentInWords(beads: Bead[]): string {
  const count = (test: (bead: Bead) => boolean) => beads.filter(test).length;
  return i18next.t("translating.upload.summary", {
    oneToOne: i18next.t("translating.upload.oneToOne", { count: count((b) => b.keys.length === 1 && b.uploaded.length === 1) }),
    split: i18next.t("translating.upload.split", { count: count((b) => b.uploaded.length > 1) }),
    merged: i18next.t("translating.upload.merged", { count: count((b) => b.keys.length > 1) }),
    toCheck: i18next.t("translating.upload.toCheck", { count: count((b) => b.doubtful) }),
  });
}
