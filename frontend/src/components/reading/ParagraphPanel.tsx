// The thread panel beside a paragraph: its comments (with a form to add one) and its amendments
// (with the ways to propose one, for a city's delegation).
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { AmendmentAction, Comment, CommentQuote, Me } from "../../api/types";
import type { ParagraphActivity } from "../../lib/activity";
import { canEditDeclarations, isCityMember } from "../../lib/roles";
import { AmendmentCard } from "../amendments/AmendmentCard";
import { CommentForm } from "../comments/CommentForm";
import { CommentThread } from "../comments/CommentThread";
import { Feedback } from "../Feedback";

const STEP = 10;

/** What every panel of one reading view is given alike. */
export interface PanelContext {
  declarationId: number;
  version: number;
  me: Me | undefined;
  /** Amendments may be proposed (the head version of a declaration in drafting). */
  canPropose: boolean;
  /** The declaration is past drafting: nothing is amended any more. */
  textFinal: boolean;
  replies: Map<number, Comment[]>;
  whereOf: (key: string | null) => string;
  /** The thread whose quote is highlighted in the text. */
  activeThread: number | null;
  onActiveThread: (id: number | null) => void;
  feedback: string | null;
  onFeedback: (message: string) => void;
  onClose: () => void;
}

/** The paragraph a panel is beside (key null: the start of the text). */
export interface PanelParagraph {
  key: string | null;
  text: string;
  title: string;
  activity: ParagraphActivity | undefined;
}

interface ParagraphPanelProps {
  context: PanelContext;
  paragraph: PanelParagraph;
  /** Words selected in the text: the panel opens writing a comment on them. */
  initialQuote: CommentQuote | null;
  onPropose: (action: AmendmentAction) => void;
}

