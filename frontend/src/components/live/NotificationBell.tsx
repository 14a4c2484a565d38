// The bell in the header: how many of my notices are unread, and the latest of them; opening
// one marks it read and goes where it points.
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMarkRead, useNotifications } from "../../api/notifications";
import { formatDateTime, formatNumber } from "../../lib/words";

export function NotificationBell() {
  const { t } = useTranslation();
  const notices = useNotifications();
  const markRead = useMarkRead();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const box = useRef<HTMLDivElement>(null);
  const unread = notices.data?.unread ?? 0;

  // A click elsewhere or Escape closes the list.
  useEffect(() => {
    if (!open) return;
    const onClick = (event: MouseEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onClick);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onClick);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const items = notices.data?.items ?? [];
  return (
    <div className="bell" ref={box}>
      <button
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={unread > 0 ? t("live.unread", { count: unread }) : t("live.notifications")}
        onClick={() => setOpen((was) => !was)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {formatNumber(unread)}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" id={panelId} role="region" aria-label={t("live.notifications")}>
          <div className="bell-head">
            <h2>{t("live.notifications")}</h2>
            {unread > 0 && (
              <button
                type="button"
                className="button-quiet-dark"
                onClick={() => markRead.mutate({ all: true })}
                disabled={markRead.isPending}
              >
                {t("live.markAllRead")}
              </button>
            )}
          </div>
          {notices.isPending && <p className="bell-empty">{t("live.loading")}</p>}
          {notices.isError && <p className="bell-empty">{t("live.failed")}</p>}
          {notices.data && items.length === 0 && <p className="bell-empty">{t("live.nothing")}</p>}
          {items.length > 0 && (
            <ul className="bell-list">
              {items.map((notice) => (
                <li key={notice.id} className={notice.read_at ? "bell-read" : "bell-unread"}>
                  <Link
                    to={notice.link}
                    onClick={() => {
                      if (!notice.read_at) markRead.mutate({ ids: [notice.id] });
                      setOpen(false);
                    }}
                  >
                    {!notice.read_at && <span className="visually-hidden">{t("live.unreadMark")}</span>}
                    {/* The server writes the notice in English (titles and names in it as given). */}
                    <span lang="en" dir="auto">
                      {notice.text}
                    </span>
                  </Link>
                  <span className="bell-time">{formatDateTime(notice.created_at)}</span>
                </li>
              ))}
            </ul>
          )}
          {notices.data && notices.data.total > items.length && (
            <p className="bell-empty">{t("live.latest", { shown: items.length, total: notices.data.total })}</p>
          )}
        </div>
      )}
    </div>
  );
}
