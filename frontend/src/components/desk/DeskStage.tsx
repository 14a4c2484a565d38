// The end of the process where co-facilitators work: the step the declaration is at and its one
// next move — finalize the current version, open endorsement, close it — each confirmed first.
// The same mutation and confirmation as the Endorsement page (useEndorsementMove, ConfirmAction).
import { useState } from "react";
import { Link } from "react-router";
import { useEndorsementMove } from "../../api/mutations";
import { useTranslations } from "../../api/queries";
import type { Declaration } from "../../api/types";
import { statusInWords } from "../../lib/words";
import { ConfirmAction } from "../ConfirmAction";
import { ErrorMessage } from "../ErrorMessage";

const STEPS: Declaration["status"][] = ["drafting", "final", "open", "closed"];

interface DeskStageProps {
  declaration: Declaration;
  onDone: (message: string) => void;
}

export function DeskStage({ declaration, onDone }: DeskStageProps) {
  const move = useEndorsementMove(declaration.id);
  const [requirePasskey, setRequirePasskey] = useState(false);
  const { status, head_version: head, final_version: final, title } = declaration;
  const endorsement = `/declarations/${declaration.id}/endorsement`;
  return (
    <section className="panel desk-stage" aria-labelledby="desk-stage-title">
      <h2 id="desk-stage-title" className="desk-stage-title">
        Step {STEPS.indexOf(status) + 1} of {STEPS.length}: {statusInWords(status)}
      </h2>
      {status === "drafting" && (
        <>
          <p>When the amendments are settled, finalize version {head}: it becomes the text mayors sign.</p>
          <ConfirmAction
            label={`Finalize version ${head}`}
            // Not the desk's main action while drafting: the merge is.
            buttonClassName="button-secondary"
            question={<FinalizeQuestion declarationId={declaration.id} head={head} title={title} endorsement={endorsement} />}
            confirmLabel={`Yes, finalize version ${head}`}
            busyLabel="Finalizing…"
            busy={move.isPending}
            onConfirm={() =>
              move.mutate(
                { move: "finalize", version: head, authentic: [] },
                { onSuccess: () => onDone(`Version ${head} is now the final text.`) },
              )
            }
          />
        </>
      )}
      {status === "final" && (
        <>
          <p>Opening endorsement lets each city’s mayor sign version {final}; the signature log begins.</p>
          <p className="checkbox">
            <input
              id="desk-require-passkey"
              type="checkbox"
              checked={requirePasskey}
              onChange={(event) => setRequirePasskey(event.target.checked)}
            />
            <label htmlFor="desk-require-passkey">Mayors must sign with their own passkey (no password)</label>
          </p>
          <ConfirmAction
            label="Open endorsement"
            question={<p>Open endorsement of version {final}? Mayors can sign from now on.</p>}
            confirmLabel="Yes, open endorsement"
            busyLabel="Opening…"
            busy={move.isPending}
            onConfirm={() =>
              move.mutate({ move: "open", requirePasskey }, { onSuccess: () => onDone("Endorsement is open.") })
            }
          />
        </>
      )}
      {status === "open" && (
        <>
          <p>Mayors are signing. Closing seals the signature log: no more signatures or withdrawals.</p>
          <ConfirmAction
            label="Close endorsement"
            danger
            question={<p>Close endorsement and seal the log? No mayor can sign or withdraw afterwards.</p>}
            confirmLabel="Yes, close and seal"
            busyLabel="Closing…"
            busy={move.isPending}
            onConfirm={() =>
              move.mutate({ move: "close" }, { onSuccess: () => onDone("Endorsement is closed and the log sealed.") })
            }
          />
        </>
      )}
      {status === "closed" && <p>Endorsement is closed and the log sealed.</p>}
      {status !== "drafting" && (
        <p>
          <Link to={endorsement}>The final text and its signatures</Link>
        </p>
      )}
      <ErrorMessage error={move.error} />
    </section>
  );
}

/** Finalizing here makes the negotiated text alone authentic: say so when translations could be too. */
function FinalizeQuestion({ declarationId, head, title, endorsement }: { declarationId: number; head: number; title: string; endorsement: string }) {
  const translations = useTranslations(declarationId);
  const ready = (translations.data ?? []).filter((t) => t.outdated === 0 && t.missing === 0);
  return (
    <>
      <p>
        Freeze version {head} of <bdi>{title}</bdi> as the final text? No amendment can be decided or merged after it.
        This cannot be undone.
      </p>
      {ready.length > 0 && (
        <p>
          Only the negotiated text becomes authentic from here. To sign complete translations with it (
          {ready.map((t) => t.language).join(", ")}), finalize on the <Link to={endorsement}>Endorsement page</Link>{" "}
          instead.
        </p>
      )}
    </>
  );
}
