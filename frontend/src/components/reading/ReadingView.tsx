// Reading a version: the text with paragraph numbers in one column, and a margin that shows, per
// paragraph, its open comments and amendments and how contested it is. Selecting words offers to
// comment on them; a paragraph's threads open beside it; amendments are proposed in place.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useAllAmendments, useAllComments } from "../../api/queries";
import type { AmendmentAction, CommentQuote, Declaration, Me, Paragraph, Version } from "../../api/types";
import { activityOf, contestLevel, START, type ParagraphActivity } from "../../lib/activity";
import { paragraphNumbers } from "../../lib/numbering";
import { paragraphIndex } from "../../lib/paragraphIndex";
import { highlightSegments, quoteFromRange } from "../../lib/offsets";
import { isCityMember } from "../../lib/roles";
import { excerpt } from "../../lib/words";
import { CommentThread } from "../comments/CommentThread";
import { ErrorMessage } from "../ErrorMessage";
import { Loading } from "../Loading";
import { ProposeAmendmentForm } from "../amendments/ProposeAmendmentForm";
import { ParagraphPanel, type PanelContext } from "./ParagraphPanel";

interface ReadingViewProps {
  declaration: Declaration;
  version: Version;
  me: Me | undefined;
}

interface Pending {
  key: string;
  quote: CommentQuote;
}

interface Proposing {
  key: string | null;
  action: AmendmentAction;
}

