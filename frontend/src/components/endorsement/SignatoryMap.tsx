// Where the signatories are: a dot per city on an equirectangular outline of the world, drawn
// from a path shipped with the app (no tiles, no network). The table of signatories is the
// accessible alternative; the map says so.
import { useTranslation as useWords } from "react-i18next";
import type { Signatory } from "../../api/types";
import { formatNumber } from "../../lib/words";
import { WORLD_LAND } from "../map/worldOutline";

interface SignatoryMapProps {
  signatories: readonly Signatory[];
}

export function SignatoryMap({ signatories }: SignatoryMapProps) {
  const { t } = useWords();
  const placed = signatories.filter((s) => s.city.latitude != null && s.city.longitude != null);
  const unplaced = signatories.length - placed.length;
  const summary =
    unplaced > 0
      ? t("endorsement.map.summaryUnplaced", { count: placed.length, unplaced: formatNumber(unplaced) })
      : t("endorsement.map.summary", { count: placed.length });
  return (
    <figure className="signatory-map">
      <svg viewBox="0 0 360 180" role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        <rect x="0" y="0" width="360" height="180" className="map-sea" />
        <path d={WORLD_LAND} className="map-land" />
        {placed.map((s) => (
          <circle
            key={s.id}
            cx={(s.city.longitude as number) + 180}
            cy={90 - (s.city.latitude as number)}
            r="2.2"
            className="map-dot"
          >
            <title>
              {s.city.name} ({s.city.country})
            </title>
          </circle>
        ))}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
