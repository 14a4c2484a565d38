// Previous / next through a list shown a page at a time, with where we are in words.
import { useTranslation } from "react-i18next";

interface PagerProps {
  label: string;
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  /** The total in the reader's words, e.g. (n) => t("reading.list.count", { count: n }). */
  counted: (total: number) => string;
  onOffset: (offset: number) => void;
}

export function Pager({ label, offset, shown, total, pageSize, counted, onOffset }: PagerProps) {
  const { t } = useTranslation();
  if (total <= pageSize && offset === 0) return null;
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
      <p>{t("common.range", { first: total === 0 ? 0 : offset + 1, last: offset + shown, total: counted(total) })}</p>
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
