// The top of every declaration screen: where we are, its title and status.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Declaration } from "../api/types";
import { StatusBadge } from "./StatusBadge";

interface DeclarationHeaderProps {
  declaration: Declaration;
  /** The screen's own heading (h1); the title is shown above it when given. */
  heading?: string;
  children?: ReactNode;
}

export function DeclarationHeader({ declaration, heading, children }: DeclarationHeaderProps) {
  const { t } = useTranslation();
  return (
    <div className="declaration-header">
      <nav aria-label={t("reading.header.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to="/declarations">{t("reading.header.declarations")}</Link>
          </li>
          {heading && (
            <li>
              <Link to={`/declarations/${declaration.id}`} dir="auto">
                {declaration.title}
              </Link>
            </li>
          )}
        </ol>
      </nav>
      {heading ? (
        <h1>{heading}</h1>
      ) : (
        <h1 dir="auto">{declaration.title}</h1>
      )}
      <div className="declaration-meta">
        <StatusBadge status={declaration.status} />
        <span>{t("reading.header.currentVersion", { number: declaration.head_version })}</span>
        {declaration.final_version !== null && <span>{t("reading.header.finalText", { number: declaration.final_version })}</span>}
      </div>
      {children}
    </div>
  );
}
