// Any address the app does not know.
import { Link } from "react-router";
import { usePageTitle } from "../lib/usePageTitle";

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to the <Link to="/declarations">list of declarations</Link>.
      </p>
    </div>
  );
}