export function ParagraphPanel({ context, paragraph, initialQuote, onPropose }: ParagraphPanelProps) {
  const {
    declarationId,
    version,
    me,
    canPropose,
    textFinal,
    replies,
    whereOf,
    activeThread,
    onActiveThread,
    feedback,
    onFeedback,
    onClose,
  } = context;
  const { t } = useTranslation();
  const { key: paragraphKey, text: paragraphText, title, activity } = paragraph;
  const heading = useRef<HTMLHeadingElement>(null);
  const [writing, setWriting] = useState(initialQuote !== null);
  const [shownThreads, setShownThreads] = useState(STEP);
  const [shownAmendments, setShownAmendments] = useState(STEP);
  const panelId = `panel-${paragraphKey ?? "start"}`;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const threads = activity?.threads ?? [];
  const openThreads = threads.filter((t) => t.status === "open");
  const resolvedThreads = threads.filter((t) => t.status === "resolved");
  const amendments = activity?.amendments ?? [];
  const openAmendments = amendments.filter((a) => a.open);
  const closedAmendments = amendments.filter((a) => !a.open);
  const member = isCityMember(me);

  return (
    <section
      className="paragraph-panel"
      id={panelId}
      aria-labelledby={`${panelId}-title`}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="panel-head">
        <h3 id={`${panelId}-title`} ref={heading} tabIndex={-1}>
          {title}
        </h3>
        <button type="button" className="button-small" onClick={onClose}>
          {t("common.close")}
          <span className="visually-hidden">{t("reading.panel.closeWhat", { title })}</span>
        </button>
      </div>
      <Feedback message={feedback} />

      {paragraphKey !== null && (
        <section className="panel-section" aria-labelledby={`${panelId}-comments`}>
          <h4 id={`${panelId}-comments`}>
            {t("reading.panel.comments")}{" "}
            <span className="count">({t("reading.panel.openThreads", { count: openThreads.length })})</span>
          </h4>
          {writing ? (
            <CommentForm
              key={initialQuote ? `${initialQuote.start}-${initialQuote.end}` : "paragraph"}
              declarationId={declarationId}
              version={version}
              paragraphKey={paragraphKey}
              paragraphText={paragraphText}
              initialQuote={initialQuote}
              onDone={(message) => {
                setWriting(false);
                onFeedback(message);
              }}
              onCancel={() => setWriting(false)}
            />
          ) : (
            <button type="button" className="button-secondary button-compact" onClick={() => setWriting(true)}>
              {t("reading.panel.commentOnParagraph")}
            </button>
          )}
          {openThreads.length === 0 && !writing && <p className="hint">{t("reading.panel.noComment")}</p>}
          {openThreads.slice(0, shownThreads).map((thread) => (
            <CommentThread
              key={thread.id}
              declarationId={declarationId}
              thread={thread}
              replies={replies.get(thread.id) ?? []}
              me={me}
              active={activeThread === thread.id}
              onFocusQuote={onActiveThread}
              onDone={onFeedback}
              paragraphText={paragraphText}
            />
          ))}
          {openThreads.length > shownThreads && (
            <button type="button" className="button-link" onClick={() => setShownThreads((n) => n + STEP)}>
              {t("reading.panel.moreComments", { count: openThreads.length - shownThreads })}
            </button>
          )}
          {resolvedThreads.length > 0 && (
            <details className="folded">
              <summary>{t("reading.panel.resolved", { count: resolvedThreads.length })}</summary>
              {resolvedThreads.slice(0, shownThreads).map((thread) => (
                <CommentThread
                  key={thread.id}
                  declarationId={declarationId}
                  thread={thread}
                  replies={replies.get(thread.id) ?? []}
                  me={me}
                  onDone={onFeedback}
                />
              ))}
              {resolvedThreads.length > shownThreads && (
                <button type="button" className="button-link" onClick={() => setShownThreads((n) => n + STEP)}>
                  {t("common.showMore")}
                </button>
              )}
            </details>
          )}
        </section>
      )}

      <section className="panel-section" aria-labelledby={`${panelId}-amendments`}>
        <h4 id={`${panelId}-amendments`}>
          {t("reading.panel.amendments")}{" "}
          <span className="count">{t("reading.panel.openAmendments", { count: openAmendments.length })}</span>
        </h4>
        {member && canPropose && (
          <div className="propose-buttons" role="group" aria-label={t("reading.panel.proposeFor", { city: me?.city?.name ?? t("reading.panel.yourCity") })}>
            {paragraphKey !== null && (
              <button type="button" className="button-secondary button-compact" onClick={() => onPropose("modify")}>
                {t("reading.panel.proposeWording")}
              </button>
            )}
            <button type="button" className="button-secondary button-compact" onClick={() => onPropose("insert")}>
              {paragraphKey === null ? t("reading.panel.proposeAtStart") : t("reading.panel.proposeAfter")}
            </button>
            {paragraphKey !== null && (
              <button type="button" className="button-secondary button-compact" onClick={() => onPropose("delete")}>
                {t("reading.panel.proposeDelete")}
              </button>
            )}
          </div>
        )}
        {member && !canPropose && (
          <p className="hint">
            {textFinal ? t("reading.panel.noLongerAmended") : t("reading.panel.onlyHead")}
          </p>
        )}
        {canEditDeclarations(me) && amendments.length > 0 && (
          <p>
            <Link to={`/declarations/${declarationId}/desk?paragraph=${paragraphKey ?? ""}`}>
              {t("reading.panel.decideAtDesk")}
            </Link>
          </p>
        )}
        {openAmendments.length === 0 && <p className="hint">{t("reading.panel.noAmendment")}</p>}
        {openAmendments.slice(0, shownAmendments).map((amendment) => (
          <AmendmentCard
            key={amendment.id}
            amendment={amendment}
            me={me}
            where={whereOf(amendment.paragraph_key)}
            onDone={onFeedback}
          />
        ))}
        {openAmendments.length > shownAmendments && (
          <button type="button" className="button-link" onClick={() => setShownAmendments((n) => n + STEP)}>
            {t("reading.panel.moreAmendments", { count: openAmendments.length - shownAmendments })}
          </button>
        )}
        {closedAmendments.length > 0 && (
          <details className="folded">
            <summary>{t("reading.panel.closed", { count: closedAmendments.length })}</summary>
            {closedAmendments.slice(0, shownAmendments).map((amendment) => (
              <AmendmentCard key={amendment.id} amendment={amendment} me={me} where={whereOf(amendment.paragraph_key)} />
            ))}
            {closedAmendments.length > shownAmendments && (
              <button type="button" className="button-link" onClick={() => setShownAmendments((n) => n + STEP)}>
                {t("common.showMore")}
              </button>
            )}
          </details>
        )}
      </section>
    </section>
  );
}
