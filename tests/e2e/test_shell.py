"""The served SPA: sign in, see who you are and the declarations, read a version, compare."""

from app.demo import ACCOUNTS, TITLE
from tests.e2e.conftest import shoot, sign_in

COFAC = next(a for a in ACCOUNTS if a.role == "co_facilitator")
DELEGATE = next(a for a in ACCOUNTS if a.email.startswith("delegate.kampala"))


def test_a_wrong_password_is_explained_in_words(page):
    page.goto("/")
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_label("Email address").fill(COFAC.email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("The email or password is wrong.").wait_for()
    shoot(page, "sign-in-error")


def test_a_delegate_sees_who_they_are_and_the_declarations(page):
    sign_in(page, DELEGATE.email, DELEGATE.password)
    header = page.locator("header")
    header.get_by_text(DELEGATE.name).wait_for()
    header.get_by_text("Kampala").wait_for()
    page.get_by_role("link", name=TITLE).wait_for()
    shoot(page, "declarations")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE).wait_for()
    page.get_by_text("sha256:").first.wait_for()
    shoot(page, "declaration")


def test_the_api_documentation_is_served(page, server):
    page.goto("/api/docs")
    page.locator(".swagger-ui").wait_for()
    page.get_by_text("/api/declarations/{declaration_id}/compare").first.wait_for()
    shoot(page, "api-docs", ours=False)  # Swagger UI's own contrast and nested controls
