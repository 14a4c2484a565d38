// One declaration at one version: the text, its fingerprint, and the list of versions.
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useDeclaration, useMe, useVersion, useVersions } from "../api/queries";
import { DeclarationHeader } from "../components/DeclarationHeader";
import { ErrorMessage } from "../components/ErrorMessage";
import { Fingerprint } from "../components/Fingerprint";
import { Loading } from "../components/Loading";
import { PageFailed, PageLoading } from "../components/PageState";
import { VersionList } from "../components/VersionList";
import { VersionDocuments } from "../components/documents/VersionDocuments";
import { WordImport } from "../components/documents/WordImport";
import { SavedVersionNotice } from "../components/desk/SavedVersionNotice";
import { ReadingView } from "../components/reading/ReadingView";
import { positiveInt } from "../lib/params";
import { canEditDeclarations, isCityMember } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";
import { formatDate } from "../lib/words";

export function DeclarationPage() {
  const { t } = useTranslation();
  const params = useParams();
  const declarationId = positiveInt(params.declarationId) ?? 0;
  const requested = positiveInt(params.number);
  const navigate = useNavigate();
  const me = useMe();
  const declaration = useDeclaration(declarationId);
  const versions = useVersions(declarationId);
  const number = requested ?? declaration.data?.head_version;
  const version = useVersion(declarationId, number);
  usePageTitle(
    declaration.data ? t("reading.page.title", { title: declaration.data.title, number: number ?? "" }) : t("reading.page.declaration"),
  );

  if (declaration.isPending) return <PageLoading what={t("reading.page.loading")} />;
  if (declaration.error) return <PageFailed title={t("reading.page.failed")} error={declaration.error} />;
  const current = declaration.data;
  const isHead = number === current.head_version;
  const canMakeVersion = canEditDeclarations(me.data) && current.status === "drafting";
  const canImportWord = isCityMember(me.data) && current.status === "drafting";

  return (
    <div className="page">
      <DeclarationHeader declaration={current} />
      <SavedVersionNotice declarationId={declarationId} />
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor="version-select">{t("reading.page.version")}</label>
          <select
            id="version-select"
            value={number ?? ""}
            onChange={(event) => navigate(`/declarations/${declarationId}/versions/${event.target.value}`)}
          >
            {[...(versions.data ?? [])].reverse().map((v) => (
              <option key={v.number} value={v.number}>
                {v.number} · {formatDate(v.created_at)}
                {v.number === current.head_version ? ` ${t("reading.page.current")}` : ""}
              </option>
            ))}
            {!versions.data && number !== undefined && <option value={number}>{number}</option>}
          </select>
        </div>
        {number !== undefined && number > 1 && (
          <Link className="button-secondary" to={`/declarations/${declarationId}/compare?from=${number - 1}&to=${number}`}>
            {t("reading.page.compareWith", { number: number - 1 })}
          </Link>
        )}
        {canEditDeclarations(me.data) && current.status === "drafting" && (
          <Link className="button-secondary" to={`/declarations/${declarationId}/desk`}>
            {t("reading.page.desk")}
          </Link>
        )}
        {canMakeVersion && (
          <Link className="button-secondary" to={`/declarations/${declarationId}/new-version`}>
            {t("reading.page.newVersion")}
          </Link>
        )}
        <Link className="button-secondary" to={`/declarations/${declarationId}/translations`}>
          {t("reading.page.translations")}
        </Link>
        <Link className="button-secondary" to={`/declarations/${declarationId}/endorsement`}>
          {current.status === "drafting" ? t("reading.page.endorsement") : t("reading.page.finalAndSignatures")}
        </Link>
      </div>
      {!isHead && number !== undefined && (
        <div className="notice" role="note">
          <p>
            <Trans
              i18nKey="reading.page.readingOld"
              values={{ number, head: current.head_version }}
              components={{ head: <Link to={`/declarations/${declarationId}/versions/${current.head_version}`} /> }}
            />
          </p>
        </div>
      )}
      {version.isPending && <Loading what={t("reading.page.loadingText")} />}
      <ErrorMessage error={version.error} />
      {version.data && <ReadingView key={version.data.number} declaration={current} version={version.data} me={me.data} />}
      <div className="about-version">
        <h2 className="visually-hidden">{t("reading.page.aboutVersion")}</h2>
        <div className="about-version-grid">
          {version.data && <VersionDocuments declarationId={declarationId} version={version.data.number} />}
          {version.data && canImportWord && me.data && (
            <WordImport
              declarationId={declarationId}
              version={version.data}
              headVersion={current.head_version}
              me={me.data}
            />
          )}
          {version.data && (
            <Fingerprint
              key={`${declarationId}-${version.data.number}`}
              declarationId={declarationId}
              version={version.data.number}
              hash={version.data.content_hash}
            />
          )}
          <ErrorMessage error={versions.error} />
          {versions.data && <VersionList declarationId={declarationId} versions={versions.data} current={number} />}
        </div>
      </div>
    </div>
  );
}
