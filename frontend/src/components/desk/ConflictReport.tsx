// A merge refused for conflicts: for each amendment, every wording that clashes side by side —
// the head's, the one the amendments earlier in the merge make of the paragraph (when the clash
// is with them), the amendment's own — with the clashing words marked, and what the
// co-facilitator can do about it, down to a compromise started from the wording they choose.
import { useId, useState } from "react";
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
  const { conflicts } = props;
  return (
    <section className="conflicts notice notice-error" aria-labelledby="conflicts-title" role="alert">
      <h3 id="conflicts-title" tabIndex={-1}>
        {conflicts.length === 1 ? "1 amendment conflicts" : `${conflicts.length} amendments conflict`}: nothing was
        merged
      </h3>
      <p>
        Each of these changes words that the current text, or another amendment in this merge, changes too. For
        each one, either <strong>reject</strong> one of the competing changes; or <strong>merge the other first</strong>,
        then reopen this one so its city can re-propose it on the new version; or <strong>write compromise wording</strong>{" "}
        as a direct edit of the paragraph. The words that clash are <mark className="clash">marked</mark> in each
        wording.
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

/** "amendment 6 (Mechelen)", "amendments 4, 6 (Mechelen)": each with its city when known. */
function amendmentsInWords(ids: readonly number[], cityOf: (id: number) => string | undefined): string {
  const named = ids.map((id) => {
    const city = cityOf(id);
    return city ? `${id} (${city})` : String(id);
  });
  return `${ids.length === 1 ? "amendment" : "amendments"} ${named.join(", ")}`;
}

const capitalised = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

function wordingsOf(conflict: MergeConflict, base: string | null, head: number, cityOf: ConflictReportProps["cityOf"]) {
  const mark = (text: string) => markClash(base, conflict.clashing_words, text);
  const wordings: Wording[] = [];
  wordings.push({
    label: `Current text (version ${head})`,
    name: "the current text",
    parts:
      conflict.current_text === null
        ? [{ text: "(This paragraph is no longer in the text.)", marked: false }]
        : mark(conflict.current_text),
    text: conflict.current_text,
  });
  const competing = conflict.competing_amendments.length > 0 ? conflict.competing_text : null;
  if (competing !== null) {
    const who = amendmentsInWords(conflict.competing_amendments, cityOf);
    wordings.push({ label: `${capitalised(who)}, earlier in this merge`, name: `the wording of ${who}`, parts: mark(competing), text: competing });
  }
  const own = amendmentsInWords([conflict.amendment_id], cityOf);
  wordings.push({
    label: `${capitalised(own)}’s wording`,
    name: `the wording of ${own}`,
    parts:
      conflict.proposed_text === null
        ? [{ text: "(Deletes the paragraph.)", marked: false }]
        : mark(conflict.proposed_text),
    text: conflict.proposed_text,
  });
  return wordings;
}

/** The compromise starts: both sides' words together first (when they can be put so), then each wording. */
function startsOf(wordings: Wording[]): (CompromiseStart & { label: string })[] {
  // The frame is what this amendment clashes with: the earlier amendments' wording, else the head's.
  const frame = wordings[wordings.length - 2]!;
  const own = wordings[wordings.length - 1]!;
  const both = own.text === null ? null : bothWordings(frame.parts, own.parts);
  return [
    ...(both === null ? [] : [{ text: both, from: "both wordings, side by side where they clash", label: "Both wordings, where they clash" }]),
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
  const id = useId();
  // Its base text, to find the clashing words again in each wording, and its city.
  const amendment = useAmendment(conflict.amendment_id);
  const key = conflict.paragraph_key;
  const base = amendment.data?.base_text ?? null;
  const wordings = wordingsOf(conflict, base, head, (n) =>
    n === conflict.amendment_id ? (amendment.data?.city.name ?? cityOf(n)) : cityOf(n),
  );
  const starts = startsOf(wordings);
  const [chosen, setChosen] = useState(0);
  const at = Math.min(chosen, starts.length - 1);
  const start = starts[at];
  return (
    <li className="conflict-item">
      <h4>
        Amendment {conflict.amendment_id}, {whereOf(key)}
        {amendment.data && (
          <>
            {" "}
            (<bdi>{amendment.data.city.name}</bdi>)
          </>
        )}
      </h4>
      <p className="conflict-reason">{conflict.reason}</p>
      {amendment.isPending && <Loading what="Loading the amendment" />}
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
          <legend>Start the compromise from</legend>
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
          Leave it out of this merge
        </button>
        <button
          type="button"
          className="button-small button-danger"
          disabled={rejecting === conflict.amendment_id}
          onClick={() => onReject(conflict.amendment_id)}
        >
          {rejecting === conflict.amendment_id ? "Rejecting…" : "Reject it"}
        </button>
        {key !== null && start && conflict.current_text !== null && (
          <button
            type="button"
            className="button-small button-small-primary"
            onClick={() => onCompromise(conflict.amendment_id, key, { text: start.text, from: start.from })}
          >
            Write compromise wording instead
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
