// What the desk leaves on the new version's page after "Save as version N": that it was saved,
// what it merges, and the way to its changes. Carried in the navigation's state, so it shows on
// the page the co-facilitator lands on (at its top), not on the desk left behind.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

export interface SavedVersion {
  savedVersion: number;
  amendments: number;
  edits: number;
}

function savedOf(state: unknown): SavedVersion | null {
  if (typeof state !== "object" || state === null || !("savedVersion" in state)) return null;
  return state as SavedVersion;
}

/** "Version 3 is saved: it merges 2 amendments and 1 direct edit." */
function savedInWords(t: TFunction, { savedVersion: number, amendments, edits }: SavedVersion): string {
  const counted = {
    number,
    amendments: t("desk.made.amendments", { count: amendments }),
    edits: t("desk.made.edits", { count: edits }),
  };
  if (edits === 0) return t("desk.saved.merges", counted);
  return amendments === 0 ? t("desk.saved.edits", counted) : t("desk.saved.mergesAndEdits", counted);
}

export function SavedVersionNotice({ declarationId }: { declarationId: number }) {
  const { t } = useTranslation();
  const saved = savedOf(useLocation().state);
  if (!saved) return null;
  const number = saved.savedVersion;
  return (
    <div className="feedback saved-version" role="status">
      {savedInWords(t, saved)}{" "}
      {number > 1 && (
        <Link to={`/declarations/${declarationId}/compare?from=${number - 1}&to=${number}`}>
          {t("desk.saved.compare", { number: number - 1 })}
        </Link>
      )}
    </div>
  );
}
