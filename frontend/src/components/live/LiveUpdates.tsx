// The live room: while a declaration's page is open, its stream refreshes what changed (margins,
// the desk, the signatories) and, when someone else makes a new version, a banner says so: the
// page stays on the version it shows until the reader follows the banner, so whatever they are
// writing is kept.
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import { notificationKeys } from "../../api/notifications";
import { keys } from "../../api/queries";
import type { Me } from "../../api/types";
import { getToken } from "../../lib/auth";
import { watchDeclaration, type LiveEvent } from "../../lib/liveStream";

/** What each event makes stale: the query keys to refetch. */
export function staleKeys(event: LiveEvent): (readonly unknown[])[] {
  const id = event.declaration_id;
  const [family] = event.type.split(".");
  switch (family) {
    case "version":
      // Not the declaration (its head): the page stays on the version being read, so that a
      // form open on it stays as it is; the banner offers the new one.
      return [keys.versions(id), keys.comments(id), keys.amendments(id)];
    case "amendment":
      return [keys.amendments(id), keys.amendment(Number(event.target.id)), notificationKeys.all];
    case "comment":
      return [keys.comments(id), notificationKeys.all];
    case "declaration":
      // The declaration's key is a prefix of all read under it; the list is named apart (not
      // every declaration's queries, which would fetch this one's twice).
      return [keys.declaration(id), keys.declarationList(0).slice(0, 2), notificationKeys.all];
    case "signature":
      // A prefix of every query read from the signatures: the table's pages, the timeline and
      // the map (all of them, withdrawn ones included) and the log's checkpoint.
      return [keys.signatures(id)];
    default:
      return [];
  }
}

/** Refetches what `event` made stale (the queries on screen; the others when next read). */
export function refresh(queryClient: QueryClient, event: LiveEvent) {
  for (const queryKey of staleKeys(event)) void queryClient.invalidateQueries({ queryKey });
}

interface LiveUpdatesProps {
  declarationId: number | undefined;
  me: Me | undefined;
}

export function LiveUpdates({ declarationId, me }: LiveUpdatesProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [madeVersion, setMadeVersion] = useState<LiveEvent | null>(null);
  const meId = me?.id;

  useEffect(() => {
    setMadeVersion(null);
    if (declarationId === undefined || Number.isNaN(declarationId) || meId === undefined) return;
    const stop = new AbortController();
    void watchDeclaration(
      declarationId,
      getToken,
      (event) => {
        if (event.type === "version.created" && event.actor?.id === meId) {
          // My own new version: everything read under the declaration (its versions, comments
          // and amendments among them), once.
          void queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) });
          return;
        }
        refresh(queryClient, event);
        if (event.type === "version.created") setMadeVersion(event);
      },
      stop.signal,
    );
    return () => stop.abort();
  }, [declarationId, meId, queryClient]);

  if (!madeVersion || declarationId === undefined) return null;
  return (
    <div className="notice live-banner" role="status">
      <p>
        <Trans
          i18nKey={madeVersion.actor?.name ? "live.newVersionBy" : "live.newVersion"}
          values={{ number: madeVersion.target.id }}
          components={{ strong: <strong />, actor: <bdi>{madeVersion.actor?.name}</bdi> }}
        />
      </p>
      <p className="live-banner-actions">
        <Link
          to={`/declarations/${declarationId}`}
          onClick={() => {
            setMadeVersion(null);
            void queryClient.invalidateQueries({ queryKey: keys.declaration(declarationId) });
          }}
        >
          {t("live.read", { number: madeVersion.target.id })}
        </Link>
        <button type="button" className="button-quiet-dark" onClick={() => setMadeVersion(null)}>
          {t("live.dismiss")}
        </button>
      </p>
    </div>
  );
}
