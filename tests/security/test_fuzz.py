"""Fuzzing from the contract: Schemathesis generates requests from the app's own OpenAPI schema
and sends them, with each role's token, to the app in-process, on both engines. No answer may
be a server error, break its own schema, or use a status the schema does not list.

Bounded for `make test`: a fixed number of examples per operation, derandomized (the same run
every time). For a deeper search: CONCORD_FUZZ_EXAMPLES=200 CONCORD_FUZZ_SEED=random.
"""

import os
import time
from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security import (
    MATRIX,
    ROLES,
    World,
    world_fixture,  # noqa: F401 (the `world` fixture)
)

EXAMPLES = int(os.environ.get("CONCORD_FUZZ_EXAMPLES", "30"))
RANDOM = os.environ.get("CONCORD_FUZZ_SEED") == "random"
# Rendering a PDF or a ZIP takes a Typst run (~1 s): a few examples say enough.
SLOW = {"GET /api/declarations/{declaration_id}/signed-declaration": 4}
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@dataclass
class Tally:
    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def real_path_parameters(world: World) -> dict[str, list[int]]:
    """Ids of things that exist, so that requests get past 404 to the rules behind it."""
    return {
        "declaration_id": [
            world.drafting,
            world.final,
            world.open_signed,
            world.open_unsigned,
            world.closed,
        ],
        "number": [1, 2],
        "comment_id": sorted(world.comments.values()),
        "amendment_id": sorted(world.amendments.values()),
        "user_id": [user.id for user in world.users.values()],
        "signature_id": sorted(world.signatures.values()),
    }


def strategy(operation, world: World):
    """A role (mostly one the matrix allows, so that requests get past 403) and a case:
    valid or invalid data, on generated path parameters or on real objects."""
    row = MATRIX.get(operation.label, {})  # a route without a row fails the matrix test
    allowed = [r for r, cell in row.items() if cell == "2xx" and r in ROLES]
    roles = st.sampled_from([*allowed * 3, *ROLES])
    known = real_path_parameters(world)
    names = [p.name for p in operation.path_parameters]
    cases = [
        operation.as_strategy(),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    if names and all(name in known for name in names):
        for i in range(4):
            fixed = {name: known[name][i % len(known[name])] for name in names}
            cases.append(operation.as_strategy(path_parameters=fixed))
        cases.append(
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, path_parameters=fixed)
        )
    return st.tuples(roles, st.one_of(cases))


def fuzz_operation(world: World, operation, tally: Tally) -> None:
    examples = SLOW.get(operation.label, EXAMPLES)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimise
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy(operation, world))
    def run(drawn) -> None:
        who, case = drawn
        tally.examples += 1
        try:
            with world.rolled_back() as connection, world.one_request(connection):
                response = case.call(headers=world.as_(who))
        except Exception as error:  # the app raised: a 500 with a traceback
            curl = case.as_curl_command(headers={"Authorization": f"<{who}>"})
            tally.failures.append(f"{operation.label} as {who}: {error!r}\n  {curl}"[:3000])
            return
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (FailureGroup, AssertionError) as failure:  # a group: one per failing check
            tally.failures.append(f"{operation.label} as {who}: {failure}".strip()[:3000])

    run()


def test_fuzz_from_the_openapi_schema(world):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", world.app)
    tallies: dict[str, Tally] = {}
    started = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        tallies[operation.label] = tally = Tally()
        fuzz_operation(world, operation, tally)
    elapsed = time.perf_counter() - started
    examples = sum(t.examples for t in tallies.values())
    statuses = sum((t.statuses for t in tallies.values()), Counter())
    print(
        f"\nfuzz: {len(tallies)} operations, {examples} examples in {elapsed:.1f} s; "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    failures = [f for t in tallies.values() for f in t.failures]
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:40])
