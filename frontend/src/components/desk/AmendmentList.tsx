// The desk's list of amendments: filtered by status, paragraph and city, a page at a time, each
// with its decisions and, when accepted, the choice to merge it into the next version. What a
// card's action did is said where the card was: a decided amendment often leaves the filtered
// list, and its confirmation must not leave the reader's sight with it.
import { Fragment, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAllAmendments, useAmendmentPage } from "../../api/queries";
import type { Me, Paragraph } from "../../api/types";
import type { ParagraphIndex } from "../../lib/paragraphIndex";
import { ErrorMessage } from "../ErrorMessage";
import { Loading } from "../Loading";
import { Pager } from "../Pager";
import { DeskAmendment } from "./DeskAmendment";
import { DeskFilters } from "./DeskFilters";
import { DESK_PAGE, useDeskFilters } from "./useDeskFilters";

interface AmendmentListProps {
  declarationId: number;
  me: Me | undefined;
  headParagraphs: readonly Paragraph[];
  index: ParagraphIndex;
  drafting: boolean;
  chosen: ReadonlySet<number>;
  onChoose: (id: number, yes: boolean) => void;
}

/** The last card action's confirmation, and where its card stood in the list. */
interface Placed {
  id: number;
  index: number;
  message: string;
}

export function AmendmentList(props: AmendmentListProps) {
  const { declarationId, me, headParagraphs, index, drafting, chosen, onChoose } = props;
  const { t } = useTranslation();
  const { filters, status, offset, searchKey, setFilter, goTo } = useDeskFilters();
  const [placed, setPlaced] = useState<Placed | null>(null);
  const [placedFor, setPlacedFor] = useState(searchKey);
  // Another filter or page: the confirmation's place is gone.
  if (placedFor !== searchKey) {
    setPlacedFor(searchKey);
    setPlaced(null);
  }
  const page = useAmendmentPage(declarationId, filters, offset, DESK_PAGE);
  const all = useAllAmendments(declarationId);
  const cities = useMemo(() => {
    const seen = new Map<number, { id: number; name: string; country: string }>();
    for (const a of all.data ?? []) seen.set(a.city.id, a.city);
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [all.data]);
  const items = page.data?.items ?? [];
  const total = page.data?.total ?? 0;
  const present = placed !== null && items.some((a) => a.id === placed.id);

  return (
    <section className="desk-main" aria-labelledby="desk-list-title">
      <h2 id="desk-list-title">{t("desk.list.title")}</h2>
      <DeskFilters
        key={searchKey}
        status={status}
        paragraph={filters.paragraph_key ?? ""}
        city={filters.city_id ? String(filters.city_id) : ""}
        paragraphs={headParagraphs.map((p) => ({ key: p.key, label: index.optionOf(p.key) }))}
        cities={cities}
        onApply={setFilter}
      />
      {page.isPending && <Loading what={t("desk.list.loading")} />}
      <ErrorMessage error={page.error} />
      {page.data && (
        <p className="hint" role="status">
          {total === 0
            ? t("desk.list.none")
            : t(filters.status ? "desk.list.matchingStatus" : "desk.list.matching", {
                amendments: t("desk.list.count", { count: total }),
                status: filters.status ? t(`desk.list.state.${filters.status}`) : "",
                first: offset + 1,
                last: offset + items.length,
              })}
        </p>
      )}
      {items.map((amendment, at) => (
        <Fragment key={amendment.id}>
          {placed && !present && at === placed.index && <PlacedMessage placed={placed} />}
          <DeskAmendment
            amendment={amendment}
            me={me}
            where={index.whereOf(amendment.paragraph_key)}
            chosen={chosen.has(amendment.id)}
            onChoose={(yes) => onChoose(amendment.id, yes)}
            onDone={(message) => setPlaced({ id: amendment.id, index: at, message })}
            drafting={drafting}
          />
          {placed && placed.id === amendment.id && <PlacedMessage placed={placed} />}
        </Fragment>
      ))}
      {placed && !present && placed.index >= items.length && <PlacedMessage placed={placed} />}
      <Pager
        label={t("desk.list.pages")}
        offset={offset}
        shown={items.length}
        total={total}
        pageSize={DESK_PAGE}
        counted={(n) => t("desk.list.count", { count: n })}
        onOffset={goTo}
      />
    </section>
  );
}

function PlacedMessage({ placed }: { placed: Placed }) {
  return (
    <p className="feedback placed-feedback" role="status">
      {placed.message}
    </p>
  );
}
