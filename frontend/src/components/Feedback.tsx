// A short confirmation after an action ("Your comment was added."), announced politely; words
// that quote a code or a name may come marked up (a language tag in <bdi>).
import type { ReactNode } from "react";

export function Feedback({ message }: { message: ReactNode }) {
  return (
    <p className={message ? "feedback" : "visually-hidden"} role="status">
      {message ?? ""}
    </p>
  );
}
