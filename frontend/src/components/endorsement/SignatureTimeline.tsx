// The number of standing signatures over time: a step line (each signature +1, each withdrawal
// -1), with the same story told in a sentence for those who do not see the chart.
import { useTranslation as useWords } from "react-i18next";
import type { Signatory } from "../../api/types";
import { formatDate, formatDateTime, formatNumber } from "../../lib/words";

interface Point {
  time: number;
  count: number;
}

export function standingOverTime(signatures: readonly Signatory[]): Point[] {
  const events: { time: number; delta: number }[] = [];
  for (const s of signatures) {
    events.push({ time: Date.parse(s.signed_at), delta: 1 });
    if (s.withdrawn_at) events.push({ time: Date.parse(s.withdrawn_at), delta: -1 });
  }
  events.sort((a, b) => a.time - b.time);
  let count = 0;
  return events.map((event) => ({ time: event.time, count: (count += event.delta) }));
}

/** A date set apart from the chart's left-to-right layout (U+2068 … U+2069), so that one written
 * right to left (Arabic's, with its marks) keeps its own order. */
function isolated(words: string): string {
  return `\u2068${words}\u2069`;
}

const W = 600;
const H = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

export function SignatureTimeline({ signatures }: { signatures: readonly Signatory[] }) {
  const { t } = useWords();
  const points = standingOverTime(signatures);
  if (points.length === 0) return <p className="hint">{t("endorsement.timeline.none")}</p>;
  const first = points[0] as Point;
  const last = points[points.length - 1] as Point;
  const start = first.time;
  const end = Math.max(last.time, start + 60_000);
  const max = Math.max(1, ...points.map((p) => p.count));
  const x = (time: number) => PAD.left + ((time - start) / (end - start)) * (W - PAD.left - PAD.right);
  const y = (count: number) => H - PAD.bottom - (count / max) * (H - PAD.top - PAD.bottom);
  let d = `M${x(start)} ${y(0)}`;
  for (const p of points) d += `H${x(p.time).toFixed(1)}V${y(p.count).toFixed(1)}`;
  d += `H${x(end)}`;
  const summary = t("endorsement.timeline.summary", {
    standing: t("endorsement.timeline.standing", { count: last.count }),
    given: t("endorsement.timeline.given", { count: signatures.length }),
    since: formatDateTime(new Date(start).toISOString()),
    max: formatNumber(max),
  });
  return (
    <figure className="timeline">
      {/* Time runs left to right in every language: the axis labels are anchored for that. */}
      <svg viewBox={`0 0 ${W} ${H}`} direction="ltr" role="img" aria-label={t("endorsement.timeline.label", { summary })}>
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <text x={PAD.left - 6} y={y(max) + 4} textAnchor="end" className="axis-label">
          {formatNumber(max)}
        </text>
        <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end" className="axis-label">
          {formatNumber(0)}
        </text>
        <text x={PAD.left} y={H - 8} className="axis-label">
          {isolated(formatDate(new Date(start).toISOString()))}
        </text>
        <text x={W - PAD.right} y={H - 8} textAnchor="end" className="axis-label">
          {isolated(formatDate(new Date(end).toISOString()))}
        </text>
        <path d={d} className="timeline-line" />
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
