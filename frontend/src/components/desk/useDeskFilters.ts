// The desk's filters and page, kept in the address: a filtered list can be linked and reloaded.
import { useSearchParams } from "react-router";
import type { AmendmentFilters } from "../../api/queries";
import type { AmendmentStatus } from "../../api/types";
import { positiveInt } from "../../lib/params";

export const DESK_PAGE = 20;

export interface DeskFilterState {
  filters: AmendmentFilters;
  /** The status chosen in the form ("all", or one status; "proposed" when none is named). */
  status: string;
  offset: number;
  /** Changes whenever the address does: the filter form starts afresh from it. */
  searchKey: string;
  setFilter: (next: Record<string, string | undefined>) => void;
  goTo: (offset: number) => void;
}

export function useDeskFilters(): DeskFilterState {
  const [search, setSearch] = useSearchParams();
  const statusParam = search.get("status");
  const filters: AmendmentFilters = {
    status: statusParam === "all" ? undefined : ((statusParam as AmendmentStatus | null) ?? "proposed"),
    paragraph_key: search.get("paragraph") || undefined,
    city_id: positiveInt(search.get("city")),
  };
  const offset = Math.max(0, Number.parseInt(search.get("offset") ?? "0", 10) || 0);

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

  return { filters, status: statusParam ?? "proposed", offset, searchKey: search.toString(), setFilter, goTo };
}
