"""Proposing, supporting, withdrawing, deciding and merging amendments, with every refusal."""

import pytest
from sqlalchemy import select, text, update

from app.amendments import merging
from app.amendments.models import Amendment
from app.audit.models import Event
from app.text.rebase import effect_on

SERVICES = "We commit to give every resident access to basic services within thirty (30) days."


class TestPropose:
    def test_a_delegate_proposes_a_modification_and_sees_its_redline(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="modify", paragraph_key=n.keys[1],
                       text=SERVICES.replace("basic services", "health care and schooling"),
                       rationale="Be concrete.")
        assert a["status"] == "proposed" and a["city"]["name"] == "Mechelen"
        assert a["base_text"] == SERVICES and a["supporters"] == []
        assert ["delete", "basic services"] in a["diff"]
        assert ["insert", "health care and schooling"] in a["diff"]

    def test_insert_at_the_start_and_delete(self, negotiation):
        n = negotiation
        a = n.proposed(n.kampala, action="insert", paragraph_key=None, text="# Preamble")
        assert a["diff"] == [["insert", "Preamble"]]
        d = n.proposed(n.kampala, action="delete", paragraph_key=n.keys[3])
        assert d["diff"] == [["delete", "We will meet again to report on these commitments."]]

    def test_html_is_stored_as_text(self, negotiation):
        n = negotiation
        script = "<script>alert('x')</script> <b>bold</b>"
        a = n.proposed(n.kampala, action="insert", paragraph_key=n.keys[3], text=script,
                       rationale="<img src=x onerror=alert(1)>")
        got = n.client.get(f"/api/amendments/{a['id']}", headers=n.observer).json()
        assert got["text"] == script and got["rationale"] == "<img src=x onerror=alert(1)>"

    @pytest.mark.parametrize("role", ["observer", "co_facilitator", "admin"])
    def test_only_city_delegations_propose(self, negotiation, people, role):
        r = negotiation.propose(people.as_role(role), action="delete",
                                paragraph_key=negotiation.keys[3])
        assert r.status_code == 403

    @pytest.mark.parametrize("body, status, code", [
        ({"action": "modify", "paragraph_key": "nosuchkey", "text": "x"}, 422,
         "unknown_paragraph"),
        ({"action": "modify", "paragraph_key": None, "text": "x"}, 422, "invalid"),
        ({"action": "insert", "paragraph_key": None, "text": ""}, 422, "invalid"),
        ({"action": "delete", "paragraph_key": "K1", "text": "x"}, 422, "invalid"),
        ({"action": "modify", "paragraph_key": "K1", "text": SERVICES}, 422, "no_change"),
        ({"action": "modify", "paragraph_key": "K1", "text": "a\u202eb"}, 422,
         "forbidden_character"),
        ({"action": "modify", "paragraph_key": "K1", "text": "x", "base_version": 9}, 404,
         "version_not_found"),
        ({"action": "burn", "paragraph_key": "K1"}, 422, "invalid"),
    ])
    def test_bad_proposals_are_refused_and_write_nothing(self, negotiation, session, body,
                                                         status, code):
        n = negotiation
        body = {k: (n.keys[1] if v == "K1" else v) for k, v in body.items()}
        before = session.scalar(text("SELECT count(*) FROM amendments"))
        r = n.propose(n.mechelen, **body)
        assert (r.status_code, r.json()["code"]) == (status, code), r.text
        assert session.scalar(text("SELECT count(*) FROM amendments")) == before


