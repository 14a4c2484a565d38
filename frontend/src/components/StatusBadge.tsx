// A declaration's status in words, with a colour that only repeats what the words say.
import { useTranslation } from "react-i18next";
import type { DeclarationStatus } from "../api/types";

export function StatusBadge({ status }: { status: DeclarationStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`statuses.${status}`, { defaultValue: status })}</span>;
}
