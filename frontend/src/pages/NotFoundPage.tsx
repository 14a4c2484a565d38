// Any address the app does not know.
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePageTitle } from "../lib/usePageTitle";

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t("common.notFound.title"));
  return (
    <div className="page">
      <h1>{t("common.notFound.title")}</h1>
      <p>
        <Trans i18nKey="common.notFound.text" components={{ list: <Link to="/declarations" /> }} />
      </p>
    </div>
  );
}
