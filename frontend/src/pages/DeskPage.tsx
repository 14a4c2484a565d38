// The co-facilitators' desk: amendments filtered by paragraph, status and city, each with its
// redline, supporters, rationale and effect on the head; decisions with a note; and the next
// version: chosen accepted amendments plus compromise edits, previewed (dry run), then saved.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { fetchCompilation } from "../api/documents";
import { refusal } from "../api/errors";
import { asPreview, sendVersion, useDecide } from "../api/mutations";
import {
  keys,
  useAllAmendments,
  useAmendmentPage,
  useDeclaration,
  useMe,
  useVersion,
  type AmendmentFilters,
} from "../api/queries";
import type { AmendmentStatus, Edit, MergeConflict, VersionCreate, VersionPreview } from "../api/types";
import { ComparisonView } from "../components/Comparison";
import { DeclarationHeader } from "../components/DeclarationHeader";
import { DownloadButton } from "../components/documents/DownloadButton";
import { ErrorMessage } from "../components/ErrorMessage";
import { Feedback } from "../components/Feedback";
import { Loading } from "../components/Loading";
import { PageFailed, PageLoading } from "../components/PageState";
import { Redline } from "../components/Redline";
import { TrackedChangeEditor } from "../components/TrackedChangeEditor";
import { ConflictReport } from "../components/desk/ConflictReport";
import { DeskAmendment } from "../components/desk/DeskAmendment";
import { paragraphIndex } from "../lib/paragraphIndex";
import { positiveInt } from "../lib/params";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";
import { wordDiff } from "../lib/wordDiff";
import { amendmentStatuses, amendmentStatusInWords, excerpt, plural } from "../lib/words";

const DESK_PAGE = 20;

interface DraftEdit extends Edit {
  id: number;
  /** The head text the edit was written against, to show its redline. */
  before: string;
  /** The accepted amendment this edit is a compromise wording of: merged with it. */
  reconciles?: number;
}

function conflictsOf(error: unknown): MergeConflict[] | null {
  return refusal(error, "conflict")?.conflicts ?? null;
}

function isStale(error: unknown): boolean {
  return refusal(error, "stale_base") !== null;
}

