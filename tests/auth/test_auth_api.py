"""Signing in, tokens, and the secretariat's cities and accounts."""

import time

import pytest
from argon2 import PasswordHasher
from jose import jwt
from sqlalchemy import select, update

from app.auth.models import Role, User
from app.ratelimit import Hit
from tests.conftest import PASSWORD


def sign_in(client, email, password=PASSWORD, address=None):
    return client.post("/api/auth/token", data={"username": email, "password": password})


class TestSignIn:
    def test_right_password_gives_a_bearer_token(self, client, people):
        user = people.user(Role.observer)
        r = sign_in(client, user.email)
        assert r.status_code == 200
        body = r.json()
        assert body["token_type"] == "bearer" and body["expires_in"] > 0
        me = client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.status_code == 200 and me.json()["email"] == user.email

    def test_email_is_case_insensitive(self, client, people):
        user = people.user(Role.observer)
        assert sign_in(client, user.email.upper()).status_code == 200

    @pytest.mark.parametrize("email", ["nobody@test.example", None])
    def test_wrong_password_or_unknown_email_is_401_with_the_same_words(
        self, client, people, email
    ):
        user = people.user(Role.observer)
        r = sign_in(client, email or user.email, password="not the password")
        assert r.status_code == 401
        assert r.json() == {"detail": "The email or password is wrong.", "code": "bad_credentials"}

    def test_unknown_email_costs_one_argon2_check_like_a_wrong_password(
        self, client, people, monkeypatch
    ):
        # Same work for both answers, so the answer's time does not tell which e-mails exist.
        # Counted, not timed: the hashes checked are what make the time.
        user = people.user(Role.observer)
        passwords = client.app.state.context.passwords
        checked = []

        class CountingHasher:
            def __init__(self, real):
                self.real = real

            def verify(self, password_hash, password):
                checked.append(password_hash)
                return self.real.verify(password_hash, password)

        monkeypatch.setattr(passwords, "_hasher", CountingHasher(passwords._hasher))
        sign_in(client, user.email, password="wrong password")
        sign_in(client, "nobody-here@test.example", password="wrong password")
        assert len(checked) == 2
        known, unknown = checked
        assert known == user.password_hash
        assert unknown.startswith("$argon2") and unknown != known

    def test_a_burst_of_failures_is_throttled_with_429(self, client, people):
        user = people.user(Role.observer)
        burst = client.app.state.context.login_throttle.burst
        for _ in range(burst):
            assert sign_in(client, user.email, password="wrong password").status_code == 401
        r = sign_in(client, user.email)  # even the right password waits now
        assert r.status_code == 429 and r.json()["code"] == "login_throttled"

    def test_refused_usernames_leave_no_trace(self, client, session):
        throttle = client.app.state.context.login_throttle
        for i in range(3 * throttle.burst):
            r = sign_in(client, f"nobody{i}@test.example", password="wrong password")
            assert r.status_code == (401 if i < throttle.burst else 429)
        # the address, and the usernames that failed; none of those refused with 429
        keys = session.scalars(select(Hit.key).distinct()).all()
        assert len(keys) == throttle.burst + 1

    def test_a_hash_of_another_cost_is_remade_at_the_configured_one(self, client, people, session):
        user = people.user(Role.mayor)
        old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=2).hash(PASSWORD)
        session.execute(update(User).where(User.id == user.id).values(password_hash=old))
        session.commit()
        token = sign_in(client, user.email).json()["access_token"]
        session.expire_all()
        remade = session.get(User, user.id).password_hash
        passwords = client.app.state.context.passwords
        assert remade != old and not passwords.needs_rehash(remade)
        assert passwords.verify(remade, PASSWORD)
        # the same password: the token just issued stays valid, and so does signing in
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert sign_in(client, user.email).status_code == 200
        session.expire_all()
        assert session.get(User, user.id).password_hash == remade  # made once, not again

    def test_deactivated_account_cannot_sign_in(self, client, people, session):
        user = people.user(Role.observer)
        user.active = False
        session.commit()
        assert sign_in(client, user.email).status_code == 401

    def test_missing_form_fields_are_422(self, client):
        r = client.post("/api/auth/token", data={"username": "a@b.example"})
        assert r.status_code == 422 and r.json()["code"] == "invalid"


