// Previous / next through a list shown a page at a time, with where we are in words.
import { plural } from "../lib/words";

interface PagerProps {
  label: string;
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  noun: [string, string];
  onOffset: (offset: number) => void;
}

export function Pager({ label, offset, shown, total, pageSize, noun, onOffset }: PagerProps) {
  if (total <= pageSize && offset === 0) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button-secondary"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        Previous
      </button>
      <p>
        {total === 0 ? 0 : offset + 1}–{offset + shown} of {plural(total, noun[0], noun[1])}
      </p>
      <button
        type="button"
        className="button-secondary"
        disabled={offset + shown >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        Next
      </button>
    </nav>
  );
}
