// A declaration's status in words, with a colour that only repeats what the words say.
import type { DeclarationStatus } from "../api/types";
import { statusInWords } from "../lib/words";

export function StatusBadge({ status }: { status: DeclarationStatus }) {
  return <span className={`badge badge-${status}`}>{statusInWords(status)}</span>;
}
