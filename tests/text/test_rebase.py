"""What an amendment does to its paragraph as it stands now: one rule for the merge and the
rebased view."""

from dataclasses import dataclass

from app.text.rebase import DELETION_OVERTAKEN, PARAGRAPH_GONE, effect_on

BASE = "We commit to give every resident access to basic services."


@dataclass
class Change:
    action: str
    paragraph_key: str | None
    base_text: str | None
    text: str | None


def modify(text: str) -> Change:
    return Change("modify", "k1", BASE, text)


class TestModify:
    def test_lands_on_a_paragraph_changed_elsewhere(self) -> None:
        now = BASE.replace("We commit", "We firmly commit")
        effect = effect_on(modify(BASE.replace("basic services", "health care")), now)
        assert effect.conflict is None
        assert effect.text == "We firmly commit to give every resident access to health care."
        assert effect.redline() == [
            ("equal", "We firmly commit to give every resident access to "),
            ("delete", "basic services"),
            ("insert", "health care"),
            ("equal", "."),
        ]

    def test_a_clash_is_a_conflict_whose_redline_shows_its_own_wording(self) -> None:
        now = BASE.replace("basic services", "schooling")
        effect = effect_on(modify(BASE.replace("basic services", "health care")), now)
        assert effect.conflict and effect.text is None
        assert ("insert", "health care") in effect.redline()


class TestDeleteAndInsert:
    def test_a_deletion_lands_only_on_the_paragraph_it_saw(self) -> None:
        deletion = Change("delete", "k1", BASE, None)
        assert effect_on(deletion, BASE).conflict is None
        overtaken = effect_on(deletion, BASE + " Soon.")
        assert overtaken.conflict == DELETION_OVERTAKEN
        assert overtaken.redline() == [("delete", BASE + " Soon.")]

    def test_an_insert_at_the_start_needs_no_paragraph(self) -> None:
        effect = effect_on(Change("insert", None, None, "Preamble"), None)
        assert effect.conflict is None and effect.redline() == [("insert", "Preamble")]


def test_a_change_to_a_deleted_paragraph_cannot_land() -> None:
    changes = [modify("x"), Change("delete", "k1", BASE, None), Change("insert", "k1", None, "x")]
    for change in changes:
        effect = effect_on(change, None)
        assert effect.conflict == PARAGRAPH_GONE and effect.redline() == []
