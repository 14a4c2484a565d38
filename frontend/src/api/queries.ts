// Reading the API through TanStack Query: one hook per resource, keyed under "declarations".
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";
import type { Amendment, AmendmentDetail, AmendmentStatus, Comment, Comparison, Signatory, Translation } from "./types";

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
  comments: (id: number) => ["declarations", id, "comments"] as const,
  commentsOn: (id: number, version: number) => ["declarations", id, "comments", version] as const,
  amendments: (id: number) => ["declarations", id, "amendments"] as const,
  amendmentPage: (id: number, filters: AmendmentFilters, offset: number, limit: number) =>
    ["declarations", id, "amendments", "page", filters, offset, limit] as const,
  amendment: (amendmentId: number) => ["amendments", amendmentId] as const,
  signatures: (id: number) => ["declarations", id, "signatures"] as const,
  signaturePage: (id: number, offset: number, limit: number, withdrawn: boolean) =>
    ["declarations", id, "signatures", "page", offset, limit, withdrawn] as const,
  checkpoint: (id: number) => ["declarations", id, "signatures", "checkpoint"] as const,
  translations: (id: number) => ["declarations", id, "translations"] as const,
  translation: (id: number, number: number, language: string) =>
    ["declarations", id, "translations", number, language] as const,
  cities: ["cities"] as const,
  cityPage: (offset: number, limit: number) => ["cities", offset, limit] as const,
  users: ["users"] as const,
  userPage: (offset: number, limit: number) => ["users", offset, limit] as const,
};

/** The largest page the API serves. */
export const MAX_PAGE = 500;

/** Every page of a paginated list, fetched one after another (for counts in the margin). */
export async function fetchAllPages<T>(
  page: (limit: number, offset: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const answer = await page(MAX_PAGE, items.length);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}

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

/** Every comment of a declaration, anchored onto the version read. */
export function useAllComments(id: number, version: number | undefined) {
  return useQuery({
    queryKey: keys.commentsOn(id, version ?? 0),
    queryFn: ({ signal }) =>
      fetchAllPages<Comment>((limit, offset) =>
        unwrap(
          api.GET("/api/declarations/{declaration_id}/comments", {
            params: { path: { declaration_id: id }, query: { version: version ?? 0, limit, offset } },
            signal,
          }),
        ),
      ),
    enabled: version !== undefined,
  });
}

/** Every amendment of a declaration, in every state (for the margin and the filters). */
export function useAllAmendments(id: number, enabled = true) {
  return useQuery({
    queryKey: [...keys.amendments(id), "all"],
    queryFn: ({ signal }) =>
      fetchAllPages<Amendment>((limit, offset) =>
        unwrap(
          api.GET("/api/declarations/{declaration_id}/amendments", {
            params: { path: { declaration_id: id }, query: { limit, offset } },
            signal,
          }),
          // openapi-fetch widens the [op, text] tuples of `diff` to string[]: restore them.
        ).then((page) => page as unknown as AmendmentPage),
      ),
    enabled,
  });
}

export interface AmendmentPage {
  items: Amendment[];
  total: number;
  limit: number;
  offset: number;
}

export interface AmendmentFilters {
  status?: AmendmentStatus | undefined;
  paragraph_key?: string | undefined;
  city_id?: number | undefined;
}

/** One page of amendments, filtered by the server. */
export function useAmendmentPage(id: number, filters: AmendmentFilters, offset: number, limit: number) {
  return useQuery({
    queryKey: keys.amendmentPage(id, filters, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/declarations/{declaration_id}/amendments", {
          params: { path: { declaration_id: id }, query: { ...filters, limit, offset } },
          signal,
        }),
      ).then((page) => page as unknown as AmendmentPage),
    placeholderData: (previous) => previous,
  });
}

