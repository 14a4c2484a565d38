// Every version of a declaration, newest first: number, date, author, note.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { VersionSummary } from "../api/types";
import { formatDateTime, roleInWords } from "../lib/words";

interface VersionListProps {
  declarationId: number;
  versions: readonly VersionSummary[];
  current: number | undefined;
}

export function VersionList({ declarationId, versions, current }: VersionListProps) {
  const { t } = useTranslation();
  const newestFirst = [...versions].sort((a, b) => b.number - a.number);
  return (
    <section className="panel" aria-labelledby="versions-title">
      <h2 id="versions-title">{t("reading.versions.title")}</h2>
      <ol className="version-list" reversed>
        {newestFirst.map((version) => (
          <li key={version.number} className={version.number === current ? "is-current" : undefined}>
            <div className="version-line">
              <Link
                to={`/declarations/${declarationId}/versions/${version.number}`}
                aria-current={version.number === current ? "page" : undefined}
              >
                {t("reading.versions.version", { number: version.number })}
                {version.number === current && <span className="version-shown"> {t("reading.versions.shown")}</span>}
              </Link>
              {version.number > 1 && (
                <Link
                  className="minor-link"
                  to={`/declarations/${declarationId}/compare?from=${version.number - 1}&to=${version.number}`}
                >
                  {t("reading.versions.changes")}
                  <span className="visually-hidden">
                    {t("reading.versions.changesWhat", { number: version.number, previous: version.number - 1 })}
                  </span>
                </Link>
              )}
            </div>
            <div className="version-meta">
              <time dateTime={version.created_at}>{formatDateTime(version.created_at)}</time>
              {" · "}
              <bdi>{version.author.name}</bdi> <span className="nowrap">({roleInWords(version.author.role)})</span>
            </div>
            {version.note && (
              <p className="version-note" dir="auto">
                {version.note}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
