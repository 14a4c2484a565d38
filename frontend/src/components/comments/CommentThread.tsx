// A comment and its replies: reply, edit your own, resolve (its author or a co-facilitator).
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useCreateComment, useEditComment, useResolveComment } from "../../api/mutations";
import type { Comment, Me } from "../../api/types";
import { sliceCodePoints } from "../../lib/offsets";
import { canEditDeclarations } from "../../lib/roles";
import { formatDateTime, roleInWords } from "../../lib/words";
import { InlineError } from "../ErrorMessage";

interface CommentThreadProps {
  declarationId: number;
  thread: Comment;
  replies: readonly Comment[];
  me: Me | undefined;
  active?: boolean;
  onFocusQuote?: (id: number | null) => void;
  onDone: (message: string) => void;
  /** The text of the paragraph in the version read, to show where a moved quote now stands. */
  paragraphText?: string;
}

export function AnchorBadge({ comment }: { comment: Comment }) {
  const { t } = useTranslation();
  if (!comment.quote) return null;
  if (comment.anchor.state === "fuzzy")
    return (
      <span className="tag tag-moved" title={t("comments.movedTitle")}>
        {t("comments.moved")}
      </span>
    );
  if (comment.anchor.state === "orphaned")
    return (
      <span className="tag tag-gone" title={t("comments.goneTitle")}>
        {t("comments.gone")}
      </span>
    );
  return null;
}

export function CommentThread({ declarationId, thread, replies, me, active, onFocusQuote, onDone, paragraphText }: CommentThreadProps) {
  const { t } = useTranslation();
  const id = useId();
  const resolve = useResolveComment(declarationId);
  const [replying, setReplying] = useState(false);
  const canResolve = thread.status === "open" && (thread.author.id === me?.id || canEditDeclarations(me));
  return (
    <article
      className={`thread${thread.status === "resolved" ? " is-resolved" : ""}${active ? " is-active" : ""}`}
      aria-labelledby={`${id}-by`}
      onFocus={() => onFocusQuote?.(thread.id)}
      onMouseEnter={() => onFocusQuote?.(thread.id)}
    >
      {thread.quote && (
        <blockquote className={`quote quote-${thread.anchor.state}`} dir="auto">
          {thread.quote.exact}
        </blockquote>
      )}
      <CommentBody declarationId={declarationId} comment={thread} me={me} labelId={`${id}-by`} onDone={onDone}>
        {thread.status === "resolved" && <span className="tag tag-resolved">{t("comments.resolvedTag")}</span>}
        <AnchorBadge comment={thread} />
      </CommentBody>
      {thread.anchor.state === "orphaned" && thread.quote && (
        <p className="hint">{t("comments.notInVersion", { number: thread.anchored_version })}</p>
      )}
      {thread.anchor.state === "fuzzy" && (
        <p className="hint">
          {paragraphText !== undefined && thread.anchor.start !== null && thread.anchor.end !== null ? (
            <Trans
              i18nKey="comments.foundAgainOn"
              components={{ words: <bdi>{sliceCodePoints(paragraphText, thread.anchor.start, thread.anchor.end)}</bdi> }}
            />
          ) : (
            t("comments.foundAgain")
          )}
        </p>
      )}
      {replies.length > 0 && (
        <ol className="replies" aria-label={t("comments.replies")}>
          {replies.map((reply) => (
            <li key={reply.id}>
              <CommentBody declarationId={declarationId} comment={reply} me={me} onDone={onDone} />
            </li>
          ))}
        </ol>
      )}
      <div className="button-row button-row-tight">
        {!replying && (
          <button type="button" className="button-small" onClick={() => setReplying(true)}>
            {t("comments.reply")}
          </button>
        )}
        {canResolve && (
          <button
            type="button"
            className="button-small"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate(thread.id, { onSuccess: () => onDone(t("comments.resolved")) })}
          >
            {resolve.isPending ? t("comments.resolving") : t("comments.resolve")}
          </button>
        )}
      </div>
      <InlineError error={resolve.error} />
      {replying && (
        <ReplyForm
          declarationId={declarationId}
          thread={thread}
          onDone={(message) => {
            setReplying(false);
            onDone(message);
          }}
          onCancel={() => setReplying(false)}
        />
      )}
    </article>
  );
}