export function DeskPage() {
  usePageTitle("Co-facilitators’ desk");
  const params = useParams();
  const declarationId = positiveInt(params.declarationId) ?? 0;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const me = useMe();
  const declaration = useDeclaration(declarationId);
  const head = declaration.data?.head_version;
  const headVersion = useVersion(declarationId, head);
  const all = useAllAmendments(declarationId);

  const statusParam = search.get("status");
  const filters: AmendmentFilters = {
    status: statusParam === "all" ? undefined : ((statusParam as AmendmentStatus | null) ?? "proposed"),
    paragraph_key: search.get("paragraph") || undefined,
    city_id: positiveInt(search.get("city")),
  };
  const offset = Math.max(0, Number.parseInt(search.get("offset") ?? "0", 10) || 0);
  const page = useAmendmentPage(declarationId, filters, offset, DESK_PAGE);

  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [edits, setEdits] = useState<DraftEdit[]>([]);
  const [note, setNote] = useState("");
  const [feedback, setFeedback] = useState<string | null>(null);
  const [editSeed, setEditSeed] = useState<EditSeed | null>(null);
  const [preview, setPreview] = useState<{ request: VersionCreate; result: VersionPreview } | null>(null);
  const [rejecting, setRejecting] = useState<number | null>(null);
  const [whole, setWhole] = useState(false);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const editorRef = useRef<HTMLDivElement>(null);
  const decide = useDecide(declarationId);

  const index = useMemo(() => paragraphIndex(headVersion.data?.paragraphs ?? []), [headVersion.data]);
  const accepted = (all.data ?? []).filter((a) => a.status === "accepted");
  // Those a compromise edit reconciles are merged with it, not as written.
  const reconciled = new Set(edits.flatMap((edit) => (edit.reconciles ? [edit.reconciles] : [])));
  const choosable = accepted.filter((a) => !reconciled.has(a.id));
  const cities = useMemo(() => {
    const seen = new Map<number, { id: number; name: string; country: string }>();
    for (const a of all.data ?? []) seen.set(a.city.id, a.city);
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [all.data]);

  // An amendment that is no longer accepted cannot be merged: drop it from the choice.
  useEffect(() => {
    if (!all.data) return;
    const stillAccepted = new Set(all.data.filter((a) => a.status === "accepted").map((a) => a.id));
    setChosen((current) => {
      const kept = [...current].filter((id) => stillAccepted.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [all.data]);

  const request: VersionCreate | null =
    head === undefined
      ? null
      : {
          base_version: head,
          amendments: [...chosen].sort((a, b) => a - b),
          edits: edits.map(({ action, paragraph_key, text }) => ({ action, paragraph_key, text })),
          reconciled: [...reconciled],
          note: note.trim() || null,
          dry_run: false,
        };

  const check = useMutation({
    mutationFn: (body: VersionCreate) =>
      sendVersion(declarationId, { ...body, dry_run: true }).then((result) => ({ request: body, result: asPreview(result) })),
    onSuccess: (answer) => {
      setPreview(answer);
      requestAnimationFrame(() => previewHeading.current?.focus());
    },
    onError: (error) => {
      setPreview(null);
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) });
      if (conflictsOf(error)) requestAnimationFrame(() => document.getElementById("conflicts-title")?.focus());
    },
  });

  const save = useMutation({
    mutationFn: (body: VersionCreate) => sendVersion(declarationId, { ...body, dry_run: false }),
    onSuccess: async (version) => {
      await queryClient.invalidateQueries({ queryKey: keys.declarations });
      navigate(`/declarations/${declarationId}/versions/${version.number}`);
    },
    onError: (error) => {
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) });
    },
  });

  function setFilter(next: Record<string, string | undefined>) {
    const merged = new URLSearchParams(search);
    for (const [name, value] of Object.entries(next)) {
      if (value) merged.set(name, value);
      else merged.delete(name);
    }
    merged.delete("offset");
    setSearch(merged);
  }

  function goTo(nextOffset: number) {
    const merged = new URLSearchParams(search);
    if (nextOffset > 0) merged.set("offset", String(nextOffset));
    else merged.delete("offset");
    setSearch(merged);
  }

  function choose(id: number, yes: boolean) {
    setChosen((current) => {
      const next = new Set(current);
      if (yes) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function reject(id: number) {
    setRejecting(id);
    decide.mutate(
      { id, decision: "reject", note: "Rejected: it conflicts with the text or another amendment." },
      {
        onSuccess: () => {
          choose(id, false);
          setFeedback(`Amendment ${id} was rejected.`);
          check.reset();
        },
        onSettled: () => setRejecting(null),
      },
    );
  }

  async function reload() {
    const fresh = await declaration.refetch();
    if (fresh.data) {
      setPreview(null);
      check.reset();
      save.reset();
      setFeedback(`Reloaded: the current version is ${fresh.data.head_version}. Check your edits against it.`);
    }
  }

  if (declaration.isPending) return <PageLoading what="Loading the declaration" />;
  if (declaration.error) return <PageFailed title="This declaration cannot be shown" error={declaration.error} />;
  const current = declaration.data;
  if (me.data && !canEditDeclarations(me.data)) {
    return (
      <div className="page">
        <DeclarationHeader declaration={current} heading="Co-facilitators’ desk" />
        <p>Only co-facilitators and the secretariat decide on amendments.</p>
      </div>
    );
  }

  const drafting = current.status === "drafting";
  const conflicts = conflictsOf(check.error) ?? conflictsOf(save.error);
  const stale = isStale(check.error) || isStale(save.error);
  const previewIsCurrent = preview !== null && request !== null && JSON.stringify(preview.request) === JSON.stringify(request);
  const items = page.data?.items ?? [];
  const chosenByParagraph = new Map<string | null, number[]>();
  for (const id of [...chosen].sort((a, b) => a - b)) {
    const key = all.data?.find((a) => a.id === id)?.paragraph_key ?? null;
    chosenByParagraph.set(key, [...(chosenByParagraph.get(key) ?? []), id]);
  }
  const total = page.data?.total ?? 0;

  return (
    <div className="page">
      <DeclarationHeader declaration={current} heading="Co-facilitators’ desk" />
      <Feedback message={feedback} />
      {!drafting && (
        <div className="notice" role="note">
          <p>The text is final: amendments can no longer be decided or merged.</p>
        </div>
      )}
      <div className="button-row">
        <DownloadButton
          label="Download the compilation text (Word)"
          filename={`declaration-${declarationId}-compilation-v${current.head_version}.docx`}
          fetch={() => fetchCompilation(declarationId)}
        />
      </div>
      <p className="hint">
        The current version with every open amendment as a tracked change by its city, each rationale and comment as a
        Word comment, and rewrites that compete for the same words as alternatives after their paragraph.
      </p>
      <div className="desk-layout">
        <section className="desk-main" aria-labelledby="desk-list-title">
          <h2 id="desk-list-title">Amendments</h2>
          <DeskFilters
            key={search.toString()}
            status={statusParam ?? "proposed"}
            paragraph={filters.paragraph_key ?? ""}
            city={filters.city_id ? String(filters.city_id) : ""}
            paragraphs={headVersion.data?.paragraphs.map((p) => ({ key: p.key, label: `${index.titleOf(p.key)}: ${excerpt(p.text, 50)}` })) ?? []}
            cities={cities}
            onApply={(next) => setFilter(next)}
          />
          {page.isPending && <Loading what="Loading amendments" />}
          <ErrorMessage error={page.error} />
          {page.data && (
            <p className="hint" role="status">
              {total === 0
                ? "No amendment matches these filters."
                : `${plural(total, "amendment")}${filters.status ? ` ${amendmentStatusInWords(filters.status).toLowerCase()}` : ""}; showing ${offset + 1}–${offset + items.length}.`}
            </p>
          )}
          {items.map((amendment) => (
            <DeskAmendment
              key={amendment.id}
              amendment={amendment}
              me={me.data}
              where={index.whereOf(amendment.paragraph_key)}
              chosen={chosen.has(amendment.id)}
              onChoose={(yes) => choose(amendment.id, yes)}
              onDone={setFeedback}
              drafting={drafting}
            />
          ))}
          {total > items.length && (
            <nav className="pager" aria-label="Pages of amendments">
              <button
                type="button"
                className="button-secondary"
                disabled={offset === 0}
                onClick={() => goTo(Math.max(0, offset - DESK_PAGE))}
              >
                Previous
              </button>
              <p>
                {offset + 1}–{offset + items.length} of {total}
              </p>
              <button
                type="button"
                className="button-secondary"
                disabled={offset + items.length >= total}
                onClick={() => goTo(offset + DESK_PAGE)}
              >
                Next
              </button>
            </nav>
          )}
        </section>

        {drafting && (
          <section className="desk-merge panel" aria-labelledby="merge-title">
            <h2 id="merge-title">Next version ({head !== undefined ? head + 1 : "…"})</h2>
            <p className="hint">Made from version {head}: the accepted amendments you choose, then your direct edits.</p>
            <h3 className="merge-subtitle">Amendments to merge</h3>
            {chosen.size === 0 ? (
              <p className="hint">None chosen. Tick “Merge into the next version” on accepted amendments.</p>
            ) : (
              <ul className="chosen-list">
                {[...chosen]
                  .sort((a, b) => a - b)
                  .map((id) => {
                    const amendment = all.data?.find((a) => a.id === id);
                    return (
                      <li key={id}>
                        <span>
                          Amendment {id}
                          {amendment && (
                            <>
                              {" "}
                              · {index.whereOf(amendment.paragraph_key)} · <bdi>{amendment.city.name}</bdi>
                            </>
                          )}
                        </span>
                        <button type="button" className="button-link" onClick={() => choose(id, false)}>
                          Remove<span className="visually-hidden"> amendment {id}</span>
                        </button>
                      </li>
                    );
                  })}
              </ul>
            )}
            {choosable.length > 0 && choosable.some((a) => !chosen.has(a.id)) && (
              <button
                type="button"
                className="button-small"
                onClick={() => setChosen(new Set(choosable.map((a) => a.id)))}
              >
                Choose all {plural(choosable.length, "accepted amendment")}
              </button>
            )}

            <h3 className="merge-subtitle">Direct edits (compromise wording)</h3>
            {edits.length === 0 && <p className="hint">None.</p>}
            <ol className="edit-list">
              {edits.map((edit) => (
                <li key={edit.id}>
                  <p className="edit-where">
                    {edit.action === "modify" ? "New wording of " : edit.action === "insert" ? "New paragraph after " : "Delete "}
                    {index.whereOf(edit.paragraph_key ?? null)}
                  </p>
                  {edit.reconciles && (
                    <p className="hint">Compromise wording of amendment {edit.reconciles}: it is marked merged with this version.</p>
                  )}
                  <p className="redline amendment-redline" dir="auto">
                    <Redline
                      diff={
                        edit.action === "delete"
                          ? [["delete", edit.before]]
                          : wordDiff(edit.action === "modify" ? edit.before : "", edit.text ?? "")
                      }
                    />
                  </p>
                  <button
                    type="button"
                    className="button-link"
                    onClick={() => setEdits((list) => list.filter((e) => e.id !== edit.id))}
                  >
                    Remove this edit
                  </button>
                </li>
              ))}
            </ol>
            <div ref={editorRef} className="edit-builder-slot">
              <EditBuilder
                key={editSeed?.serial ?? 0}
                paragraphs={headVersion.data?.paragraphs ?? []}
                titleOf={index.titleOf}
                seed={editSeed}
                onAdd={(edit) => {
                  setEdits((list) => [...list, { ...edit, id: Date.now() + Math.random() }]);
                  setFeedback("The edit was added to the next version.");
                }}
              />
            </div>

            <div className="field">
              <label htmlFor="merge-note">Note for the version list (optional)</label>
              <input
                id="merge-note"
                type="text"
                value={note}
                maxLength={2000}
                dir="auto"
                onChange={(event) => setNote(event.target.value)}
              />
            </div>
            {stale && (
              <div className="notice notice-error" role="alert">
                <p>
                  Someone else made a new version (now version {current.head_version}) while you were working. Reload to
                  build on it; your choices and edits are kept, but check them against the new text.
                </p>
                <button type="button" className="button-secondary" onClick={reload}>
                  Reload
                </button>
              </div>
            )}
            {!stale && !conflicts && <ErrorMessage error={check.error} />}
            <button
              type="button"
              className="button-primary"
              disabled={!request || check.isPending || (chosen.size === 0 && edits.length === 0)}
              onClick={() => request && check.mutate(request)}
            >
              {check.isPending ? "Merging…" : "Preview the new version"}
            </button>
          </section>
        )}
      </div>

      {conflicts && head !== undefined && (
        <ConflictReport
          conflicts={conflicts}
          head={head}
          headParagraphs={headVersion.data?.paragraphs ?? []}
          whereOf={index.whereOf}
          rejecting={rejecting}
          chosenByParagraph={chosenByParagraph}
          onRemove={(id) => {
            choose(id, false);
            check.reset();
            save.reset();
            setFeedback(`Amendment ${id} was left out of the merge. Preview again.`);
          }}
          onReject={reject}
          onCompromise={(id, key) => {
            const amendment = all.data?.find((a) => a.id === id);
            choose(id, false);
            check.reset();
            save.reset();
            setEditSeed({
              key,
              text: amendment?.text ?? index.byKey.get(key)?.paragraph.text ?? "",
              amendmentId: id,
              serial: Date.now(),
            });
            requestAnimationFrame(() => {
              editorRef.current?.scrollIntoView({ block: "start" });
              editorRef.current?.querySelector("textarea")?.focus();
            });
          }}
        />
      )}
      <ErrorMessage error={decide.error} />

      {preview && (
        <section className="preview" aria-labelledby="preview-title">
          <h2 id="preview-title" ref={previewHeading} tabIndex={-1}>
            Preview of version {preview.result.number}
          </h2>
          {!previewIsCurrent && (
            <div className="notice" role="status">
              <p>The choice of amendments, the edits or the note changed since this preview. Preview again before you save.</p>
            </div>
          )}
          <p className="hint">
            Merges {plural(preview.result.merged_amendments.length, "amendment")} and {plural(edits.length, "direct edit")}.
            Fingerprint of the new text: <code className="hash">{preview.result.content_hash}</code>
          </p>
          <div className="field field-check">
            <input id="preview-whole" type="checkbox" checked={whole} onChange={(event) => setWhole(event.target.checked)} />
            <label htmlFor="preview-whole">Show the whole new text, unchanged paragraphs included</label>
          </div>
          <ComparisonView
            comparison={preview.result.changes}
            fromLabel={`version ${preview.request.base_version}`}
            toLabel="the new version"
            whole={whole}
          />
          {isStale(save.error) ? null : !conflictsOf(save.error) && <ErrorMessage error={save.error} />}
          <div className="button-row">
            <button
              type="button"
              className="button-primary"
              disabled={!previewIsCurrent || save.isPending || stale}
              onClick={() => save.mutate(preview.request)}
            >
              {save.isPending ? "Saving…" : `Save as version ${preview.result.number}`}
            </button>
            <Link className="button-quiet-dark" to={`/declarations/${declarationId}`}>
              Back to the text
            </Link>
          </div>
        </section>
      )}
    </div>
  );
}

interface DeskFiltersProps {
  status: string;
  paragraph: string;
  city: string;
  paragraphs: { key: string; label: string }[];
  cities: { id: number; name: string; country: string }[];
  onApply: (filters: Record<string, string | undefined>) => void;
}

function DeskFilters({ status, paragraph, city, paragraphs, cities, onApply }: DeskFiltersProps) {
  const [s, setS] = useState(status);
  const [p, setP] = useState(paragraph);
  const [c, setC] = useState(city);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ status: s === "proposed" ? undefined : s, paragraph: p || undefined, city: c || undefined });
  }
  return (
    <form className="toolbar desk-filters" onSubmit={submit} aria-label="Filter amendments">
      <div className="field field-inline">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" value={s} onChange={(event) => setS(event.target.value)}>
          <option value="all">All</option>
          {amendmentStatuses.map((status) => (
            <option key={status} value={status}>
              {amendmentStatusInWords(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="filter-paragraph">Paragraph</label>
        <select id="filter-paragraph" value={p} onChange={(event) => setP(event.target.value)}>
          <option value="">All paragraphs</option>
          {paragraphs.map((option) => (
            <option key={option.key} value={option.key}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="filter-city">City</label>
        <select id="filter-city" value={c} onChange={(event) => setC(event.target.value)}>
          <option value="">All cities</option>
          {cities.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name} ({option.country})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button-secondary">
        Filter
      </button>
    </form>
  );
}

/** A direct edit started from an amendment's text: a compromise wording of it. */
interface EditSeed {
  key: string;
  text: string;
  amendmentId: number;
  serial: number;
}

interface EditBuilderProps {
  paragraphs: readonly { key: string; kind: "heading" | "paragraph"; text: string }[];
  titleOf: (key: string | null) => string;
  seed: EditSeed | null;
  onAdd: (edit: Omit<DraftEdit, "id">) => void;
}

/** Write a direct edit: new wording of a paragraph (tracked live), a new paragraph, a deletion. */
function EditBuilder({ paragraphs, titleOf, seed, onAdd }: EditBuilderProps) {
  const [open, setOpen] = useState(seed !== null);
  const [key, setKey] = useState(seed?.key ?? paragraphs[0]?.key ?? "");
  const [action, setAction] = useState<"modify" | "insert" | "delete">("modify");
  const original = paragraphs.find((p) => p.key === key)?.text ?? "";
  const [text, setText] = useState(seed?.text ?? original);
  const [error, setError] = useState<string | undefined>(undefined);

  if (!open) {
    return (
      <button type="button" className="button-small" onClick={() => setOpen(true)}>
        Add a direct edit
      </button>
    );
  }

  function add() {
    if (action !== "delete" && !text.trim()) return setError("Write the text.");
    if (action === "modify" && text.trim() === original.trim()) return setError("Change the text first.");
    setError(undefined);
    // Still about the amendment's paragraph: the edit reconciles that amendment.
    const reconciles = seed && key === seed.key ? seed.amendmentId : undefined;
    onAdd({ action, paragraph_key: key, text: action === "delete" ? null : text, before: original, reconciles });
    setOpen(false);
  }

  return (
    <fieldset className="edit-builder">
      <legend>Direct edit</legend>
      {seed && <p className="hint">Compromise wording: start from the amendment’s text and reconcile it with the current text.</p>}
      <div className="field">
        <label htmlFor="edit-paragraph">Paragraph</label>
        <select
          id="edit-paragraph"
          value={key}
          onChange={(event) => {
            setKey(event.target.value);
            const next = paragraphs.find((p) => p.key === event.target.value)?.text ?? "";
            setText(action === "modify" ? next : "");
          }}
        >
          {paragraphs.map((p) => (
            <option key={p.key} value={p.key}>
              {titleOf(p.key)}: {excerpt(p.text, 40)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="edit-action">Change</label>
        <select
          id="edit-action"
          value={action}
          onChange={(event) => {
            const next = event.target.value as "modify" | "insert" | "delete";
            setAction(next);
            setText(next === "modify" ? original : "");
          }}
        >
          <option value="modify">New wording</option>
          <option value="insert">New paragraph after it</option>
          <option value="delete">Delete it</option>
        </select>
      </div>
      {action === "delete" ? (
        <p className="redline amendment-redline" dir="auto">
          <Redline diff={[["delete", original]]} />
        </p>
      ) : (
        <TrackedChangeEditor
          original={action === "modify" ? original : ""}
          value={text}
          onChange={setText}
          label={action === "modify" ? "New wording" : "Text of the new paragraph"}
          error={error}
          rows={5}
        />
      )}
      <div className="button-row button-row-tight">
        <button type="button" className="button-small button-small-primary" onClick={add}>
          Add this edit
        </button>
        <button type="button" className="button-small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