/** One amendment with its effect rebased onto the head (or its conflict). */
export function useAmendment(amendmentId: number | undefined) {
  return useQuery({
    queryKey: keys.amendment(amendmentId ?? 0),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/amendments/{amendment_id}", {
          params: { path: { amendment_id: amendmentId ?? 0 } },
          signal,
        }),
      ).then((detail) => detail as unknown as AmendmentDetail),
    enabled: amendmentId !== undefined,
  });
}

export function useCityPage(offset: number, limit = PAGE_SIZE) {
  return useQuery({
    queryKey: keys.cityPage(offset, limit),
    queryFn: ({ signal }) => unwrap(api.GET("/api/cities", { params: { query: { limit, offset } }, signal })),
    placeholderData: (previous) => previous,
  });
}

export function useUserPage(offset: number, limit = PAGE_SIZE) {
  return useQuery({
    queryKey: keys.userPage(offset, limit),
    queryFn: ({ signal }) => unwrap(api.GET("/api/users", { params: { query: { limit, offset } }, signal })),
    placeholderData: (previous) => previous,
  });
}

/** One page of the signatories, in log order. */
export function useSignaturePage(
  id: number,
  offset: number,
  limit: number,
  includeWithdrawn: boolean,
  cityId?: number,
  enabled = true,
) {
  return useQuery({
    queryKey: [...keys.signaturePage(id, offset, limit, includeWithdrawn), cityId ?? 0],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/declarations/{declaration_id}/signatures", {
          params: {
            path: { declaration_id: id },
            query: { limit, offset, include_withdrawn: includeWithdrawn, ...(cityId ? { city_id: cityId } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
    enabled,
  });
}

/** Every signature, withdrawn ones included (for the count over time and the map). */
export function useAllSignatures(id: number, enabled = true) {
  return useQuery({
    queryKey: [...keys.signatures(id), "all"],
    queryFn: ({ signal }) =>
      fetchAllPages<Signatory>((limit, offset) =>
        unwrap(
          api.GET("/api/declarations/{declaration_id}/signatures", {
            params: { path: { declaration_id: id }, query: { limit, offset, include_withdrawn: true } },
            signal,
          }),
        ),
      ),
    enabled,
  });
}

/** The latest signed checkpoint of the signature log (public, hashes only). */
export function useCheckpoint(id: number, enabled = true) {
  return useQuery({
    queryKey: keys.checkpoint(id),
    queryFn: ({ signal }) =>
      // The server lets caches keep the latest checkpoint 5 s (public readers); the SPA asks anew
      // after each move, so the sealed checkpoint shows as soon as endorsement closes.
      unwrap(
        api.GET("/api/declarations/{declaration_id}/log/checkpoint", {
          params: { path: { declaration_id: id } },
          signal,
          cache: "no-cache",
        }),
      ),
    enabled,
    retry: false,
  });
}

/** Every city (for choosing an account's city). */
export function useAllCities(enabled = true) {
  return useQuery({
    queryKey: [...keys.cities, "all"],
    queryFn: ({ signal }) =>
      fetchAllPages((limit, offset) => unwrap(api.GET("/api/cities", { params: { query: { limit, offset } }, signal }))),
    enabled,
    staleTime: 60_000,
  });
}

/** Each language translated (or authentic), counted at the head version. */
export function useTranslations(id: number) {
  return useQuery({
    queryKey: keys.translations(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/declarations/{declaration_id}/translations", { params: { path: { declaration_id: id } }, signal })),
  });
}

/** A version's translation into one language, with each paragraph's state. */
export function useTranslation(id: number, number: number | undefined, language: string | null) {
  return useQuery({
    queryKey: keys.translation(id, number ?? 0, language ?? ""),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/declarations/{declaration_id}/versions/{number}/translations/{language}", {
          params: { path: { declaration_id: id, number: number ?? 0, language: language ?? "" } },
          signal,
        }),
        // openapi-fetch widens the redline's [op, text] tuples to arrays; the schema says tuples.
      ).then((translation) => translation as Translation),
    enabled: number !== undefined && !!language,
  });
}