class TestTokens:
    def claims(self, user: User, **overrides):
        now = int(time.time())
        return {
            "sub": str(user.id),
            "tv": user.token_version,
            "iat": now,
            "exp": now + 60,
            **overrides,
        }

    def call(self, client, token):
        return client.get("/api/me", headers={"Authorization": f"Bearer {token}"})

    def test_no_token_is_401(self, client):
        r = client.get("/api/me")
        assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
        assert r.headers["www-authenticate"] == "Bearer"

    def test_alg_none_is_401(self, client, people):
        user = people.user(Role.admin)
        header = jwt.get_unverified_header(people.headers(user)["Authorization"][7:])
        assert header["alg"] == "HS256"
        import base64
        import json

        def b64(obj):
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

        token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(self.claims(user))}."
        assert self.call(client, token).status_code == 401

    def test_other_algorithm_is_401(self, client, people):
        user = people.user(Role.admin)
        secret = client.app.state.context.settings.jwt_secret.get_secret_value()
        token = jwt.encode(self.claims(user), secret, algorithm="HS512")
        assert self.call(client, token).status_code == 401

    def test_bad_signature_is_401(self, client, people):
        user = people.user(Role.admin)
        token = jwt.encode(self.claims(user), "another secret entirely", algorithm="HS256")
        assert self.call(client, token).status_code == 401

    def test_expired_token_is_401(self, client, people):
        user = people.user(Role.admin)
        secret = client.app.state.context.settings.jwt_secret.get_secret_value()
        token = jwt.encode(self.claims(user, exp=int(time.time()) - 5), secret, algorithm="HS256")
        assert self.call(client, token).status_code == 401

    def test_unknown_user_is_401(self, client, people):
        user = people.user(Role.admin)
        secret = client.app.state.context.settings.jwt_secret.get_secret_value()
        token = jwt.encode(self.claims(user, sub="999999"), secret, algorithm="HS256")
        assert self.call(client, token).status_code == 401

    def test_garbage_is_401(self, client):
        assert self.call(client, "not-a-token").status_code == 401

    def test_token_of_a_deactivated_user_stops_working(self, client, people, session):
        user = people.user(Role.admin)
        headers = people.headers(user)
        user.active = False
        session.commit()
        assert client.get("/api/me", headers=headers).status_code == 401


class TestMe:
    def test_a_mayor_sees_role_and_city(self, client, people):
        city = people.city("Mechelen", "BE")
        user = people.user(Role.mayor, city=city)
        body = client.get("/api/me", headers=people.headers(user)).json()
        assert body["role"] == "mayor" and body["title"] == "Mayor"
        assert body["city"]["name"] == "Mechelen" and body["city"]["country"] == "BE"
        assert "password_hash" not in body


class TestCities:
    def test_admin_creates_a_city_named_in_its_own_script(self, client, people):
        r = client.post(
            "/api/cities",
            json={
                "name": "عمّان",
                "country": "jo",
                "kind": "city",
                "latitude": 31.95,
                "longitude": 35.91,
            },
            headers=people.as_role(Role.admin),
        )
        assert r.status_code == 201, r.text
        assert r.json()["name"] == "عمّان" and r.json()["country"] == "JO"

    def test_kosovo_has_the_code_europe_uses(self, client, people):
        r = client.post(
            "/api/cities",
            json={"name": "Prishtinë", "country": "xk"},
            headers=people.as_role(Role.admin),
        )
        assert (r.status_code, r.json()["country"]) == (201, "XK")

    def test_names_are_nfc_normalised(self, client, people):
        r = client.post(
            "/api/cities",
            json={"name": "Malmo\u0308", "country": "SE"},
            headers=people.as_role(Role.admin),
        )
        assert r.json()["name"] == "Malm\u00f6"

    @pytest.mark.parametrize("role", ["co_facilitator", "delegate", "mayor", "observer"])
    def test_other_roles_may_not_create_cities(self, client, people, role):
        r = client.post(
            "/api/cities", json={"name": "Gent", "country": "BE"}, headers=people.as_role(role)
        )
        assert r.status_code == 403 and r.json()["code"] == "role_forbidden"

    @pytest.mark.parametrize(
        "body",
        [
            {"name": "Gent", "country": "BEL"},
            {"name": "Gent", "country": "B1"},
            {"name": "Gent", "country": "XX"},  # two letters, but no country's code
            {"name": "Gent", "country": "UK"},  # the United Kingdom is GB
            {"name": "", "country": "BE"},
            {"name": "Ge\u202ent", "country": "BE"},
            {"name": "Ge\u200bnt", "country": "BE"},
            {"name": "Gent", "country": "BE", "kind": "village"},
            {"name": "Gent", "country": "BE", "latitude": 91},
        ],
    )
    def test_invalid_cities_are_422_and_nothing_is_written(self, client, people, body):
        headers = people.as_role(Role.admin)
        before = client.get("/api/cities", headers=headers).json()["total"]
        r = client.post("/api/cities", json=body, headers=headers)
        assert r.status_code == 422 and r.json()["code"] == "invalid"
        assert client.get("/api/cities", headers=headers).json()["total"] == before

    def test_a_duplicate_city_is_409(self, client, people):
        headers = people.as_role(Role.admin)
        body = {"name": "Gent", "country": "BE"}
        assert client.post("/api/cities", json=body, headers=headers).status_code == 201
        r = client.post("/api/cities", json=body, headers=headers)
        assert r.status_code == 409 and r.json()["code"] == "duplicate_city"

    def test_everyone_signed_in_lists_cities_paginated(self, client, people):
        for i in range(3):
            people.city(f"Town {i}")
        r = client.get("/api/cities?limit=2", headers=people.as_role(Role.observer))
        body = r.json()
        assert len(body["items"]) == 2 and body["total"] >= 3 and body["limit"] == 2