export function ReadingView({ declaration, version, me }: ReadingViewProps) {
  const { t } = useTranslation();
  const declarationId = declaration.id;
  const comments = useAllComments(declarationId, version.number);
  const amendments = useAllAmendments(declarationId);
  const [search, setSearch] = useSearchParams();
  const openKey = search.get("p");
  const [pending, setPending] = useState<Pending | null>(null);
  const [panelQuote, setPanelQuote] = useState<CommentQuote | null>(null);
  const [proposing, setProposing] = useState<Proposing | null>(null);
  const [activeThread, setActiveThread] = useState<number | null>(null);
  const [feedback, setFeedback] = useState<string | null>(null);
  const [goneShown, setGoneShown] = useState(10);
  const textRef = useRef<HTMLDivElement>(null);
  const textFinal = declaration.status !== "drafting";
  const canPropose = !textFinal && version.number === declaration.head_version;

  const paragraphs = version.paragraphs;
  const numbers = useMemo(() => paragraphNumbers(paragraphs), [paragraphs]);
  const { byKey, whereOf, titleOf } = useMemo(() => paragraphIndex(paragraphs), [paragraphs]);
  const activity = useMemo(
    () => activityOf(comments.data ?? [], amendments.data ?? []),
    [comments.data, amendments.data],
  );

  const setOpen = useCallback(
    (key: string | null, quote: CommentQuote | null = null) => {
      setPanelQuote(quote);
      setFeedback(null);
      setSearch(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (key === null) next.delete("p");
          else next.set("p", key === START ? "start" : key);
          return next;
        },
        { replace: true, preventScrollReset: true },
      );
    },
    [setSearch],
  );

  // Words selected in one paragraph's text become the offer to comment on them.
  useEffect(() => {
    function onSelection() {
      const selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      const start = range.startContainer.parentElement?.closest<HTMLElement>("[data-paragraph-key]");
      const end = range.endContainer.parentElement?.closest<HTMLElement>("[data-paragraph-key]");
      if (!start || start !== end || !textRef.current?.contains(start)) {
        setPending(null);
        return;
      }
      const key = start.dataset.paragraphKey ?? "";
      const paragraph = byKey.get(key)?.paragraph;
      if (!paragraph) return;
      const quote = quoteFromRange(start, range, paragraph.text);
      setPending(quote ? { key, quote } : null);
    }
    document.addEventListener("selectionchange", onSelection);
    return () => document.removeEventListener("selectionchange", onSelection);
  }, [byKey]);

  const closePanel = useCallback(() => {
    const key = openKey;
    setOpen(null);
    // Back to the margin button that opened the panel.
    requestAnimationFrame(() => document.getElementById(`margin-${key}`)?.focus());
  }, [openKey, setOpen]);

  const startProposing = (key: string | null, action: AmendmentAction) => {
    setProposing({ key, action });
    // The paragraph being amended stays in view, its proposal under it (the form's own focus
    // would scroll only as far as its first field, leaving the paragraph above the screen).
    if (key !== null) requestAnimationFrame(() => document.getElementById(`p-${key}`)?.scrollIntoView({ block: "start" }));
  };

  const done = (message: string) => setFeedback(message);
  // What every paragraph's panel (and the start-of-text one) is given alike.
  const panel: PanelContext = {
    declarationId,
    version: version.number,
    replies: activity.replies,
    me,
    canPropose,
    textFinal,
    activeThread,
    onActiveThread: setActiveThread,
    onClose: closePanel,
    feedback,
    onFeedback: done,
    whereOf,
  };

  if (paragraphs.length === 0) return <p>{t("reading.text.empty")}</p>;

  const gone = (comments.data ?? []).filter((c) => c.parent_id === null && !byKey.has(c.paragraph_key));
  const startActivity = activity.byParagraph.get(START);
  const loadingWhat = comments.isPending || amendments.isPending;

  return (
    <div className="reading" ref={textRef}>
      {loadingWhat && <Loading what={t("reading.view.loading")} />}
      <ErrorMessage error={comments.error} />
      <ErrorMessage error={amendments.error} />
      {textFinal ? (
        <FinalTextNotice declaration={declaration} version={version} me={me} />
      ) : (
        <p className="hint reading-hint">{isCityMember(me) ? t("reading.view.hintMember") : t("reading.view.hint")}</p>
      )}
      <article className="document reading-document" aria-label={t("reading.text.label", { number: version.number })}>
        {(startActivity || (isCityMember(me) && canPropose)) && (
          <div className={`reading-row reading-start${openKey === "start" ? " is-open" : ""}`}>
            <span className="paragraph-number" aria-hidden="true" />
            <div className="reading-text">
              <p className="hint">{titleOf(null)}</p>
              {proposing?.key === null && me && (
                <ProposeAmendmentForm
                  declarationId={declarationId}
                  baseVersion={version.number}
                  action="insert"
                  paragraphKey={null}
                  paragraphText=""
                  isHeading={false}
                  where={whereOf(null)}
                  me={me}
                  onDone={(message) => {
                    setProposing(null);
                    setOpen(START);
                    done(message);
                  }}
                  onCancel={() => setProposing(null)}
                />
              )}
            </div>
            <div className="reading-margin">
              <MarginButton
                id="margin-start"
                label={whereOf(null)}
                activity={startActivity}
                open={openKey === "start"}
                onToggle={() => (openKey === "start" ? closePanel() : setOpen(START))}
                emptyLabel={t("reading.view.insertAtStart")}
              />
              {openKey === "start" && (
                <ParagraphPanel
                  key="start"
                  context={panel}
                  paragraph={{ key: null, text: "", title: titleOf(null), activity: startActivity }}
                  initialQuote={null}
                  onPropose={(action) => startProposing(null, action)}
                />
              )}
            </div>
          </div>
        )}
        {paragraphs.map((paragraph, index) => {
          const key = paragraph.key;
          const number = numbers[index] ?? null;
          const here = activity.byParagraph.get(key);
          const open = openKey === key;
          const title = titleOf(key);
          const proposingHere = proposing?.key === key ? proposing.action : null;
          return (
            <div key={key} id={`p-${key}`} className={`reading-row${open ? " is-open" : ""}${number === null ? " is-heading" : ""}`}>
              <span className="paragraph-number">{number === null ? "" : `${number}.`}</span>
              <div className="reading-text">
                <ParagraphText
                  paragraph={paragraph}
                  activity={here}
                  activeThread={activeThread}
                  onMarkClick={(id) => {
                    setActiveThread(id);
                    if (!open) setOpen(key);
                  }}
                />
                {/* The proposal under the paragraph it amends, which stays as it reads now. */}
                {proposingHere !== null && me && (
                  <ProposeAmendmentForm
                    declarationId={declarationId}
                    baseVersion={version.number}
                    action={proposingHere}
                    paragraphKey={key}
                    paragraphText={paragraph.text}
                    isHeading={number === null}
                    where={whereOf(key)}
                    me={me}
                    onDone={(message) => {
                      setProposing(null);
                      setOpen(key);
                      done(message);
                    }}
                    onCancel={() => setProposing(null)}
                  />
                )}
              </div>
              <div className="reading-margin">
                <MarginButton
                  id={`margin-${key}`}
                  label={title}
                  activity={here}
                  open={open}
                  onToggle={() => (open ? closePanel() : setOpen(key))}
                  emptyLabel={isCityMember(me) && canPropose ? t("reading.view.commentOrAmend") : t("reading.view.comment")}
                  hiddenWhenQuiet={textFinal}
                />
                {pending?.key === key && !textFinal && (
                  <div className="selection-offer">
                    <button
                      type="button"
                      className="button-small button-small-primary"
                      // Keep the selection while the button is pressed.
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={() => {
                        setOpen(key, pending.quote);
                        setPending(null);
                      }}
                    >
                      {t("reading.view.commentOn", { words: excerpt(pending.quote.exact, 40) })}
                    </button>
                    <button type="button" className="button-small" onClick={() => setPending(null)}>
                      {t("reading.view.dismiss")}
                      <span className="visually-hidden">{t("reading.view.dismissWhat")}</span>
                    </button>
                  </div>
                )}
                {open && (
                  <ParagraphPanel
                    key={`${key}-${panelQuote?.start ?? ""}-${panelQuote?.end ?? ""}`}
                    context={panel}
                    paragraph={{ key, text: paragraph.text, title, activity: here }}
                    initialQuote={panelQuote}
                    onPropose={(action) => startProposing(key, action)}
                  />
                )}
              </div>
            </div>
          );
        })}
      </article>
      {gone.length > 0 && (
        <section className="panel gone-comments" aria-labelledby="gone-title">
          <h2 id="gone-title">{t("reading.view.goneTitle", { number: version.number })}</h2>
          <p className="hint">{t("reading.view.goneHint")}</p>
          {gone.slice(0, goneShown).map((thread) => (
            <CommentThread
              key={thread.id}
              declarationId={declarationId}
              thread={thread}
              replies={activity.replies.get(thread.id) ?? []}
              me={me}
              onDone={done}
            />
          ))}
          {gone.length > goneShown && (
            <button type="button" className="button-link" onClick={() => setGoneShown((n) => n + 10)}>
              {t("common.showMoreCount", { count: gone.length - goneShown })}
            </button>
          )}
        </section>
      )}
    </div>
  );
}

