"""The secretariat's desk: changing and deactivating accounts, bulk imports from CSV."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from app import deps
from app.auth.models import Role
from tests.auth.test_auth_api import sign_in
from tests.conftest import PASSWORD


class TestUpdateUser:
    def test_deactivating_an_account_ends_its_sign_ins_at_once(self, client, people):
        admin = people.as_role(Role.admin)
        user = people.user(Role.delegate)
        token = sign_in(client, user.email).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/me", headers=bearer).status_code == 200
        r = client.patch(f"/api/users/{user.id}", json={"active": False}, headers=admin)
        assert r.status_code == 200 and r.json()["active"] is False
        assert client.get("/api/me", headers=bearer).status_code == 401
        assert sign_in(client, user.email).status_code == 401

    def test_a_request_reading_the_account_meanwhile_cannot_bring_it_back(
        self, client, people, monkeypatch
    ):
        admin = people.as_role(Role.admin)
        user = people.user(Role.delegate)
        bearer = people.headers(user)
        read, deactivated = threading.Event(), threading.Event()
        load = deps._load_user

        def load_then_wait(context, user_id):
            loaded = load(context, user_id)
            if user_id == user.id and not read.is_set():
                read.set()  # this request holds the account as it was: still active
                assert deactivated.wait(10)
            return loaded

        monkeypatch.setattr(deps, "_load_user", load_then_wait)
        with ThreadPoolExecutor(1) as pool:
            earlier = pool.submit(client.get, "/api/me", headers=bearer)
            assert read.wait(10)
            r = client.patch(f"/api/users/{user.id}", json={"active": False}, headers=admin)
            assert r.status_code == 200
            deactivated.set()
            assert earlier.result(10).status_code == 200  # it began before the deactivation
        assert client.get("/api/me", headers=bearer).status_code == 401

    def test_a_new_password_replaces_the_old_and_revokes_tokens(self, client, people):
        admin = people.as_role(Role.admin)
        user = people.user(Role.observer)
        old = {"Authorization": f"Bearer {sign_in(client, user.email).json()['access_token']}"}
        r = client.patch(
            f"/api/users/{user.id}", json={"password": "a brand new one"}, headers=admin
        )
        assert r.status_code == 200
        assert client.get("/api/me", headers=old).status_code == 401
        assert sign_in(client, user.email, PASSWORD).status_code == 401
        assert sign_in(client, user.email, "a brand new one").status_code == 200

    def test_role_and_city_rules_hold(self, client, people):
        admin = people.as_role(Role.admin)
        user = people.user(Role.observer)
        r = client.patch(f"/api/users/{user.id}", json={"role": "mayor"}, headers=admin)
        assert r.status_code == 422 and r.json()["code"] == "city_required"
        city = people.city("Malmö", "SE")
        r = client.patch(
            f"/api/users/{user.id}",
            json={"role": "mayor", "city_id": city.id, "title": "Mayor"},
            headers=admin,
        )
        assert r.status_code == 200 and r.json()["city"]["name"] == "Malmö"
        assert (
            client.patch("/api/users/999999", json={"active": False}, headers=admin).status_code
            == 404
        )

    def test_name_email_and_a_new_password(self, client, people):
        admin = people.as_role(Role.admin)
        user = people.user(Role.observer)
        other = people.user(Role.observer)
        r = client.patch(
            f"/api/users/{user.id}",
            json={
                "name": "SRSG Office", "email": "srsg@un.example", "password": "a new secret pass"
            },
            headers=admin,
        )
        assert r.status_code == 200, r.text
        assert (r.json()["name"], r.json()["email"]) == ("SRSG Office", "srsg@un.example")
        ok = client.post(
            "/api/auth/token", data={"username": "srsg@un.example", "password": "a new secret pass"}
        )
        assert ok.status_code == 200
        taken = client.patch(f"/api/users/{user.id}", json={"email": other.email}, headers=admin)
        assert (taken.status_code, taken.json()["code"]) == (409, "duplicate_email")

    def test_an_admin_cannot_lock_themself_out(self, client, people):
        admin = people.user(Role.admin)
        r = client.patch(
            f"/api/users/{admin.id}", json={"active": False}, headers=people.headers(admin)
        )
        assert r.status_code == 409

    @pytest.mark.parametrize("role", ["co_facilitator", "delegate", "mayor", "observer"])
    def test_only_the_secretariat_changes_accounts(self, client, people, role):
        user = people.user(Role.observer)
        r = client.patch(
            f"/api/users/{user.id}", json={"active": False}, headers=people.as_role(role)
        )
        assert r.status_code == 403


class TestUpdateCity:
    def test_the_secretariat_corrects_a_city_and_its_accounts_keep_it(self, client, people):
        admin = people.as_role(Role.admin)
        city = people.city("Kampla", "UG")
        delegate = people.user(Role.delegate, city=city)
        r = client.patch(
            f"/api/cities/{city.id}", json={"name": "Kampala", "latitude": 0.35}, headers=admin
        )
        assert r.status_code == 200, r.text
        got = r.json()
        assert (got["name"], got["country"], got["latitude"]) == ("Kampala", "UG", 0.35)
        me = client.get("/api/me", headers=people.headers(delegate)).json()
        assert me["city"]["name"] == "Kampala"

    def test_a_name_another_city_has_is_refused(self, client, people):
        admin = people.as_role(Role.admin)
        people.city("Gent", "BE")
        other = people.city("Ghent", "BE")
        r = client.patch(f"/api/cities/{other.id}", json={"name": "Gent"}, headers=admin)
        assert (r.status_code, r.json()["code"]) == (409, "duplicate_city")
        missing = client.patch("/api/cities/999999", json={"name": "X"}, headers=admin)
        assert (missing.status_code, missing.json()["code"]) == (404, "city_not_found")


class TestImport:
    def test_cities_import_all_or_nothing(self, client, people):
        admin = people.as_role(Role.admin)
        good = "name,country,kind,latitude,longitude\nGent,be,city,51.05,3.72\nΑθήνα,GR,,,\n"
        r = client.post("/api/cities/import", json={"csv": good}, headers=admin)
        assert r.status_code == 200 and r.json()["created"] == 2
        again = client.post("/api/cities/import", json={"csv": good}, headers=admin)
        assert again.json() == {"created": 0, "existing": 2, "generated_passwords": []}
        bad = "name,country\nLeuven,BE\nNowhere,XYZ\n"
        r = client.post("/api/cities/import", json={"csv": bad}, headers=admin)
        assert r.status_code == 422 and "Line 3" in r.json()["detail"]
        assert r.json()["problems"][0].startswith("Line 3: the country “XYZ” is not valid (")
        names = [
            c["name"] for c in client.get("/api/cities?limit=500", headers=admin).json()["items"]
        ]
        assert "Leuven" not in names and "Gent" in names

    def test_accounts_import_generates_missing_passwords(self, client, people):
        admin = people.as_role(Role.admin)
        people.city("Kampala", "UG")
        rows = (
            "email,name,role,title,city,country,password\n"
            "m@kampala.example,Erias Lukwago,mayor,Lord Mayor,Kampala,UG,\n"
            "o@un.example,SRSG Office,observer,,,,chosen password\n"
        )
        r = client.post("/api/users/import", json={"csv": rows}, headers=admin)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["created"] == 2 and len(body["generated_passwords"]) == 1
        generated = body["generated_passwords"][0]
        assert sign_in(client, generated["email"], generated["password"]).status_code == 200
        assert sign_in(client, "o@un.example", "chosen password").status_code == 200

    def test_a_bad_account_row_imports_nothing(self, client, people):
        admin = people.as_role(Role.admin)
        rows = "email,name,role\nfine@x.example,Fine,observer\nnocity@x.example,No City,mayor\n"
        r = client.post("/api/users/import", json={"csv": rows}, headers=admin)
        assert r.status_code == 422 and r.json()["code"] == "csv_invalid"
        # The account rule's sentence, as the one-account form says it.
        assert r.json()["problems"] == ["Line 3: A mayor must belong to a city."]
        assert sign_in(client, "fine@x.example", "whatever pass").status_code == 401

    def test_roles_as_the_screens_name_them_in_any_case(self, client, people):
        admin = people.as_role(Role.admin)
        people.city("Kampala", "UG")
        rows = (
            "email,name,role,title,city,country\n"
            "a@x.example,A,Mayor,,Kampala,UG\n"
            "b@x.example,B,Co-facilitator,,,\n"
            "c@x.example,C,mayor or governor,,Kampala,UG\n"
            "d@x.example,D,SECRETARIAT (ADMINISTRATOR),,,\n"
            "e@x.example,E,co_facilitator,,,\n"
        )
        r = client.post("/api/users/import", json={"csv": rows}, headers=admin)
        assert r.status_code == 200, r.text
        listed = client.get("/api/users?limit=500", headers=admin).json()["items"]
        roles = {u["email"]: u["role"] for u in listed}
        assert [roles[f"{c}@x.example"] for c in "abcde"] == [
            "mayor", "co_facilitator", "mayor", "admin", "co_facilitator",
        ]  # fmt: skip

    def test_one_plain_sentence_per_problem(self, client, people):
        admin = people.as_role(Role.admin)
        rows = "email,name,role\nnot-an-address,,chair\nok@x.example,,observer\n"
        r = client.post("/api/users/import", json={"csv": rows}, headers=admin)
        assert r.status_code == 422
        problems = r.json()["problems"]
        assert problems[0] == (
            "Line 2: the role “chair” is not one of Secretariat (or admin), Co-facilitator, "
            "Delegate, Mayor (or governor), Observer."
        )
        assert problems[1] == "Line 3: the name is missing."
        assert len(problems) == 2

    @pytest.mark.parametrize("role", ["co_facilitator", "delegate", "observer"])
    def test_only_the_secretariat_imports(self, client, people, role):
        headers = people.as_role(role)
        assert (
            client.post(
                "/api/cities/import", json={"csv": "name,country\n"}, headers=headers
            ).status_code
            == 403
        )
        assert (
            client.post(
                "/api/users/import", json={"csv": "email,name,role\n"}, headers=headers
            ).status_code
            == 403
        )
