// The next version as the desk builds it: the accepted amendments chosen, the direct edits
// (compromise wordings), the note; its preview (a dry run) and its saving; and what a refused
// merge leaves to do (leave an amendment out, reject it, or write a compromise of it).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { refusal } from "../../api/errors";
import { asPreview, sendVersion, useDecide } from "../../api/mutations";
import { keys, useAllAmendments, useDeclaration } from "../../api/queries";
import type { Amendment, Edit, MergeConflict, VersionCreate, VersionPreview } from "../../api/types";
import type { CompromiseStart } from "./ConflictReport";
import type { EditSeed } from "./EditBuilder";
import type { SavedVersion } from "./SavedVersionNotice";

export interface DraftEdit extends Edit {
  id: number;
  /** The head text the edit was written against, to show its redline. */
  before: string;
  /** The accepted amendment this edit is a compromise wording of: merged with it. */
  reconciles?: number;
}

export interface Preview {
  request: VersionCreate;
  result: VersionPreview;
}

export function conflictsOf(error: unknown): MergeConflict[] | null {
  return refusal(error, "conflict")?.conflicts ?? null;
}

export function isStale(error: unknown): boolean {
  return refusal(error, "stale_base") !== null;
}

export function useNextVersion(declarationId: number, onFeedback: (message: string) => void) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const declaration = useDeclaration(declarationId);
  const head = declaration.data?.head_version;
  const all = useAllAmendments(declarationId);
  const decide = useDecide(declarationId);

  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [edits, setEdits] = useState<DraftEdit[]>([]);
  const [note, setNote] = useState("");
  const [editSeed, setEditSeed] = useState<EditSeed | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [rejecting, setRejecting] = useState<number | null>(null);
  const editorRef = useRef<HTMLDivElement>(null);

  const amendments: Amendment[] = all.data ?? [];
  const accepted = amendments.filter((a) => a.status === "accepted");
  // Those a compromise edit reconciles are merged with it, not as written.
  const reconciled = new Set(edits.flatMap((edit) => (edit.reconciles ? [edit.reconciles] : [])));
  const choosable = accepted.filter((a) => !reconciled.has(a.id));
  const chosenInOrder = [...chosen].sort((a, b) => a - b);

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
          amendments: chosenInOrder,
          edits: edits.map(({ action, paragraph_key, text }) => ({ action, paragraph_key, text })),
          reconciled: [...reconciled],
          note: note.trim() || null,
          dry_run: false,
        };

  const check = useMutation({
    mutationFn: (body: VersionCreate) =>
      sendVersion(declarationId, { ...body, dry_run: true }).then((result) => ({ request: body, result: asPreview(result) })),
    onSuccess: setPreview,
    onError: (error) => {
      setPreview(null);
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) });
      if (conflictsOf(error)) requestAnimationFrame(() => document.getElementById("conflicts-title")?.focus());
    },
  });

  const save = useMutation({
    mutationFn: (body: VersionCreate) => sendVersion(declarationId, { ...body, dry_run: false }),
    onSuccess: async (version, body) => {
      await queryClient.invalidateQueries({ queryKey: keys.declarations });
      const saved: SavedVersion = {
        savedVersion: version.number,
        amendments: version.merged_amendments.length,
        edits: body.edits?.length ?? 0,
      };
      // The new version's page, from its top, saying it was saved (SavedVersionNotice).
      navigate(`/declarations/${declarationId}/versions/${version.number}`, { state: saved });
      window.scrollTo(0, 0);
    },
    onError: (error) => {
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) });
    },
  });

  function choose(id: number, yes: boolean) {
    setChosen((current) => {
      const next = new Set(current);
      if (yes) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function forgetOutcome() {
    check.reset();
    save.reset();
  }

  function leaveOut(id: number) {
    choose(id, false);
    forgetOutcome();
    onFeedback(t("desk.feedback.leftOut", { id }));
  }

  function reject(id: number) {
    setRejecting(id);
    decide.mutate(
      { id, decision: "reject", note: t("desk.feedback.rejectNote") },
      {
        onSuccess: () => {
          choose(id, false);
          onFeedback(t("desk.card.done.reject", { id }));
          check.reset();
        },
        onSettled: () => setRejecting(null),
      },
    );
  }

  /** A direct edit of the paragraph in place of the amendment, started from the wording chosen. */
  function compromise(id: number, key: string, start: CompromiseStart) {
    choose(id, false);
    forgetOutcome();
    setEditSeed({ key, text: start.text, from: start.from, amendmentId: id, serial: Date.now() });
    requestAnimationFrame(() => {
      editorRef.current?.scrollIntoView({ block: "start" });
      editorRef.current?.querySelector("textarea")?.focus();
    });
  }

  function addEdit(edit: Omit<DraftEdit, "id">) {
    setEdits((list) => [...list, { ...edit, id: Date.now() + Math.random() }]);
    onFeedback(t("desk.feedback.editAdded"));
  }

  async function reload() {
    const fresh = await declaration.refetch();
    if (fresh.data) {
      setPreview(null);
      forgetOutcome();
      onFeedback(t("desk.feedback.reloaded", { number: fresh.data.head_version }));
    }
  }

  return {
    head,
    amendments,
    chosen,
    chosenInOrder,
    choosable,
    edits,
    note,
    editSeed,
    editorRef,
    request,
    preview,
    previewIsCurrent: preview !== null && request !== null && JSON.stringify(preview.request) === JSON.stringify(request),
    check,
    save,
    conflicts: conflictsOf(check.error) ?? conflictsOf(save.error),
    stale: isStale(check.error) || isStale(save.error),
    rejecting,
    decideError: decide.error,
    choose,
    chooseAll: () => setChosen(new Set(choosable.map((a) => a.id))),
    addEdit,
    removeEdit: (id: number) => setEdits((list) => list.filter((e) => e.id !== id)),
    setNote,
    leaveOut,
    reject,
    compromise,
    reload,
  };
}

export type NextVersion = ReturnType<typeof useNextVersion>;
