// A short confirmation after an action ("Your comment was added."), announced politely.
export function Feedback({ message }: { message: string | null }) {
  return (
    <p className={message ? "feedback" : "visually-hidden"} role="status">
      {message ?? ""}
    </p>
  );
}
