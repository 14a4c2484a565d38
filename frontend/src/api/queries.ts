// Reading the API through TanStack Query: one hook per resource, keyed under "declarations".
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";
import type { Comparison } from "./types";

export const PAGE_SIZE = 50;

export const keys = {
  me: ["me"] as const,
  declarations: ["declarations"] as const,
  declarationList: (offset: number) => ["declarations", "list", offset] as const,
  declaration: (id: number) => ["declarations", id] as const,
  versions: (id: number) => ["declarations", id, "versions"] as const,
  version: (id: number, number: number) => ["declarations", id, "versions", number] as const,
  comparison: (id: number, from: number, to: number) =>
    ["declarations", id, "compare", from, to] as const,
};

export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: ({ signal }) => unwrap(api.GET("/api/me", { signal })),
  staleTime: Infinity,
});

export function useMe() {
  return useQuery(meQuery);
}

export function useDeclarations(offset: number) {
  return useQuery({
    queryKey: keys.declarationList(offset),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/declarations", { params: { query: { limit: PAGE_SIZE, offset } }, signal })),
    placeholderData: (previous) => previous,
  });
}

export function useDeclaration(id: number) {
  return useQuery({
    queryKey: keys.declaration(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/declarations/{declaration_id}", { params: { path: { declaration_id: id } }, signal })),
  });
}

export function useVersions(id: number) {
  return useQuery({
    queryKey: keys.versions(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/declarations/{declaration_id}/versions", { params: { path: { declaration_id: id } }, signal }),
      ),
  });
}

export function useVersion(id: number, number: number | undefined) {
  return useQuery({
    queryKey: keys.version(id, number ?? 0),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/declarations/{declaration_id}/versions/{number}", {
          params: { path: { declaration_id: id, number: number ?? 0 } },
          signal,
        }),
      ),
    enabled: number !== undefined,
    // Versions are immutable.
    staleTime: Infinity,
  });
}

export function useComparison(id: number, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: keys.comparison(id, from ?? 0, to ?? 0),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/declarations/{declaration_id}/compare", {
          params: { path: { declaration_id: id }, query: { from: from ?? 0, to: to ?? 0 } },
          signal,
        }),
        // openapi-fetch's Readable<> widens the [op, text] tuples to string[]: restore them.
      ).then((comparison) => comparison as Comparison),
    enabled: from !== undefined && to !== undefined,
    staleTime: Infinity,
  });
}

/** The canonical text of a version, byte for byte as served (its SHA-256 is the content_hash). */
export async function fetchCanonicalText(id: number, number: number): Promise<Blob> {
  return unwrap(
    api.GET("/api/declarations/{declaration_id}/versions/{number}/text", {
      params: { path: { declaration_id: id, number } },
      parseAs: "blob",
    }),
  );
}
