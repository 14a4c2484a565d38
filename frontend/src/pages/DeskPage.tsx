// The co-facilitators' desk: amendments filtered by paragraph, status and city, each with its
// redline, supporters, rationale and effect on the head; decisions with a note; and the next
// version: chosen accepted amendments plus compromise edits, previewed (dry run), then saved.
import { useMemo, useState, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { fetchCompilation } from "../api/documents";
import { useDeclaration, useMe, useVersion } from "../api/queries";
import { DeclarationHeader } from "../components/DeclarationHeader";
import { DownloadButton } from "../components/documents/DownloadButton";
import { ErrorMessage } from "../components/ErrorMessage";
import { Feedback } from "../components/Feedback";
import { PageFailed, PageLoading } from "../components/PageState";
import { AmendmentList } from "../components/desk/AmendmentList";
import { ConflictReport } from "../components/desk/ConflictReport";
import { DeskStage } from "../components/desk/DeskStage";
import { NextVersionPanel } from "../components/desk/NextVersionPanel";
import { NextVersionPreview } from "../components/desk/NextVersionPreview";
import { useNextVersion } from "../components/desk/useNextVersion";
import { paragraphIndex } from "../lib/paragraphIndex";
import { positiveInt } from "../lib/params";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";

/** To the next version's panel: scrolled to, and its heading focused, as a link to it promises. */
function jumpToMerge(event: MouseEvent<HTMLAnchorElement>) {
  const target = document.getElementById("merge-title");
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
}

export function DeskPage() {
  const { t } = useTranslation();
  usePageTitle(t("desk.title"));
  const params = useParams();
  const declarationId = positiveInt(params.declarationId) ?? 0;
  const me = useMe();
  const declaration = useDeclaration(declarationId);
  const headVersion = useVersion(declarationId, declaration.data?.head_version);
  const [feedback, setFeedback] = useState<string | null>(null);
  const next = useNextVersion(declarationId, setFeedback);
  const headParagraphs = headVersion.data?.paragraphs ?? [];
  const index = useMemo(() => paragraphIndex(headVersion.data?.paragraphs ?? []), [headVersion.data]);

  if (declaration.isPending) return <PageLoading what={t("desk.loadingDeclaration")} />;
  if (declaration.error) return <PageFailed title={t("desk.cannotShow")} error={declaration.error} />;
  const current = declaration.data;
  if (me.data && !canEditDeclarations(me.data)) {
    return (
      <div className="page">
        <DeclarationHeader declaration={current} heading={t("desk.title")} />
        <p>{t("desk.onlyEditors")}</p>
      </div>
    );
  }
  const drafting = current.status === "drafting";

  return (
    <div className="page">
      <DeclarationHeader declaration={current} heading={t("desk.title")} />
      <Feedback message={feedback} />
      <DeskStage declaration={current} onDone={setFeedback} />
      {drafting && (
        // On a narrow screen the next version's panel comes after every card: a way straight to it.
        <nav className="desk-jump" aria-label={t("desk.jump.label")}>
          <a href="#merge-title" onClick={jumpToMerge}>
            {next.edits.length > 0
              ? t("desk.jump.toNextWithEdits", { count: next.chosen.size, edits: next.edits.length })
              : t("desk.jump.toNext", { count: next.chosen.size })}
          </a>
        </nav>
      )}
      {!drafting && (
        <div className="notice" role="note">
          <p>{t("desk.final")}</p>
        </div>
      )}
      <div className="button-row">
        <DownloadButton
          label={t("desk.compilation.download")}
          filename={`declaration-${declarationId}-compilation-v${current.head_version}.docx`}
          fetch={() => fetchCompilation(declarationId)}
        />
      </div>
      <p className="hint">{t("desk.compilation.hint")}</p>
      <div className="desk-layout">
        <AmendmentList
          declarationId={declarationId}
          me={me.data}
          headParagraphs={headParagraphs}
          index={index}
          drafting={drafting}
          chosen={next.chosen}
          onChoose={next.choose}
        />
        {drafting && <NextVersionPanel next={next} headParagraphs={headParagraphs} index={index} />}
      </div>

      {next.conflicts && next.head !== undefined && (
        <ConflictReport
          conflicts={next.conflicts}
          head={next.head}
          whereOf={index.whereOf}
          cityOf={(id) => next.amendments.find((a) => a.id === id)?.city.name}
          rejecting={next.rejecting}
          onRemove={next.leaveOut}
          onReject={next.reject}
          onCompromise={next.compromise}
        />
      )}
      <ErrorMessage error={next.decideError} />
      <NextVersionPreview declarationId={declarationId} next={next} whereOf={index.whereOf} />
    </div>
  );
}
