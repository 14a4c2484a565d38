// The end of the process where co-facilitators work: the step the declaration is at and its next
// move (finalize, open endorsement, close it) — the Endorsement page's own panel, here headed by
// the step, with the way to the final text and its signatures once there is one.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Declaration } from "../../api/types";
import { statusInWords } from "../../lib/words";
import { CoFacilitatorMoves } from "../endorsement/CoFacilitatorMoves";

const STEPS: Declaration["status"][] = ["drafting", "final", "open", "closed"];

interface DeskStageProps {
  declaration: Declaration;
  onDone: (message: string) => void;
}

export function DeskStage({ declaration, onDone }: DeskStageProps) {
  const { t } = useTranslation();
  const { status } = declaration;
  const step = t("desk.stage.step", { step: STEPS.indexOf(status) + 1, steps: STEPS.length, status: statusInWords(status) });
  return (
    <div className="desk-stage">
      <CoFacilitatorMoves declaration={declaration} onDone={onDone} heading={step} quietFinalize>
        {status !== "drafting" && (
          <p>
            <Link to={`/declarations/${declaration.id}/endorsement`}>{t("desk.stage.toEndorsement")}</Link>
          </p>
        )}
      </CoFacilitatorMoves>
    </div>
  );
}
