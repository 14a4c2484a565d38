// The card the signed-out pages stand on (sign in, forgotten password): the name, the choice of
// language, then the page's own content.
import type { ReactNode } from "react";
import { LanguagePicker } from "./LanguagePicker";

export function SignInCard({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-top">
          <p className="brand-large">Concord</p>
          <LanguagePicker />
        </div>
        {children}
      </div>
    </main>
  );
}
