// Previous / next through a list shown a page at a time, with where we are in words.
import { useTranslation } from "react-i18next";
import { plural } from "../lib/words";

interface PagerProps {
  label: string;
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  /** The total in the reader's words, e.g. (n) => t("reading.list.count", { count: n }). */
  counted?: (total: number) => string;
  /** English nouns, for lists whose screens are not translated yet. */
  noun?: [string, string];
  onOffset: (offset: number) => void;
}

export function Pager({ label, offset, shown, total, pageSize, counted, noun, onOffset }: PagerProps) {
  const { t } = useTranslation();
  if (total <= pageSize && offset === 0) return null;
  const totalInWords = counted ? counted(total) : plural(total, noun?.[0] ?? "item", noun?.[1]);
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button-secondary"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        {t("common.previous")}
      </button>
      <p>{t("common.range", { first: total === 0 ? 0 : offset + 1, last: offset + shown, total: totalInWords })}</p>
      <button
        type="button"
        className="button-secondary"
        disabled={offset + shown >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        {t("common.next")}
      </button>
    </nav>
  );
}
