// Writing through the API: one hook per move, each refreshing what it changed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, multipart } from "./client";
import { unwrap } from "./errors";
import { keys } from "./queries";
import type {
  AmendmentAction,
  CommentQuote,
  DecisionKind,
  Supporter,
  Translation,
  VersionCreate,
  VersionPreview,
} from "./types";

export interface NewComment {
  version: number;
  paragraph_key: string;
  body: string;
  parent_id?: number | null;
  quote?: CommentQuote | null;
}

export function useCreateComment(declarationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (comment: NewComment) =>
      unwrap(
        api.POST("/api/declarations/{declaration_id}/comments", {
          params: { path: { declaration_id: declarationId } },
          body: comment,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.comments(declarationId) }),
  });
}

export function useEditComment(declarationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: string }) =>
      unwrap(api.PATCH("/api/comments/{comment_id}", { params: { path: { comment_id: id } }, body: { body } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.comments(declarationId) }),
  });
}

export function useResolveComment(declarationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST("/api/comments/{comment_id}/resolve", { params: { path: { comment_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.comments(declarationId) }),
  });
}

export interface NewAmendment {
  base_version: number;
  action: AmendmentAction;
  paragraph_key: string | null;
  text: string | null;
  rationale: string;
}

function useRefreshAmendments(declarationId: number) {
  const queryClient = useQueryClient();
  return (amendmentId?: number) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.amendments(declarationId) }),
      amendmentId === undefined
        ? Promise.resolve()
        : queryClient.invalidateQueries({ queryKey: keys.amendment(amendmentId) }),
    ]);
}

export function useProposeAmendment(declarationId: number) {
  const refresh = useRefreshAmendments(declarationId);
  return useMutation({
    mutationFn: (amendment: NewAmendment) =>
      unwrap(
        api.POST("/api/declarations/{declaration_id}/amendments", {
          params: { path: { declaration_id: declarationId } },
          body: amendment,
        }),
      ),
    onSuccess: () => refresh(),
  });
}

/** Support (true) or stop supporting (false) another city's amendment. */
export function useSupport(declarationId: number) {
  const refresh = useRefreshAmendments(declarationId);
  return useMutation({
    mutationFn: ({ id, support }: { id: number; support: boolean }): Promise<Supporter[]> => {
      const options = { params: { path: { amendment_id: id } } };
      return unwrap(
        support
          ? api.POST("/api/amendments/{amendment_id}/support", options)
          : api.DELETE("/api/amendments/{amendment_id}/support", options),
      );
    },
    onSuccess: (_, { id }) => refresh(id),
  });
}

export function useWithdrawAmendment(declarationId: number) {
  const refresh = useRefreshAmendments(declarationId);
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST("/api/amendments/{amendment_id}/withdraw", { params: { path: { amendment_id: id } } })),
    onSuccess: (_, id) => refresh(id),
  });
}

export function useDecide(declarationId: number) {
  const refresh = useRefreshAmendments(declarationId);
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: number; decision: DecisionKind; note: string }) =>
      unwrap(
        api.POST("/api/amendments/{amendment_id}/decision", {
          params: { path: { amendment_id: id } },
          body: { decision, note: note.trim() || null },
        }),
      ),
    onSuccess: (_, { id }) => refresh(id),
  });
}

/** POST a new version (or its dry-run preview). */
export function sendVersion(declarationId: number, body: VersionCreate) {
  return unwrap(
    api.POST("/api/declarations/{declaration_id}/versions", {
      params: { path: { declaration_id: declarationId } },
      body,
    }),
  );
}

export function asPreview(answer: unknown): VersionPreview {
  return answer as VersionPreview;
}

/** What a move or a signature changes: the declaration (all read under it) and the list. */
export function useRefreshDeclaration(declarationId: number) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      // A prefix: its signatures and checkpoint too (naming them again fetched each twice).
      queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) }),
      queryClient.invalidateQueries({ queryKey: keys.declarationList(0).slice(0, 2) }),
    ]);
}

export type EndorsementMove = "finalize" | "open" | "close";

/** Finalize the head version, open endorsement, or close it (co-facilitators). */
export function useEndorsementMove(declarationId: number) {
  const refresh = useRefreshDeclaration(declarationId);
  return useMutation({
    mutationFn: ({
      move,
      version,
      authentic,
      requirePasskey,
    }: { move: EndorsementMove; version?: number; authentic?: string[]; requirePasskey?: boolean }) => {
      const path = { params: { path: { declaration_id: declarationId } } };
      if (move === "finalize") {
        const body = { version: version ?? 0, authentic_languages: authentic ?? [] };
        return unwrap(api.POST("/api/declarations/{declaration_id}/finalize", { ...path, body }));
      }
      if (move === "open") {
        const body = { require_passkey: requirePasskey ?? false };
        return unwrap(api.POST("/api/declarations/{declaration_id}/endorsement/open", { ...path, body }));
      }
      return unwrap(api.POST("/api/declarations/{declaration_id}/endorsement/close", path));
    },
    onSuccess: () => refresh(),
  });
}

export function useSign(declarationId: number) {
  const refresh = useRefreshDeclaration(declarationId);
  return useMutation({
    mutationFn: (body: { content_hash: string; password: string }) =>
      unwrap(
        api.POST("/api/declarations/{declaration_id}/signatures", {
          params: { path: { declaration_id: declarationId } },
          body,
        }),
      ),
    onSuccess: () => refresh(),
  });
}

export function useWithdrawSignature(declarationId: number) {
  const refresh = useRefreshDeclaration(declarationId);
  return useMutation({
    mutationFn: (signatureId: number) =>
      unwrap(
        api.DELETE("/api/declarations/{declaration_id}/signatures/{signature_id}", {
          params: { path: { declaration_id: declarationId, signature_id: signatureId } },
        }),
      ),
    onSuccess: () => refresh(),
  });
}

/** A signature's receipt again, with the latest checkpoint (for a mayor on another device). */
export function useFetchReceipt(declarationId: number) {
  return useMutation({
    mutationFn: (signatureId: number) =>
      unwrap(
        api.GET("/api/declarations/{declaration_id}/signatures/{signature_id}/receipt", {
          params: { path: { declaration_id: declarationId, signature_id: signatureId } },
        }),
      ),
  });
}

/** What a translator sends: texts by key, a whole text, or a file (.txt or .docx). */
export type TranslationUpload =
  | { paragraphs: { key: string; text: string }[] }
  | { text: string }
  | { file: File };

/** Save (or with `dryRun` only align and show) a version's translation into one language. */
export function useSaveTranslation(declarationId: number, number: number, language: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ upload, dryRun }: { upload: TranslationUpload; dryRun: boolean }): Promise<Translation> => {
      const params = { path: { declaration_id: declarationId, number, language } };
      const path = "/api/declarations/{declaration_id}/versions/{number}/translations/{language}" as const;
      if ("file" in upload) {
        // The route reads JSON or a multipart form.
        const sent = api.PUT(path, { params, body: multipart({ file: upload.file, dry_run: String(dryRun) }) });
        return unwrap(sent).then((answer) => answer as Translation);
      }
      // openapi-fetch widens the redline's [op, text] tuples to arrays; the schema says tuples.
      return unwrap(api.PUT(path, { params, body: { ...upload, dry_run: dryRun } })).then((answer) => answer as Translation);
    },
    onSuccess: (answer) => {
      if (!answer.saved) return;
      queryClient.setQueryData(keys.translation(declarationId, number, language), answer);
      return queryClient.invalidateQueries({ queryKey: keys.translations(declarationId) });
    },
  });
}
