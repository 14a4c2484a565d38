// Write a comment on a paragraph, optionally on a quoted range: the words selected in the text,
// or (keyboard path) words typed here and found in the paragraph.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useCreateComment } from "../../api/mutations";
import type { CommentQuote } from "../../api/types";
import { findQuotes } from "../../lib/offsets";
import { excerpt } from "../../lib/words";
import { InlineError } from "../ErrorMessage";

interface CommentFormProps {
  declarationId: number;
  version: number;
  paragraphKey: string;
  paragraphText: string;
  /** Words selected in the text before the form opened. */
  initialQuote?: CommentQuote | null;
  onDone: (message: string) => void;
  onCancel?: () => void;
}

export function CommentForm({
  declarationId,
  version,
  paragraphKey,
  paragraphText,
  initialQuote,
  onDone,
  onCancel,
}: CommentFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const create = useCreateComment(declarationId);
  const [body, setBody] = useState("");
  const [quote, setQuote] = useState<CommentQuote | null>(initialQuote ?? null);
  const [typed, setTyped] = useState("");
  const [choice, setChoice] = useState(0);
  const [bodyError, setBodyError] = useState<string | null>(null);

  const found = quote === null && typed.trim() ? findQuotes(paragraphText, typed) : [];
  const typedQuote = found[Math.min(choice, found.length - 1)] ?? null;
  const quoteProblem = quote === null && typed.trim() && found.length === 0 ? t("comments.notInParagraph") : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!body.trim()) {
      setBodyError(t("comments.writeIt"));
      return;
    }
    if (quoteProblem) return;
    setBodyError(null);
    create.mutate(
      { version, paragraph_key: paragraphKey, body, quote: quote ?? typedQuote },
      {
        onSuccess: () => {
          setBody("");
          setTyped("");
          setQuote(null);
          onDone(t("comments.added"));
        },
      },
    );
  }

  return (
    <form className="comment-form" onSubmit={submit} noValidate aria-label={t("comments.newComment")}>
      {quote ? (
        <div className="quote-chosen">
          <p className="hint">{t("comments.onTheWords")}</p>
          <blockquote className="quote" dir="auto">
            {quote.exact}
          </blockquote>
          <button type="button" className="button-link" onClick={() => setQuote(null)}>
            {t("comments.wholeInstead")}
          </button>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-quote`}>{t("comments.wordsLabel")}</label>
          <p className="hint" id={`${id}-quote-hint`}>
            {t("comments.wordsHint")}
          </p>
          <input
            id={`${id}-quote`}
            type="text"
            value={typed}
            dir="auto"
            onChange={(event) => {
              setTyped(event.target.value);
              setChoice(0);
            }}
            aria-describedby={`${id}-quote-hint ${id}-quote-found`}
            aria-invalid={quoteProblem ? true : undefined}
          />
          <p id={`${id}-quote-found`} className={quoteProblem ? "field-error" : "hint"} aria-live="polite">
            {quoteProblem ?? (found.length === 1 ? t("comments.foundOnce") : "")}
          </p>
          {found.length > 1 && (
            <div className="field">
              <label htmlFor={`${id}-occurrence`}>{t("comments.occurrences", { count: found.length })}</label>
              <select id={`${id}-occurrence`} value={choice} onChange={(event) => setChoice(Number(event.target.value))}>
                {found.map((q, index) => (
                  <option key={q.start} value={index}>
                    {index + 1}: …{excerpt(contextOf(paragraphText, q), 70)}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-body`}>{t("comments.comment")}</label>
        {bodyError && (
          <p className="field-error" id={`${id}-error`}>
            {bodyError}
          </p>
        )}
        <textarea
          id={`${id}-body`}
          rows={3}
          value={body}
          dir="auto"
          onChange={(event) => setBody(event.target.value)}
          aria-invalid={bodyError ? true : undefined}
          aria-describedby={bodyError ? `${id}-error` : undefined}
        />
      </div>
      <InlineError error={create.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={create.isPending}>
          {create.isPending ? t("comments.sending") : t("comments.add")}
        </button>
        {onCancel && (
          <button type="button" className="button-quiet-dark" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

/** A few words around a quote, to tell its occurrences apart. */
function contextOf(text: string, quote: CommentQuote): string {
  const chars = Array.from(text);
  return chars.slice(Math.max(0, quote.start - 20), Math.min(chars.length, quote.end + 20)).join("");
}
