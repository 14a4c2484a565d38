// All declarations, and (for co-facilitators and the secretariat) the form to start a new one.
import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { PAGE_SIZE, useDeclarations, useMe, useSignaturePage } from "../api/queries";
import type { Declaration, Me } from "../api/types";
import { ErrorMessage } from "../components/ErrorMessage";
import { Loading } from "../components/Loading";
import { Pager } from "../components/Pager";
import { StatusBadge } from "../components/StatusBadge";
import { NewDeclarationForm } from "../components/NewDeclarationForm";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";
import { formatDate } from "../lib/words";

export function DeclarationsPage() {
  const { t } = useTranslation();
  usePageTitle(t("reading.list.title"));
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  const me = useMe();
  const declarations = useDeclarations(offset);
  const page = declarations.data;

  function goTo(nextOffset: number) {
    setParams(nextOffset > 0 ? { offset: String(nextOffset) } : {});
  }

  return (
    <div className="page">
      <h1>{t("reading.list.title")}</h1>
      {canEditDeclarations(me.data) && <NewDeclarationForm />}
      {declarations.isPending && <Loading what={t("reading.list.loading")} />}
      <ErrorMessage error={declarations.error} />
      {page && page.total === 0 && (
        <p className="empty">
          {t("reading.list.empty")}
          {canEditDeclarations(me.data) && ` ${t("reading.list.emptyStart")}`}
        </p>
      )}
      {page && page.items.length > 0 && (
        <>
          <table className="declarations">
            <caption className="visually-hidden">{t("reading.list.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("reading.list.colTitle")}</th>
                <th scope="col">{t("reading.list.colStatus")}</th>
                <th scope="col">{t("reading.list.colVersion")}</th>
                <th scope="col">{t("reading.list.colStarted")}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((declaration) => (
                <tr key={declaration.id}>
                  <th scope="row" className="declaration-title">
                    <Link to={`/declarations/${declaration.id}`} dir="auto">
                      {declaration.title}
                    </Link>
                  </th>
                  <td data-label={t("reading.list.colStatus")}>
                    <StatusBadge status={declaration.status} />
                    {me.data?.role === "mayor" && declaration.status === "open" && (
                      <SignatureCue declaration={declaration} me={me.data} />
                    )}
                  </td>
                  <td data-label={t("reading.list.colVersion")}>
                    {t("reading.list.version", { number: declaration.head_version })}
                    {declaration.final_version !== null &&
                      ` ${t("reading.list.finalVersion", { number: declaration.final_version })}`}
                  </td>
                  <td data-label={t("reading.list.colStarted")}>
                    <time dateTime={declaration.created_at}>{formatDate(declaration.created_at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label={t("reading.list.pages")}
            offset={offset}
            shown={page.items.length}
            total={page.total}
            pageSize={PAGE_SIZE}
            counted={(count) => t("reading.list.count", { count })}
            onOffset={goTo}
          />
        </>
      )}
    </div>
  );
}

/** For a mayor, an open declaration says whether it awaits their city's signature, with one
 * click to the signing form. */
function SignatureCue({ declaration, me }: { declaration: Declaration; me: Me }) {
  const { t } = useTranslation();
  const city = me.city;
  const ours = useSignaturePage(declaration.id, 0, 5, false, city?.id, !!city);
  if (!city || !ours.data) return null;
  const signed = ours.data.items.some((s) => s.city.id === city.id && !s.withdrawn);
  if (signed) {
    return (
      <p className="signature-cue is-signed">
        ✓ <Trans i18nKey="reading.list.signed" components={{ city: <bdi>{city.name}</bdi> }} />{" "}
        <Link to={`/declarations/${declaration.id}/endorsement#sign`}>{t("reading.list.receipt")}</Link>
      </p>
    );
  }
  return (
    <p className="signature-cue">
      <strong>{t("reading.list.awaits")}</strong>{" "}
      <Link className="button-primary button-compact" to={`/declarations/${declaration.id}/endorsement#sign`}>
        <span>
          <Trans i18nKey="reading.list.readAndSign" components={{ city: <bdi>{city.name}</bdi> }} />
        </span>
      </Link>
    </p>
  );
}
