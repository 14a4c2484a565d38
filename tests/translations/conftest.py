"""The translations tests' co-facilitator, who saves translations."""

import pytest

from app.auth.models import Role


@pytest.fixture
def editor(people):
    return people.as_role(Role.co_facilitator)
