// A merge refused for conflicts: for each amendment, every wording that clashes side by side —
// the head's, the one the amendments earlier in the merge make of the paragraph (when the clash
// is with them), the amendment's own — with the clashing words marked, and what the
// co-facilitator can do about it, down to a compromise started from the wording they choose.
import type { TFunction } from "i18next";
import { useId, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { MergeConflict } from "../../api/types";
import { useAmendment } from "../../api/queries";
import { bothWordings, markClash, type MarkedPart } from "../../lib/clash";
import { ErrorMessage } from "../ErrorMessage";
import { Loading } from "../Loading";

/** Where a compromise starts: its text and, for the hint above the editor, what that text is. */
export interface CompromiseStart {
  text: string;
  from: string;
}

interface ConflictReportProps {
  conflicts: readonly MergeConflict[];
  head: number;
  whereOf: (key: string | null) => string;
  /** The city of an amendment of this declaration, when known. */
  cityOf: (amendmentId: number) => string | undefined;
  onRemove: (amendmentId: number) => void;
  onReject: (amendmentId: number) => void;
  onCompromise: (amendmentId: number, paragraphKey: string, start: CompromiseStart) => void;
  rejecting: number | null;
}

export function ConflictReport(props: ConflictReportProps) {
  const { t } = useTranslation();
  const { conflicts } = props;
  return (
    <section className="conflicts notice notice-error" aria-labelledby="conflicts-title" role="alert">
      <h3 id="conflicts-title" tabIndex={-1}>
        {t("desk.conflict.title", { count: conflicts.length })}
      </h3>
      <p>
        <Trans i18nKey="desk.conflict.intro" components={{ strong: <strong />, mark: <mark className="clash" /> }} />
      </p>
      <ol className="conflict-list">
        {conflicts.map((conflict) => (
          <ConflictItem key={conflict.amendment_id} conflict={conflict} {...props} />
        ))}
      </ol>
    </section>
  );
}

/** One wording of the paragraph, as the conflict shows it and as a compromise may start. */
interface Wording {
  label: string;
  /** How the compromise hint names it ("amendment 6’s wording"). */
  name: string;
  parts: MarkedPart[];
  /** Its text, when a compromise can start from it. */
  text: string | null;
}

/** "6 (Mechelen), 7": the amendments, each with its city when known. */
function amendmentList(ids: readonly number[], cityOf: (id: number) => string | undefined): string {
  return ids
    .map((id) => {
      const city = cityOf(id);
      return city ? `${id} (${city})` : String(id);
    })
    .join(", ");
}

function wordingsOf(
  t: TFunction,
  conflict: MergeConflict,
  base: string | null,
  head: number,
  cityOf: ConflictReportProps["cityOf"],
) {
  const mark = (text: string) => markClash(base, conflict.clashing_words, text);
  const wordings: Wording[] = [];
  wordings.push({
    label: t("desk.conflict.current", { number: head }),
    name: t("desk.conflict.currentName"),
    parts:
      conflict.current_text === null ? [{ text: t("desk.conflict.gone"), marked: false }] : mark(conflict.current_text),
    text: conflict.current_text,
  });
  const competing = conflict.competing_amendments.length > 0 ? conflict.competing_text : null;
  if (competing !== null) {
    const counted = { count: conflict.competing_amendments.length, list: amendmentList(conflict.competing_amendments, cityOf) };
    wordings.push({
      label: t("desk.conflict.competingLabel", counted),
      name: t("desk.conflict.competingName", counted),
      parts: mark(competing),
      text: competing,
    });
  }
  const own = { list: amendmentList([conflict.amendment_id], cityOf) };
  wordings.push({
    label: t("desk.conflict.ownLabel", own),
    name: t("desk.conflict.ownName", own),
    parts:
      conflict.proposed_text === null ? [{ text: t("desk.conflict.deletes"), marked: false }] : mark(conflict.proposed_text),
    text: conflict.proposed_text,
  });
  return wordings;
}

/** The compromise starts: both sides' words together first (when they can be put so), then each wording. */
function startsOf(t: TFunction, wordings: Wording[]): (CompromiseStart & { label: string })[] {
  // The frame is what this amendment clashes with: the earlier amendments' wording, else the head's.
  const frame = wordings[wordings.length - 2]!;
  const own = wordings[wordings.length - 1]!;
  const both = own.text === null ? null : bothWordings(frame.parts, own.parts);
  return [
    ...(both === null ? [] : [{ text: both, from: t("desk.conflict.bothName"), label: t("desk.conflict.bothLabel") }]),
    ...wordings.flatMap((w) => (w.text === null ? [] : [{ text: w.text, from: w.name, label: w.label }])),
  ];
}

function ConflictItem({
  conflict,
  head,
  whereOf,
  cityOf,
  onRemove,
  onReject,
  onCompromise,
  rejecting,
}: ConflictReportProps & { conflict: MergeConflict }) {
  const { t } = useTranslation();
  const id = useId();
  // Its base text, to find the clashing words again in each wording, and its city.
  const amendment = useAmendment(conflict.amendment_id);
  const key = conflict.paragraph_key;
  const base = amendment.data?.base_text ?? null;
  const wordings = wordingsOf(t, conflict, base, head, (n) =>
    n === conflict.amendment_id ? (amendment.data?.city.name ?? cityOf(n)) : cityOf(n),
  );
  const starts = startsOf(t, wordings);
  const [chosen, setChosen] = useState(0);
  const at = Math.min(chosen, starts.length - 1);
  const start = starts[at];
  return (
    <li className="conflict-item">
      <h4>
        {amendment.data ? (
          <Trans
            i18nKey="desk.conflict.headingCity"
            values={{ id: conflict.amendment_id, where: whereOf(key) }}
            components={{ city: <bdi>{amendment.data.city.name}</bdi> }}
          />
        ) : (
          t("desk.conflict.heading", { id: conflict.amendment_id, where: whereOf(key) })
        )}
      </h4>
      <p className="conflict-reason" lang="en">
        {conflict.reason}
      </p>
      {amendment.isPending && <Loading what={t("desk.conflict.loading")} />}
      <ErrorMessage error={amendment.error} />
      {!amendment.isPending && (
        <div className={wordings.length === 3 ? "side-by-side side-by-side-3" : "side-by-side"}>
          {wordings.map((wording) => (
            <div className="side" key={wording.label}>
              <p className="side-label">{wording.label}</p>
              <p className="side-text" dir="auto">
                <Marked parts={wording.parts} />
              </p>
            </div>
          ))}
        </div>
      )}
      {key !== null && start && starts.length > 1 && (
        <fieldset className="compromise-start">
          <legend>{t("desk.conflict.startFrom")}</legend>
          {starts.map((option, index) => (
            <div className="field-check" key={option.label}>
              <input
                type="radio"
                id={`${id}-start-${index}`}
                name={`${id}-start`}
                checked={index === at}
                onChange={() => setChosen(index)}
              />
              <label htmlFor={`${id}-start-${index}`}>{option.label}</label>
            </div>
          ))}
        </fieldset>
      )}
      <div className="button-row button-row-tight">
        <button type="button" className="button-small" onClick={() => onRemove(conflict.amendment_id)}>
          {t("desk.conflict.leaveOut")}
        </button>
        <button
          type="button"
          className="button-small button-danger"
          disabled={rejecting === conflict.amendment_id}
          onClick={() => onReject(conflict.amendment_id)}
        >
          {rejecting === conflict.amendment_id ? t("desk.conflict.rejecting") : t("desk.conflict.reject")}
        </button>
        {key !== null && start && conflict.current_text !== null && (
          <button
            type="button"
            className="button-small button-small-primary"
            onClick={() => onCompromise(conflict.amendment_id, key, { text: start.text, from: start.from })}
          >
            {t("desk.conflict.compromise")}
          </button>
        )}
      </div>
    </li>
  );
}

function Marked({ parts }: { parts: MarkedPart[] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.marked ? (
          <mark className="clash" key={index}>
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
