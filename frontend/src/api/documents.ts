// Documents: Word and Akoma Ntoso downloads, the signed declaration, and a marked-up Word file
// proposed as amendments.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, multipart } from "./client";
import { unwrap } from "./errors";
import { keys } from "./queries";
import type { WordImport } from "./types";

/** The largest upload the server takes (CONCORD_MAX_BODY_BYTES): refused here before sending. */
export const MAX_UPLOAD_BYTES = 4_000_000;

export async function fetchVersionDocument(
  declarationId: number,
  number: number,
  format: "docx" | "akn",
): Promise<Blob> {
  return unwrap(
    api.GET("/api/declarations/{declaration_id}/versions/{number}/document", {
      params: { path: { declaration_id: declarationId, number }, query: { format } },
      parseAs: "blob",
    }),
  );
}

export async function fetchComparisonDocument(declarationId: number, from: number, to: number): Promise<Blob> {
  return unwrap(
    api.GET("/api/declarations/{declaration_id}/compare", {
      params: { path: { declaration_id: declarationId }, query: { from, to, format: "docx" } },
      parseAs: "blob",
    }),
  );
}

export async function fetchCompilation(declarationId: number): Promise<Blob> {
  return unwrap(
    api.GET("/api/declarations/{declaration_id}/compilation", {
      params: { path: { declaration_id: declarationId }, query: { format: "docx" } },
      parseAs: "blob",
    }),
  );
}

/** The sealed declaration as a file: JSON bundle, PDF, ZIP of both, or Akoma Ntoso XML. */
export async function fetchSignedDeclaration(
  declarationId: number,
  format: "json" | "pdf" | "zip" | "akn",
): Promise<Blob> {
  return unwrap(
    api.GET("/api/declarations/{declaration_id}/signed-declaration", {
      params: { path: { declaration_id: declarationId }, query: { format } },
      parseAs: "blob",
    }),
  );
}

export interface WordUpload {
  file: File;
  dryRun: boolean;
  baseVersion?: number;
}

/** Propose the tracked changes of a marked-up Word file (or preview them, with `dryRun`). */
export function useImportWord(declarationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun, baseVersion }: WordUpload) =>
      unwrap(
        api.POST("/api/declarations/{declaration_id}/amendments/import", {
          params: { path: { declaration_id: declarationId } },
          body: multipart({ file, dry_run: String(dryRun), base_version: baseVersion?.toString() }),
        }),
        // openapi-fetch widens the redline's [op, text] tuples to arrays; the schema says tuples.
      ) as Promise<WordImport>,
    onSuccess: (_, { dryRun }) => {
      if (dryRun) return;
      void queryClient.invalidateQueries({ queryKey: keys.amendments(declarationId) });
      void queryClient.invalidateQueries({ queryKey: keys.comments(declarationId) });
    },
  });
}

/** A version's translation into one language as Word (the version's paragraph keys kept). */
export async function fetchTranslationDocument(declarationId: number, number: number, language: string): Promise<Blob> {
  return unwrap(
    api.GET("/api/declarations/{declaration_id}/versions/{number}/translations/{language}/document", {
      params: { path: { declaration_id: declarationId, number, language } },
      parseAs: "blob",
    }),
  );
}