interface CommentBodyProps {
  declarationId: number;
  comment: Comment;
  me: Me | undefined;
  labelId?: string;
  onDone: (message: string) => void;
  children?: ReactNode;
}

function CommentBody({ declarationId, comment, me, labelId, onDone, children }: CommentBodyProps) {
  const { t } = useTranslation();
  const id = useId();
  const edit = useEditComment(declarationId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.body);
  const own = comment.author.id === me?.id;

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft.trim()) return;
    edit.mutate(
      { id: comment.id, body: draft },
      {
        onSuccess: () => {
          setEditing(false);
          onDone(t("comments.saved"));
        },
      },
    );
  }

  return (
    <div className="comment">
      <p className="comment-meta" id={labelId}>
        <bdi className="comment-author">{comment.author.name}</bdi>{" "}
        <span className="comment-role">
          (
          {comment.author_city ? (
            <Trans
              i18nKey="comments.cityRole"
              values={{ role: roleInWords(comment.author.role) }}
              components={{ city: <bdi>{comment.author_city}</bdi> }}
            />
          ) : (
            roleInWords(comment.author.role)
          )}
          )
        </span>
        {" · "}
        <time dateTime={comment.created_at}>{formatDateTime(comment.created_at)}</time>
        {comment.created_version !== comment.anchored_version && (
          <span className="comment-version">{t("comments.onVersion", { number: comment.created_version })}</span>
        )}
        {comment.edited && <span className="comment-version">{t("comments.edited")}</span>} {children}
      </p>
      {editing ? (
        <form onSubmit={save} aria-label={t("comments.editComment")}>
          <label className="visually-hidden" htmlFor={`${id}-edit`}>
            {t("comments.yourComment")}
          </label>
          <textarea id={`${id}-edit`} rows={3} value={draft} dir="auto" onChange={(event) => setDraft(event.target.value)} />
          <InlineError error={edit.error} />
          <div className="button-row button-row-tight">
            <button type="submit" className="button-small button-small-primary" disabled={edit.isPending || !draft.trim()}>
              {edit.isPending ? t("comments.saving") : t("comments.save")}
            </button>
            <button
              type="button"
              className="button-small"
              onClick={() => {
                setEditing(false);
                setDraft(comment.body);
              }}
            >
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="comment-text" dir="auto">
            {comment.body}
          </p>
          {own && (
            <button type="button" className="button-link" onClick={() => setEditing(true)}>
              {t("comments.edit")}
              <span className="visually-hidden">{t("comments.editWhat")}</span>
            </button>
          )}
        </>
      )}
    </div>
  );
}

interface ReplyFormProps {
  declarationId: number;
  thread: Comment;
  onDone: (message: string) => void;
  onCancel: () => void;
}

function ReplyForm({ declarationId, thread, onDone, onCancel }: ReplyFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const create = useCreateComment(declarationId);
  const [body, setBody] = useState("");
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!body.trim()) return;
    create.mutate(
      // A reply is written on the version its thread was written on: it stays on that paragraph.
      { version: thread.created_version, paragraph_key: thread.paragraph_key, body, parent_id: thread.id },
      { onSuccess: () => onDone(t("comments.replyAdded")) },
    );
  }
  return (
    <form className="reply-form" onSubmit={submit} aria-label={t("comments.reply")}>
      <label htmlFor={`${id}-reply`}>{t("comments.yourReply")}</label>
      <textarea id={`${id}-reply`} rows={2} value={body} dir="auto" autoFocus onChange={(event) => setBody(event.target.value)} />
      <InlineError error={create.error} />
      <div className="button-row button-row-tight">
        <button type="submit" className="button-small button-small-primary" disabled={create.isPending || !body.trim()}>
          {create.isPending ? t("comments.sending") : t("comments.sendReply")}
        </button>
        <button type="button" className="button-small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