class TestSupport:
    def test_another_city_supports_and_withdraws_support(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.client.post(f"/api/amendments/{a['id']}/support", headers=n.kampala)
        assert r.status_code == 200 and [s["city"]["name"] for s in r.json()] == ["Kampala"]
        again = n.client.post(f"/api/amendments/{a['id']}/support", headers=n.kampala)
        assert again.status_code == 409 and again.json()["code"] == "already_supported"
        r = n.client.delete(f"/api/amendments/{a['id']}/support", headers=n.kampala)
        assert r.status_code == 200 and r.json() == []
        r = n.client.delete(f"/api/amendments/{a['id']}/support", headers=n.kampala)
        assert r.status_code == 404

    def test_its_own_city_cannot_support_it(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.client.post(f"/api/amendments/{a['id']}/support", headers=n.mechelen_mayor)
        assert r.status_code == 403 and r.json()["code"] == "own_amendment"

    @pytest.mark.parametrize("role", ["observer", "co_facilitator", "admin"])
    def test_roles_without_a_city_cannot_support(self, negotiation, people, role):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.client.post(f"/api/amendments/{a['id']}/support", headers=people.as_role(role))
        assert r.status_code == 403

    def test_a_withdrawn_amendment_cannot_be_supported(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        n.client.post(f"/api/amendments/{a['id']}/withdraw", headers=n.mechelen)
        r = n.client.post(f"/api/amendments/{a['id']}/support", headers=n.kampala)
        assert r.status_code == 409


class TestWithdraw:
    def test_its_city_withdraws_while_proposed(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.client.post(f"/api/amendments/{a['id']}/withdraw", headers=n.mechelen_mayor)
        assert r.status_code == 200 and r.json()["status"] == "withdrawn"
        again = n.client.post(f"/api/amendments/{a['id']}/withdraw", headers=n.mechelen)
        assert again.status_code == 409 and again.json()["code"] == "wrong_state"

    def test_another_city_or_role_cannot_withdraw(self, negotiation, people):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.client.post(f"/api/amendments/{a['id']}/withdraw", headers=n.kampala)
        assert r.status_code == 403 and r.json()["code"] == "not_your_city"
        for role in ("observer", "co_facilitator"):
            r = n.client.post(f"/api/amendments/{a['id']}/withdraw",
                              headers=people.as_role(role))
            assert r.status_code == 403

    def test_an_accepted_amendment_cannot_be_withdrawn(self, negotiation):
        n = negotiation
        a = n.accepted(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.client.post(f"/api/amendments/{a['id']}/withdraw", headers=n.mechelen)
        assert r.status_code == 409


class TestDecide:
    def test_accept_reject_reopen_follow_the_state_machine(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.decide(a["id"], "accept", note="Agreed in the plenary.")
        assert r.json()["status"] == "accepted"
        assert r.json()["decision_note"] == "Agreed in the plenary."
        assert n.decide(a["id"], "reject").status_code == 409
        assert n.decide(a["id"], "reopen").json()["status"] == "proposed"
        assert n.decide(a["id"], "reject").json()["status"] == "rejected"
        assert n.decide(a["id"], "accept").status_code == 409
        assert n.decide(a["id"], "reopen").json()["status"] == "proposed"

    def test_open_says_whether_it_may_still_change_the_text(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        assert a["open"] is True and a["decisions"] == ["accept", "reject"]
        accepted = n.decide(a["id"], "accept").json()
        assert accepted["open"] is True and accepted["decisions"] == ["reopen"]
        assert n.decide(a["id"], "reopen").json()["open"] is True
        rejected = n.decide(a["id"], "reject").json()
        assert rejected["open"] is False and rejected["decisions"] == ["reopen"]
        listed = n.client.get(f"/api/declarations/{n.did}/amendments?status=rejected",
                              headers=n.observer).json()["items"]
        assert [(x["id"], x["open"]) for x in listed] == [(a["id"], False)]

    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer"])
    def test_only_co_facilitators_decide(self, negotiation, people, role):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        assert n.decide(a["id"], "accept", headers=people.as_role(role)).status_code == 403

    def test_decisions_are_audited(self, negotiation):
        n = negotiation
        a = n.accepted(n.mechelen, action="delete", paragraph_key=n.keys[3])
        events = n.client.get(f"/api/declarations/{n.did}/events?limit=500",
                              headers=n.editor).json()["items"]
        moves = [(e["action"], e["before"], e["after"]) for e in events
                 if (e["target_type"], e["target_id"]) == ("amendment", str(a["id"]))]
        assert [m[0] for m in moves] == ["amendment.propose", "amendment.accepted"]
        assert moves[1][1] == {"status": "proposed"}

    def test_unknown_amendment_is_404(self, negotiation):
        assert negotiation.decide(999999, "accept").status_code == 404
        r = negotiation.client.get("/api/amendments/999999", headers=negotiation.observer)
        assert r.status_code == 404


class TestFilters:
    def test_by_status_paragraph_and_city(self, negotiation, people):
        n = negotiation
        n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        n.accepted(n.kampala, action="delete", paragraph_key=n.keys[2])
        n.proposed(n.kampala, action="modify", paragraph_key=n.keys[2], text="Changed.")
        url = f"/api/declarations/{n.did}/amendments"

        def ids(query):
            r = n.client.get(f"{url}?{query}", headers=n.observer)
            assert r.status_code == 200
            return r.json()["total"]

        assert ids("") == 3
        assert ids("status=accepted") == 1
        assert ids(f"paragraph_key={n.keys[2]}") == 2
        kampala_id = n.client.get("/api/me", headers=n.kampala).json()["city"]["id"]
        assert ids(f"city_id={kampala_id}") == 2
        assert n.client.get(f"{url}?status=bogus", headers=n.observer).status_code == 422


class TestMerge:
    def test_two_cities_editing_different_words_both_land_in_either_order(self, negotiation):
        n = negotiation
        first = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[1],
                           text=SERVICES.replace("every resident", "every person"))
        second = n.accepted(n.kampala, action="modify", paragraph_key=n.keys[1],
                            text=SERVICES.replace("thirty (30)", "sixty (60)"))
        preview = n.merge([second["id"], first["id"]], dry_run=True)
        assert preview.status_code == 200, preview.text
        r = n.merge([first["id"], second["id"]], note="Both")
        assert r.status_code == 201, r.text
        expected = ("We commit to give every person access to basic services within "
                    "sixty (60) days.")
        assert n.head_texts()[1] == expected
        assert preview.json()["paragraphs"][1]["text"] == expected
        assert r.json()["merged_amendments"] == [first["id"], second["id"]]
        # The preview says the paragraph's wording combines both, which neither proposed alone.
        assert preview.json()["combined"] == [
            {"paragraph_key": n.keys[1], "amendment_ids": [second["id"], first["id"]]}
        ]
        merged = n.client.get(f"/api/amendments/{first['id']}", headers=n.observer).json()
        assert merged["status"] == "merged" and merged["merged_version"] == 2

    def test_overlapping_edits_conflict_and_nothing_is_written(self, negotiation, session):
        n = negotiation
        a = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[1],
                       text=SERVICES.replace("thirty (30)", "sixty (60)"))
        b = n.accepted(n.kampala, action="modify", paragraph_key=n.keys[1],
                       text=SERVICES.replace("thirty (30)", "five (5)"))
        events = session.scalar(text("SELECT count(*) FROM events"))
        r = n.merge([a["id"], b["id"]])
        assert r.status_code == 409 and r.json()["code"] == "conflict"
        assert [c["amendment_id"] for c in r.json()["conflicts"]] == [b["id"]]
        assert r.json()["conflicts"][0]["paragraph_key"] == n.keys[1]
        # One plain sentence naming the amendment of this merge it clashes with, and every
        # wording that clashes: the head's, the one amendment a makes, b's own.
        conflict = r.json()["conflicts"][0]
        assert conflict["reason"] == (
            f"Amendment {a['id']}, also in this merge, changes the same words: 'thirty (30)'."
        )
        assert conflict["competing_amendments"] == [a["id"]]
        assert conflict["current_text"] == SERVICES
        assert conflict["competing_text"] == SERVICES.replace("thirty (30)", "sixty (60)")
        assert conflict["proposed_text"] == SERVICES.replace("thirty (30)", "five (5)")
        assert conflict["clashing_words"] == "thirty (30)"
        assert n.head_texts()[1] == SERVICES  # never "sixty-five 5)"
        assert session.scalar(text("SELECT count(*) FROM events")) == events
        got = n.client.get(f"/api/amendments/{a['id']}", headers=n.observer).json()
        assert got["status"] == "accepted"

    def test_a_deletion_against_a_rewrite_conflicts(self, negotiation):
        n = negotiation
        rewrite = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[2],
                             text="We commit to end discrimination everywhere.")
        deletion = n.accepted(n.kampala, action="delete", paragraph_key=n.keys[2])
        r = n.merge([rewrite["id"], deletion["id"]])
        assert r.status_code == 409 and r.json()["conflicts"][0]["amendment_id"] == deletion["id"]
        conflict = r.json()["conflicts"][0]
        assert conflict["reason"] == (
            f"Amendment {rewrite['id']}, also in this merge, rewrites the paragraph this "
            "amendment deletes."
        )
        assert conflict["proposed_text"] is None
        assert conflict["competing_text"] == "We commit to end discrimination everywhere."
        # The rewrite lands alone; the deletion, written against the old wording, then shows
        # its conflict against the head.
        assert n.merge([rewrite["id"]]).status_code == 201
        detail = n.client.get(f"/api/amendments/{deletion['id']}", headers=n.observer).json()
        assert detail["rebased"]["version"] == 2 and detail["rebased"]["conflict"]

    def test_an_old_amendment_is_rebased_onto_the_head(self, negotiation):
        n = negotiation
        early = n.proposed(n.kampala, action="modify", paragraph_key=n.keys[1],
                           text=SERVICES.replace("within thirty (30) days", "without delay"))
        first = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[1],
                           text="In every city, " + SERVICES[0].lower() + SERVICES[1:])
        assert n.merge([first["id"]]).status_code == 201
        detail = n.client.get(f"/api/amendments/{early['id']}", headers=n.observer).json()
        assert detail["rebased"] == {
            "version": 2, "conflict": None,
            "diff": [["equal", "In every city, we commit to give every resident access to "
                               "basic services "], ["delete", "within thirty (30) days"],
                     ["insert", "without delay"], ["equal", "."]],
        }
        n.decide(early["id"], "accept")
        assert n.merge([early["id"]]).status_code == 201
        assert n.head_texts()[1] == ("In every city, we commit to give every resident access "
                                     "to basic services without delay.")

    def test_a_clash_with_the_head_names_no_amendment_and_shows_the_wordings(self, negotiation):
        n = negotiation
        old = n.accepted(n.kampala, action="modify", paragraph_key=n.keys[1],
                         text=SERVICES.replace("thirty (30)", "five (5)"))
        first = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[1],
                           text=SERVICES.replace("thirty (30)", "sixty (60)"))
        assert n.merge([first["id"]]).status_code == 201
        r = n.merge([old["id"]])
        assert r.status_code == 409
        conflict = r.json()["conflicts"][0]
        assert conflict["competing_amendments"] == [] and conflict["competing_text"] is None
        assert conflict["current_text"] == SERVICES.replace("thirty (30)", "sixty (60)")
        assert conflict["proposed_text"] == SERVICES.replace("thirty (30)", "five (5)")
        assert conflict["clashing_words"] == "thirty (30)"
        assert conflict["reason"] == (
            "Since the amendment was proposed, the current text changed the same words: "
            "'thirty (30)'."
        )

    def test_reading_an_amendment_again_does_not_rebase_it_again(self, negotiation, monkeypatch):
        # The rebase is a word-level three-way merge of the paragraph (hundreds of ms on a long
        # one) and any signed-in reader may ask for it: it is made once per head version.
        from app.amendments import service

        made = []

        def counted(change, current):
            made.append(change.id)
            return effect_on(change, current)

        monkeypatch.setattr(service, "effect_on", counted)
        n = negotiation
        a = n.proposed(n.kampala, action="modify", paragraph_key=n.keys[1],
                       text=SERVICES.replace("within thirty (30) days", "without delay"))
        read = [n.client.get(f"/api/amendments/{a['id']}", headers=n.observer).json()
                for _ in range(3)]
        assert made == [a["id"]] and read[0]["rebased"] == read[2]["rebased"]
        edit = {"action": "modify", "paragraph_key": n.keys[1], "text": "Now: " + SERVICES}
        assert n.merge([], edits=[edit]).status_code == 201
        again = n.client.get(f"/api/amendments/{a['id']}", headers=n.observer).json()
        assert made == [a["id"], a["id"]] and again["rebased"]["version"] == 2
        assert again["rebased"]["diff"][0][1].startswith("Now: We commit")

    def test_only_accepted_amendments_of_this_declaration_merge(self, negotiation):
        n = negotiation
        a = n.proposed(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.merge([a["id"]])
        assert r.status_code == 409 and r.json()["code"] == "not_accepted"
        r = n.merge([999999])
        assert r.status_code == 422 and r.json()["code"] == "unknown_amendment"

    def test_an_amendment_reopened_during_the_merge_is_not_accepted(
        self, negotiation, session, monkeypatch
    ):
        """A decision that lands between the merge's check and its write: 409 `not_accepted`,
        and nothing is written."""
        n = negotiation
        a = n.accepted(n.mechelen, action="delete", paragraph_key=n.keys[3])
        check = merging._accepted

        def reopened_once_checked(session, declaration_id, amendment_ids, verb):
            found = check(session, declaration_id, amendment_ids, verb)
            session.execute(
                update(Amendment).where(Amendment.id == a["id"]).values(status="proposed")
            )
            return found

        monkeypatch.setattr(merging, "_accepted", reopened_once_checked)
        r = n.merge([a["id"]])
        assert r.status_code == 409 and r.json()["code"] == "not_accepted", r.text
        versions = n.client.get(f"/api/declarations/{n.did}/versions", headers=n.editor).json()
        assert [v["number"] for v in versions] == [1]

    def test_stale_base_is_409(self, negotiation):
        n = negotiation
        a = n.accepted(n.mechelen, action="delete", paragraph_key=n.keys[3])
        b = n.accepted(n.kampala, action="delete", paragraph_key=n.keys[2])
        assert n.merge([a["id"]], base=1).status_code == 201
        r = n.merge([b["id"]], base=1)
        assert r.status_code == 409 and r.json()["code"] == "stale_base"

    def test_amendments_on_a_deleted_paragraph_become_obsolete(self, negotiation):
        n = negotiation
        deletion = n.accepted(n.mechelen, action="delete", paragraph_key=n.keys[3])
        pending = n.proposed(n.kampala, action="modify", paragraph_key=n.keys[3],
                             text="We will meet every year.")
        assert n.merge([deletion["id"]]).status_code == 201
        got = n.client.get(f"/api/amendments/{pending['id']}", headers=n.observer).json()
        assert got["status"] == "obsolete" and got["rebased"] is None
        assert n.decide(pending["id"], "accept").status_code == 409

    def test_a_compromise_wording_reconciles_the_amendments_it_takes_into_account(
        self, negotiation, session
    ):
        n = negotiation
        a = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[1],
                       text=SERVICES.replace("thirty (30)", "sixty (60)"))
        b = n.accepted(n.kampala, action="modify", paragraph_key=n.keys[1],
                       text=SERVICES.replace("thirty (30)", "five (5)"))
        compromise = SERVICES.replace("thirty (30)", "fifteen (15)")
        edit = {"action": "modify", "paragraph_key": n.keys[1], "text": compromise}
        preview = n.merge([], edits=[edit], reconciled=[a["id"], b["id"]], dry_run=True)
        assert preview.status_code == 200, preview.text
        assert preview.json()["merged_amendments"] == [a["id"], b["id"]]
        r = n.merge([], edits=[edit], reconciled=[a["id"], b["id"]], note="Compromise")
        assert r.status_code == 201, r.text
        assert r.json()["merged_amendments"] == [a["id"], b["id"]]
        assert n.head_texts()[1] == compromise
        for amendment in (a, b):
            got = n.client.get(f"/api/amendments/{amendment['id']}", headers=n.observer).json()
            assert (got["status"], got["merged_version"]) == ("merged", 2)
        after = session.scalars(
            select(Event.after).where(Event.action == "amendment.merged")
        ).all()
        assert [e["reconciled"] for e in after] == [True, True]

    def test_one_merged_as_written_and_one_reconciled(self, negotiation):
        n = negotiation
        a = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[1],
                       text=SERVICES.replace("thirty (30)", "sixty (60)"))
        b = n.accepted(n.kampala, action="delete", paragraph_key=n.keys[3])
        edit = {"action": "modify", "paragraph_key": n.keys[1],
                "text": SERVICES.replace("thirty (30)", "forty (40)")}
        r = n.merge([b["id"]], edits=[edit], reconciled=[a["id"]])
        assert r.status_code == 201, r.text
        assert r.json()["merged_amendments"] == [b["id"], a["id"]]

    @pytest.mark.parametrize(
        "case, status, code",
        [
            ("another paragraph", 422, "not_reconciled"),
            ("proposed", 409, "not_accepted"),
            ("unknown", 422, "unknown_amendment"),
            ("twice", 422, "duplicate_amendment"),
            ("also merged", 422, "duplicate_amendment"),
            ("without edits", 422, "invalid"),
        ],
    )
    def test_what_cannot_be_reconciled_is_refused_and_writes_nothing(
        self, negotiation, session, case, status, code
    ):
        n = negotiation
        accepted = n.accepted(n.mechelen, action="modify", paragraph_key=n.keys[1],
                              text=SERVICES.replace("thirty (30)", "sixty (60)"))
        proposed = n.proposed(n.kampala, action="modify", paragraph_key=n.keys[1],
                              text=SERVICES.replace("thirty (30)", "five (5)"))
        other = n.accepted(n.kampala, action="delete", paragraph_key=n.keys[3])
        edit = {"action": "modify", "paragraph_key": n.keys[1], "text": "Services for all."}
        body = {
            "another paragraph": dict(amendments=[], reconciled=[accepted["id"]],
                                      edits=[{**edit, "paragraph_key": n.keys[2]}]),
            "proposed": dict(amendments=[], reconciled=[proposed["id"]], edits=[edit]),
            "unknown": dict(amendments=[], reconciled=[999999], edits=[edit]),
            "twice": dict(amendments=[], reconciled=[accepted["id"]] * 2, edits=[edit]),
            "also merged": dict(amendments=[accepted["id"]], reconciled=[accepted["id"]],
                                edits=[edit]),
            "without edits": dict(amendments=[other["id"]], reconciled=[accepted["id"]]),
        }[case]
        events = session.scalar(text("SELECT count(*) FROM events"))
        r = n.merge(**body)
        assert (r.status_code, r.json()["code"]) == (status, code), r.text
        if case == "without edits":
            assert "direct edits that reconcile them" in r.text
        assert session.scalar(text("SELECT count(*) FROM events")) == events
        got = n.client.get(f"/api/amendments/{accepted['id']}", headers=n.observer).json()
        assert got["status"] == "accepted"

    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer"])
    def test_only_co_facilitators_merge(self, negotiation, people, role):
        n = negotiation
        a = n.accepted(n.mechelen, action="delete", paragraph_key=n.keys[3])
        r = n.client.post(f"/api/declarations/{n.did}/versions",
                          json={"base_version": 1, "amendments": [a["id"]]},
                          headers=people.as_role(role))
        assert r.status_code == 403
