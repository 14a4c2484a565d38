"""Forgot password, in the browser, on a platform that sends mail (aiosmtpd on loopback): a
mayor asks for a link on the sign-in page, opens it from the mail, sets a new password and
signs in with it; the link does not work twice. At 1280 and 360 px, checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from app.demo import ACCOUNTS
from tests.e2e.conftest import serving
from tests.e2e.test_life_of_a_declaration import (  # noqa: F401 (the autouse fixture)
    patient_expectations,
    snap,
)
from tests.notifications.test_mail import free_port, mail_server

MAYOR = next(a for a in ACCOUNTS if a.email.startswith("mayor.tokyo"))
NEW = "a new passphrase for Tokyo"


@pytest.fixture(scope="module")
def mailing(tmp_path_factory):
    """A platform of its own that mails to aiosmtpd: (base URL, inbox)."""
    port = free_port()
    controller, inbox = mail_server(port)
    try:
        with serving(
            tmp_path_factory.mktemp("e2e-mail"),
            smtp_url=f"smtp://127.0.0.1:{port}",
            mail_poll_seconds="0.2",
        ) as base:
            yield base, inbox
    finally:
        controller.stop()


def link_in(inbox, base: str) -> str:
    """The link in the mail, as the platform wrote it: its public origin, by default
    http://localhost:PORT (never the address it listens on)."""
    _, message = inbox.wait_for(1)[-1]
    body = message.get_payload(decode=True).decode()
    origin = base.replace("//127.0.0.1:", "//localhost:")
    link = re.search(re.escape(origin) + r"/reset-password#token=[\w-]+", body)
    assert link, body
    return link[0]


def test_a_mayor_sets_a_new_password_from_the_mail(browser, mailing):
    base, inbox = mailing
    errors: list[str] = []
    pages = []
    for width in (1280, 360):
        context = browser.new_context(base_url=base, viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages.append(page)
    desk, phone = pages

    desk.goto("/login")
    desk.get_by_role("link", name="Forgot your password?").click()
    expect(desk.get_by_role("heading", name="Forgot your password")).to_be_visible()
    desk.get_by_label("Email address").fill(MAYOR.email)
    snap(desk, "p1-forgot-password-1280")
    desk.get_by_role("button", name="Send the link").click()
    expect(desk.get_by_text("a link to set a new password is on its way")).to_be_visible()
    link = link_in(inbox, base)

    phone.goto(link)
    expect(phone.get_by_role("heading", name="Choose a new password")).to_be_visible()
    phone.get_by_label("New password (at least 8 characters)").fill(NEW)
    phone.get_by_label("The new password again").fill(NEW)
    snap(phone, "p2-new-password-360")
    phone.get_by_role("button", name="Set the new password").click()
    expect(phone.get_by_text("Your new password is set. Sign in with it.")).to_be_visible()
    phone.get_by_role("link", name="Sign in").click()
    phone.get_by_label("Email address").fill(MAYOR.email)
    phone.get_by_label("Password", exact=True).fill(NEW)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", name="Declarations", exact=True)).to_be_visible()

    desk.goto(link)  # the same link again
    desk.get_by_label("New password (at least 8 characters)").fill("yet another passphrase")
    desk.get_by_label("The new password again").fill("yet another passphrase")
    desk.get_by_role("button", name="Set the new password").click()
    expect(desk.get_by_text("This link was used already: ask for a new one.")).to_be_visible()
    snap(desk, "p3-link-used-1280")
    for page in pages:
        page.context.close()
    assert not errors, errors
