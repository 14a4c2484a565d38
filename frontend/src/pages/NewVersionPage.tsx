// A co-facilitator uploads a revised draft: preview the redline against the head, then confirm.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../api/client";
import { refusal, unwrap } from "../api/errors";
import { fetchCanonicalText, keys, useDeclaration, useMe } from "../api/queries";
import type { VersionPreview } from "../api/types";
import { ComparisonView } from "../components/Comparison";
import { DeclarationHeader } from "../components/DeclarationHeader";
import { DraftTextField } from "../components/DraftTextField";
import { ErrorMessage } from "../components/ErrorMessage";
import { PageFailed, PageLoading } from "../components/PageState";
import { positiveInt } from "../lib/params";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";

interface Draft {
  base: number;
  text: string;
  note: string;
}

function isStale(error: unknown): boolean {
  return refusal(error, "stale_base") !== null;
}

export function NewVersionPage() {
  usePageTitle("New version");
  const params = useParams();
  const declarationId = positiveInt(params.declarationId) ?? 0;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const declaration = useDeclaration(declarationId);
  // The version this draft revises: fixed when the page opens, so a newer one is noticed (409).
  const [base, setBase] = useState<number | undefined>(undefined);
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const [textError, setTextError] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<{ draft: Draft; result: VersionPreview } | null>(null);
  const [askReplace, setAskReplace] = useState(false);
  const [loadingBase, setLoadingBase] = useState(false);
  const [baseError, setBaseError] = useState<unknown>(null);
  const previewHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (base === undefined && declaration.data) setBase(declaration.data.head_version);
  }, [base, declaration.data]);

  const send = (draft: Draft, dryRun: boolean) =>
    unwrap(
      api.POST("/api/declarations/{declaration_id}/versions", {
        params: { path: { declaration_id: declarationId } },
        body: { base_version: draft.base, text: draft.text, note: draft.note.trim() || null, dry_run: dryRun },
      }),
    );

  // A stale base: learn the new head at once, so the header and the notice can name it.
  const onError = (error: unknown) => {
    if (isStale(error)) void queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) });
  };

  const check = useMutation({
    mutationFn: (draft: Draft) => send(draft, true).then((result) => ({ draft, result: result as VersionPreview })),
    onSuccess: (answer) => {
      setPreview(answer);
      requestAnimationFrame(() => previewHeading.current?.focus());
    },
    onError,
  });

  const confirm = useMutation({
    mutationFn: (draft: Draft) => send(draft, false),
    onSuccess: async (version) => {
      await queryClient.invalidateQueries({ queryKey: keys.declarations });
      navigate(`/declarations/${declarationId}/versions/${version.number}`);
    },
    onError,
  });

  async function startFromBase(confirmed = false) {
    if (base === undefined) return;
    if (text.trim() && !confirmed) {
      setAskReplace(true);
      return;
    }
    setAskReplace(false);
    setLoadingBase(true);
    setBaseError(null);
    try {
      setText(await (await fetchCanonicalText(declarationId, base)).text());
      setPreview(null);
    } catch (error) {
      setBaseError(error);
    } finally {
      setLoadingBase(false);
    }
  }

  async function reload() {
    const fresh = await declaration.refetch();
    if (fresh.data) setBase(fresh.data.head_version);
    setPreview(null);
    check.reset();
    confirm.reset();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (base === undefined) return;
    if (!text.trim()) {
      setTextError("Paste the revised text or load it from a file.");
      return;
    }
    setTextError(undefined);
    confirm.reset();
    check.mutate({ base, text, note });
  }

  if (declaration.isPending) return <PageLoading what="Loading the declaration" />;
  if (declaration.error) return <PageFailed title="This declaration cannot be shown" error={declaration.error} />;
  const current = declaration.data;

  if (me.data && !canEditDeclarations(me.data)) {
    return (
      <div className="page">
        <DeclarationHeader declaration={current} heading="New version" />
        <p>Only co-facilitators and the secretariat make new versions.</p>
      </div>
    );
  }
  if (current.status !== "drafting") {
    return (
      <div className="page">
        <DeclarationHeader declaration={current} heading="New version" />
        <p>The text is final: no new version can be made.</p>
      </div>
    );
  }

  const stale = isStale(check.error) || isStale(confirm.error);
  const previewIsCurrent = preview !== null && preview.draft.text === text && preview.draft.note === note;

  return (
    <div className="page">
      <DeclarationHeader declaration={current} heading="New version" />
      <p className="lede">
        Upload or paste the revised draft of the whole text. Its paragraphs are matched to version {base}, so
        comments and amendments follow the paragraphs they belong to. You will see the changes before anything
        is saved.
      </p>
      {isStale(check.error) && <StaleNotice head={current.head_version} base={base} onReload={reload} />}
      <form onSubmit={submit} noValidate aria-label="Revised draft" className="panel">
        <DraftTextField
          label={`Revised text (revising version ${base})`}
          value={text}
          onChange={setText}
          error={textError}
          disabled={check.isPending || confirm.isPending}
          actions={
            <button type="button" className="button-quiet-dark" onClick={() => startFromBase()} disabled={loadingBase}>
              {loadingBase ? "Loading…" : `Start from the text of version ${base}`}
            </button>
          }
        />
        {askReplace && (
          <div className="confirm" role="group" aria-label="Replace the text">
            <p className="confirm-question">Replace the text in the box with version {base}? What you wrote there is lost.</p>
            <div className="button-row">
              <button type="button" className="button-primary" onClick={() => startFromBase(true)}>
                Yes, replace it
              </button>
              <button type="button" className="button-secondary" onClick={() => setAskReplace(false)}>
                Cancel
              </button>
            </div>
          </div>
        )}
        <ErrorMessage error={baseError} />
        <div className="field">
          <label htmlFor="version-note">Note (optional)</label>
          <p className="hint" id="version-note-hint">
            What changed and why, in one or two sentences. It is shown in the list of versions.
          </p>
          <input
            id="version-note"
            type="text"
            maxLength={2000}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            aria-describedby="version-note-hint"
            dir="auto"
          />
        </div>
        {!stale && <ErrorMessage error={check.error} />}
        <div className="button-row">
          <button type="submit" className="button-secondary" disabled={check.isPending || confirm.isPending}>
            {check.isPending ? "Comparing…" : "Preview changes"}
          </button>
          <Link to={`/declarations/${declarationId}`} className="button-quiet-dark">
            Cancel
          </Link>
        </div>
      </form>

      {preview && (
        <section className="preview" aria-labelledby="preview-title">
          <h2 id="preview-title" ref={previewHeading} tabIndex={-1}>
            Preview of version {preview.result.number}
          </h2>
          {!previewIsCurrent && (
            <div className="notice" role="status">
              <p>The text or note changed since this preview. Preview again before you save.</p>
            </div>
          )}
          <p className="hint">
            Fingerprint of the new text: <code className="hash">{preview.result.content_hash}</code>
          </p>
          <ComparisonView
            comparison={preview.result.changes}
            fromLabel={`version ${preview.draft.base}`}
            toLabel="the revised draft"
          />
          {isStale(confirm.error) ? (
            <StaleNotice head={current.head_version} base={base} onReload={reload} />
          ) : (
            <ErrorMessage error={confirm.error} />
          )}
          <div className="button-row">
            <button
              type="button"
              className="button-primary"
              disabled={!previewIsCurrent || confirm.isPending || stale}
              onClick={() => confirm.mutate(preview.draft)}
            >
              {confirm.isPending ? "Saving…" : `Save as version ${preview.result.number}`}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}

interface StaleNoticeProps {
  head: number;
  base: number | undefined;
  onReload: () => void;
}

function StaleNotice({ head, base, onReload }: StaleNoticeProps) {
  const newer = base !== undefined && head > base ? ` (version ${head})` : "";
  return (
    <div className="notice notice-error" role="alert">
      <p>
        Someone else made a new version{newer} while you were working. Reload to revise the newest version; your
        text stays in the box. Then check the preview, so as not to undo their changes.
      </p>
      <button type="button" className="button-secondary" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}