interface ParagraphTextProps {
  paragraph: Paragraph;
  activity: ParagraphActivity | undefined;
  activeThread: number | null;
  onMarkClick: (threadId: number) => void;
}

/** The paragraph's text, the words quoted by open comments highlighted. */
function ParagraphText({ paragraph, activity, activeThread, onMarkClick }: ParagraphTextProps) {
  const ranges = (activity?.threads ?? [])
    .filter((t) => t.status === "open" && t.anchor.state !== "orphaned" && t.anchor.start !== null && t.anchor.end !== null)
    .map((t) => ({ id: t.id, start: t.anchor.start as number, end: t.anchor.end as number }));
  const segments = highlightSegments(paragraph.text, ranges);
  const content = segments.map((segment, index) =>
    segment.marks === 0 ? (
      segment.text
    ) : (
      <mark
        key={index}
        className={`quote-mark${segment.marks > 1 ? " is-overlap" : ""}${activeThread !== null && segment.ids.includes(activeThread) ? " is-active" : ""}`}
        onClick={() => onMarkClick(segment.ids[0] as number)}
      >
        {segment.text}
      </mark>
    ),
  );
  if (paragraph.kind === "heading") {
    return (
      <h2 className="document-heading" dir="auto" data-paragraph-key={paragraph.key}>
        {content}
      </h2>
    );
  }
  return (
    <p className="paragraph-text" dir="auto" data-paragraph-key={paragraph.key}>
      {content}
    </p>
  );
}

interface MarginButtonProps {
  id: string;
  label: string;
  activity: ParagraphActivity | undefined;
  open: boolean;
  onToggle: () => void;
  emptyLabel: string;
  /** A margin with nothing in it offers nothing (the final text invites no comment). */
  hiddenWhenQuiet?: boolean;
}

/** The margin of a paragraph: counts and the contest gauge, as one button opening its panel. */
function MarginButton({ id, label, activity, open, onToggle, emptyLabel, hiddenWhenQuiet = false }: MarginButtonProps) {
  const { t } = useTranslation();
  const comments = activity?.openThreads ?? 0;
  const amendments = activity?.openAmendments ?? 0;
  const contest = contestLevel(activity?.cities ?? 0);
  const quiet = comments === 0 && amendments === 0;
  if (quiet && hiddenWhenQuiet && !open) return null;
  return (
    <button
      type="button"
      id={id}
      className={`margin-button${quiet ? " is-quiet" : ""}${open ? " is-open" : ""}`}
      aria-expanded={open}
      onClick={onToggle}
    >
      <span className="visually-hidden">{label}: </span>
      {quiet ? (
        <span className="margin-empty">{emptyLabel}</span>
      ) : (
        <>
          {comments > 0 && <span className="margin-count margin-comments">{t("reading.view.comments", { count: comments })}</span>}
          {amendments > 0 && <span className="margin-count margin-amendments">{t("reading.view.amendments", { count: amendments })}</span>}
          {contest.level > 0 && (
            <span className={`contest contest-${contest.level}`}>
              <span className="gauge" aria-hidden="true">
                <span />
                <span />
                <span />
              </span>
              <span className="contest-words">{contest.words}</span>
            </span>
          )}
        </>
      )}
    </button>
  );
}

/** Past drafting the reading view says the text is final and points to where it is signed. */
function FinalTextNotice({ declaration, version, me }: { declaration: Declaration; version: Version; me: Me | undefined }) {
  const { t } = useTranslation();
  const endorsement = `/declarations/${declaration.id}/endorsement`;
  const isFinal = version.number === declaration.final_version;
  const mayorSigns = declaration.status === "open" && me?.role === "mayor" && !!me.city;
  return (
    <div className="notice final-notice" role="note">
      <p>
        {isFinal
          ? t("reading.view.isFinal", { number: version.number })
          : t("reading.view.textFinal", { number: declaration.final_version })}{" "}
        {mayorSigns ? (
          <Link className="button-primary button-compact" to={endorsement}>
            <span>
              <Trans i18nKey="reading.view.readAndSign" components={{ city: <bdi>{me.city?.name}</bdi> }} />
            </span>
          </Link>
        ) : (
          <Link to={endorsement}>{declaration.status === "final" ? t("reading.view.finalAndEndorsement") : t("reading.view.finalAndSignatures")}</Link>
        )}
      </p>
    </div>
  );
}