class TestUsers:
    def test_admin_creates_a_mayor_for_a_city(self, client, people):
        city = people.city("Kampala", "UG")
        r = client.post(
            "/api/users",
            json={
                "email": "Mayor@Kampala.example",
                "name": "Erias Lukwago",
                "password": "a long password",
                "role": "mayor",
                "title": "Lord Mayor",
                "city_id": city.id,
            },
            headers=people.as_role(Role.admin),
        )
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["email"] == "mayor@kampala.example" and body["city"]["id"] == city.id
        assert "password" not in body and "password_hash" not in body
        assert sign_in(client, "mayor@kampala.example", "a long password").status_code == 200

    @pytest.mark.parametrize("role", ["mayor", "delegate"])
    def test_city_roles_need_a_city(self, client, people, role):
        r = client.post(
            "/api/users",
            json={
                "email": "x@test.example",
                "name": "X",
                "password": "a long password",
                "role": role,
            },
            headers=people.as_role(Role.admin),
        )
        assert r.status_code == 422 and r.json()["code"] == "city_required"

    def test_an_unknown_city_is_404(self, client, people):
        r = client.post(
            "/api/users",
            json={
                "email": "x@test.example",
                "name": "X",
                "password": "a long password",
                "role": "delegate",
                "city_id": 987654,
            },
            headers=people.as_role(Role.admin),
        )
        assert r.status_code == 404 and r.json()["code"] == "city_not_found"

    def test_a_duplicate_email_is_409(self, client, people):
        existing = people.user(Role.observer)
        r = client.post(
            "/api/users",
            json={
                "email": existing.email,
                "name": "X",
                "password": "a long password",
                "role": "observer",
            },
            headers=people.as_role(Role.admin),
        )
        assert r.status_code == 409 and r.json()["code"] == "duplicate_email"

    @pytest.mark.parametrize(
        "body",
        [
            {
                "email": "not-an-email",
                "name": "X",
                "password": "a long password",
                "role": "observer",
            },
            {"email": "x@test.example", "name": "X", "password": "short", "role": "observer"},
            {"email": "x@test.example", "name": "X", "password": "a long password", "role": "king"},
        ],
    )
    def test_invalid_users_are_422(self, client, people, body):
        r = client.post("/api/users", json=body, headers=people.as_role(Role.admin))
        assert r.status_code == 422

    @pytest.mark.parametrize("role", ["co_facilitator", "delegate", "mayor", "observer"])
    def test_only_admin_manages_users(self, client, people, role):
        headers = people.as_role(role)
        assert client.get("/api/users", headers=headers).status_code == 403
        r = client.post(
            "/api/users",
            json={
                "email": "x@test.example",
                "name": "X",
                "password": "a long password",
                "role": "admin",
            },
            headers=headers,
        )
        assert r.status_code == 403

    def test_user_creation_is_audited_without_the_password(self, client, people, session):
        from sqlalchemy import select

        from app.audit.models import Event

        client.post(
            "/api/users",
            json={
                "email": "audited@test.example",
                "name": "A",
                "password": "a long password",
                "role": "observer",
            },
            headers=people.as_role(Role.admin),
        )
        event = session.scalars(select(Event).where(Event.action == "user.create")).all()[-1]
        assert event.after["email"] == "audited@test.example"
        assert "password" not in str(event.after)
