// What the desk leaves on the new version's page after "Save as version N": that it was saved,
// what it merges, and the way to its changes. Carried in the navigation's state, so it shows on
// the page the co-facilitator lands on (at its top), not on the desk left behind.
import { Link, useLocation } from "react-router";
import { plural } from "../../lib/words";

export interface SavedVersion {
  savedVersion: number;
  amendments: number;
  edits: number;
}

function savedOf(state: unknown): SavedVersion | null {
  if (typeof state !== "object" || state === null || !("savedVersion" in state)) return null;
  return state as SavedVersion;
}

/** "it merges 2 amendments", "it merges 1 amendment and 1 direct edit", "it makes 1 direct edit". */
function whatItMakes(amendments: number, edits: number): string {
  const merges = amendments > 0 ? `it merges ${plural(amendments, "amendment")}` : "";
  if (edits === 0) return merges;
  return merges ? `${merges} and ${plural(edits, "direct edit")}` : `it makes ${plural(edits, "direct edit")}`;
}

export function SavedVersionNotice({ declarationId }: { declarationId: number }) {
  const saved = savedOf(useLocation().state);
  if (!saved) return null;
  const { savedVersion: number, amendments, edits } = saved;
  return (
    <div className="feedback saved-version" role="status">
      Version {number} is saved: {whatItMakes(amendments, edits)}.{" "}
      {number > 1 && (
        <Link to={`/declarations/${declarationId}/compare?from=${number - 1}&to=${number}`}>
          See what changed since version {number - 1}
        </Link>
      )}
    </div>
  );
}
