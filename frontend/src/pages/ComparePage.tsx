// Compare two versions of a declaration: counts and a paragraph-by-paragraph redline.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router";
import { fetchComparisonDocument } from "../api/documents";
import { useComparison, useDeclaration, useVersions } from "../api/queries";
import type { VersionSummary } from "../api/types";
import { ComparisonView } from "../components/Comparison";
import { DeclarationHeader } from "../components/DeclarationHeader";
import { DownloadButton } from "../components/documents/DownloadButton";
import { ErrorMessage } from "../components/ErrorMessage";
import { Loading } from "../components/Loading";
import { PageFailed, PageLoading } from "../components/PageState";
import { positiveInt } from "../lib/params";
import { usePageTitle } from "../lib/usePageTitle";
import { formatDate } from "../lib/words";

export function ComparePage() {
  const { t } = useTranslation();
  const params = useParams();
  const declarationId = positiveInt(params.declarationId) ?? 0;
  const [search, setSearch] = useSearchParams();
  const declaration = useDeclaration(declarationId);
  const versions = useVersions(declarationId);
  const head = declaration.data?.head_version;
  const to = positiveInt(search.get("to")) ?? head;
  const from = positiveInt(search.get("from")) ?? (to !== undefined ? Math.max(1, to - 1) : undefined);
  const comparison = useComparison(declarationId, from, to);
  const layout = search.get("view") === "side" ? "side" : "inline";
  usePageTitle(from !== undefined && to !== undefined ? t("compare.pageTitle", { from, to }) : t("compare.title"));

  if (declaration.isPending) return <PageLoading what={t("reading.page.loading")} />;
  if (declaration.error) return <PageFailed title={t("reading.page.failed")} error={declaration.error} />;

  return (
    <div className="page">
      <DeclarationHeader declaration={declaration.data} heading={t("compare.title")} />
      {versions.data && from !== undefined && to !== undefined && (
        <ChooseVersions
          key={`${from}-${to}`}
          versions={versions.data}
          from={from}
          to={to}
          onChoose={(a, b) => setSearch({ from: String(a), to: String(b), ...(layout === "side" ? { view: "side" } : {}) })}
        />
      )}
      <ErrorMessage error={versions.error} />
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">{t("compare.changes", { from, to })}</h2>
        <fieldset className="layout-switch">
          <legend>{t("compare.show")}</legend>
          {(["inline", "side"] as const).map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="compare-layout"
                value={option}
                checked={layout === option}
                onChange={() =>
                  setSearch(
                    (previous) => {
                      const next = new URLSearchParams(previous);
                      if (option === "side") next.set("view", "side");
                      else next.delete("view");
                      return next;
                    },
                    { replace: true, preventScrollReset: true },
                  )
                }
              />{" "}
              {option === "inline" ? t("compare.inline") : t("compare.side")}
            </label>
          ))}
        </fieldset>
        {from !== undefined && to !== undefined && (
          <div className="button-row">
            <DownloadButton
              label={t("compare.word")}
              filename={`declaration-${declarationId}-v${from}-v${to}.docx`}
              fetch={() => fetchComparisonDocument(declarationId, from, to)}
            />
          </div>
        )}
        {comparison.isPending && <Loading what={t("compare.comparing")} />}
        <ErrorMessage error={comparison.error} />
        {comparison.data && <ComparisonView comparison={comparison.data} layout={layout} />}
      </section>
    </div>
  );
}

interface ChooseVersionsProps {
  versions: readonly VersionSummary[];
  from: number;
  to: number;
  onChoose: (from: number, to: number) => void;
}

function ChooseVersions({ versions, from, to, onChoose }: ChooseVersionsProps) {
  const { t } = useTranslation();
  const [older, setOlder] = useState(from);
  const [newer, setNewer] = useState(to);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChoose(older, newer);
  }

  const options = versions.map((v) => (
    <option key={v.number} value={v.number}>
      {v.number} · {formatDate(v.created_at)}
    </option>
  ));
  return (
    <form className="toolbar" onSubmit={submit} aria-label={t("compare.choose")}>
      <div className="field field-inline">
        <label htmlFor="compare-from">{t("compare.from")}</label>
        <select id="compare-from" value={older} onChange={(event) => setOlder(Number(event.target.value))}>
          {options}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="compare-to">{t("compare.to")}</label>
        <select id="compare-to" value={newer} onChange={(event) => setNewer(Number(event.target.value))}>
          {options}
        </select>
      </div>
      <button type="submit" className="button-secondary">
        {t("compare.compare")}
      </button>
    </form>
  );
}
