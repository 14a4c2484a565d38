from tests.endorsements.test_endorsement_api import endorsement  # noqa: F401 (the fixture)
