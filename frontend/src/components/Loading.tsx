// A quiet "loading" line, announced politely.
import { useTranslation } from "react-i18next";

export function Loading({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {what ?? t("common.loading")}…
    </p>
  );
}
