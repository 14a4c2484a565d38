// What a screen shows if it fails while rendering (a bug): a sentence, not a stack trace.
import { useTranslation } from "react-i18next";
import { useRouteError } from "react-router";

export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  console.error(error);
  return (
    <main id="main" className="page">
      <h1>{t("common.routeError.title")}</h1>
      <p>{t("common.routeError.text")}</p>
      <p>
        <a href="/declarations">{t("common.backToDeclarations")}</a>
      </p>
    </main>
  );
}
