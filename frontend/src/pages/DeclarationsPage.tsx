// All declarations, and (for co-facilitators and the secretariat) the form to start a new one.
import { Link, useSearchParams } from "react-router";
import { PAGE_SIZE, useDeclarations, useMe, useSignaturePage } from "../api/queries";
import type { Declaration, Me } from "../api/types";
import { ErrorMessage } from "../components/ErrorMessage";
import { Loading } from "../components/Loading";
import { StatusBadge } from "../components/StatusBadge";
import { NewDeclarationForm } from "../components/NewDeclarationForm";
import { canEditDeclarations } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";
import { formatDate, plural } from "../lib/words";

export function DeclarationsPage() {
  usePageTitle("Declarations");
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  const me = useMe();
  const declarations = useDeclarations(offset);
  const page = declarations.data;

  function goTo(nextOffset: number) {
    setParams(nextOffset > 0 ? { offset: String(nextOffset) } : {});
  }

  return (
    <div className="page">
      <h1>Declarations</h1>
      {canEditDeclarations(me.data) && <NewDeclarationForm />}
      {declarations.isPending && <Loading what="Loading the declarations" />}
      <ErrorMessage error={declarations.error} />
      {page && page.total === 0 && (
        <p className="empty">
          There is no declaration yet.
          {canEditDeclarations(me.data) && " Start one with “New declaration” above."}
        </p>
      )}
      {page && page.items.length > 0 && (
        <>
          <table className="declarations">
            <caption className="visually-hidden">Declarations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Current version</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((declaration) => (
                <tr key={declaration.id}>
                  <th scope="row" className="declaration-title">
                    <Link to={`/declarations/${declaration.id}`} dir="auto">
                      {declaration.title}
                    </Link>
                  </th>
                  <td data-label="Status">
                    <StatusBadge status={declaration.status} />
                    {me.data?.role === "mayor" && declaration.status === "open" && (
                      <SignatureCue declaration={declaration} me={me.data} />
                    )}
                  </td>
                  <td data-label="Current version">
                    Version {declaration.head_version}
                    {declaration.final_version !== null && ` (final: version ${declaration.final_version})`}
                  </td>
                  <td data-label="Started">
                    <time dateTime={declaration.created_at}>{formatDate(declaration.created_at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.total > page.items.length && (
            <nav className="pager" aria-label="Pages of declarations">
              <button type="button" className="button-secondary" disabled={offset === 0} onClick={() => goTo(Math.max(0, offset - PAGE_SIZE))}>
                Previous
              </button>
              <p>
                {offset + 1}–{offset + page.items.length} of {plural(page.total, "declaration")}
              </p>
              <button
                type="button"
                className="button-secondary"
                disabled={offset + page.items.length >= page.total}
                onClick={() => goTo(offset + PAGE_SIZE)}
              >
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}

/** For a mayor, an open declaration says whether it awaits their city's signature, with one
 * click to the signing form. */
function SignatureCue({ declaration, me }: { declaration: Declaration; me: Me }) {
  const city = me.city;
  const ours = useSignaturePage(declaration.id, 0, 5, false, city?.id, !!city);
  if (!city || !ours.data) return null;
  const signed = ours.data.items.some((s) => s.city.id === city.id && !s.withdrawn);
  if (signed) {
    return (
      <p className="signature-cue is-signed">
        ✓ <bdi>{city.name}</bdi> has signed.{" "}
        <Link to={`/declarations/${declaration.id}/endorsement#sign`}>Your receipt</Link>
      </p>
    );
  }
  return (
    <p className="signature-cue">
      <strong>Awaits your signature.</strong>{" "}
      <Link className="button-primary button-compact" to={`/declarations/${declaration.id}/endorsement#sign`}>
        <span>
          Read and sign for <bdi>{city.name}</bdi>
        </span>
      </Link>
    </p>
  );
}
