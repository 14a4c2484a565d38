"""The directions imports take between the domains of app/ (scripts/domain_imports.py): the
text core imports none of them, drafting imports no negotiation, and no two domains import
each other."""

from scripts.domain_imports import cycles, domain_imports

# Drafting (declarations: versions, texts, comparisons) is what negotiation works on, never
# the other way round: merging amendments into a version happens in app/amendments/merging.py.
NOT_IMPORTED_BY_DRAFTING = {"amendments", "comments", "endorsements"}

# Import cycles already there when this test was written, each to be undone by its domain.
KNOWN_CYCLES: set[tuple[str, str]] = set()


def test_the_text_core_imports_no_domain() -> None:
    assert [pair for pair in domain_imports() if pair[0] == "text"] == []


def test_drafting_imports_no_negotiation() -> None:
    pairs = domain_imports()
    found = {
        f"declarations -> {imported} ({', '.join(sorted(files))})"
        for (importer, imported), files in pairs.items()
        if importer == "declarations" and imported in NOT_IMPORTED_BY_DRAFTING
    }
    assert found == set()


def test_no_two_domains_import_each_other() -> None:
    assert cycles(domain_imports()) == []


def test_the_script_sees_imports() -> None:
    # Guards the tests above against passing because the script found nothing.
    pairs = domain_imports()
    assert ("amendments", "declarations") in pairs and ("comments", "text") in pairs
