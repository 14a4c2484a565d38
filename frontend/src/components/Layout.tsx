// The frame of every signed-in screen: skip link, header with the user and Sign out, main, footer.
import { useEffect, useRef } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useLocation, useParams } from "react-router";
import { useMe } from "../api/queries";
import { signOut } from "../lib/auth";
import { LiveUpdates } from "./live/LiveUpdates";
import { NotificationBell } from "./live/NotificationBell";
import { isAdmin } from "../lib/roles";
import { roleInWords } from "../lib/words";
import { LanguagePicker } from "./LanguagePicker";

export function Layout() {
  const me = useMe();
  const { t } = useTranslation();
  const main = useRef<HTMLElement>(null);
  const location = useLocation();
  const firstRender = useRef(true);
  const { declarationId } = useParams();

  // After an in-app navigation, move focus to the new content, as a full page load would.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t("layout.skip")}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link className="brand" to="/declarations">
            Concord
          </Link>
          <nav aria-label={t("layout.main")}>
            <ul>
              <li>
                <NavLink to="/declarations">{t("layout.declarations")}</NavLink>
              </li>
              {isAdmin(me.data) && (
                <li>
                  <NavLink to="/admin">{t("layout.secretariat")}</NavLink>
                </li>
              )}
              <li>
                <NavLink to="/verify">{t("layout.verify")}</NavLink>
              </li>
              {me.data?.role === "mayor" && (
                <li>
                  <NavLink to="/account">{t("layout.passkeys")}</NavLink>
                </li>
              )}
              <li>
                <a href="/api/docs">{t("layout.api")}</a>
              </li>
            </ul>
          </nav>
          <div className="who">
            {me.data && (
              <p className="who-text">
                <span className="visually-hidden">{t("layout.signedInAs")}</span>
                <bdi className="who-name">{me.data.name}</bdi>
                <span className="who-role">
                  {me.data.city ? (
                    <Trans
                      i18nKey="layout.roleCity"
                      values={{ role: roleInWords(me.data.role), country: me.data.city.country }}
                      components={{ city: <bdi>{me.data.city.name}</bdi> }}
                    />
                  ) : (
                    roleInWords(me.data.role)
                  )}
                </span>
              </p>
            )}
            {me.data && <NotificationBell />}
            <LanguagePicker />
            <button type="button" className="button-quiet" onClick={() => signOut("signed_out")}>
              {t("layout.signOut")}
            </button>
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <LiveUpdates declarationId={declarationId ? Number(declarationId) : undefined} me={me.data} />
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t("layout.footer")}</p>
      </footer>
    </>
  );
}
