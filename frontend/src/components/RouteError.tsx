// What a screen shows if it fails while rendering (a bug): a sentence, not a stack trace.
import { useRouteError } from "react-router";

export function RouteError() {
  const error = useRouteError();
  console.error(error);
  return (
    <main id="main" className="page">
      <h1>Something went wrong</h1>
      <p>This screen could not be shown. Reload the page; if it happens again, tell the secretariat.</p>
      <p>
        <a href="/declarations">Back to the declarations</a>
      </p>
    </main>
  );
}
