// Whole-screen states: still loading, or could not load (with a way back).
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorMessage } from "./ErrorMessage";
import { Loading } from "./Loading";

export function PageLoading({ what }: { what: string }) {
  return (
    <div className="page">
      <Loading what={what} />
    </div>
  );
}

export function PageFailed({ title, error }: { title: string; error: unknown }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{title}</h1>
      <ErrorMessage error={error} />
      <p>
        <Link to="/declarations">{t("common.backToDeclarations")}</Link>
      </p>
    </div>
  );
}
