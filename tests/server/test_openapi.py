"""Schemathesis against our own OpenAPI document on the live server: no input makes it answer 5xx, and every
response matches its documented schema. Examples are bounded per operation and derandomised (reproducible)."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from bastion.store.tokens import Role
from tests.server.conftest import Service, running

EXAMPLES_PER_OPERATION = 12


def _fuzz(service: Service, examples: int) -> tuple[list[str], dict[int, int]]:
    service.seed()
    for _ in range(3):  # decoys, so the fuzzer's own token is not the one DELETE /tokens/1 revokes
        service.token("shop", Role.VIEWER, name="@decoy")
    headers = {"Authorization": f"Bearer {service.token('*', Role.ADMIN, name='@fuzzer')}"}
    schema = schemathesis.openapi.from_url(f"{service.url}/api/v1/openapi.json")
    operations = sorted((result.ok() for result in schema.get_all_operations()), key=lambda op: op.method == "delete")
    failures: list[str] = []
    statuses: dict[int, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=service.url, headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        try:
            check()
        except Exception as err:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(err).splitlines()[0]}")
    return failures, statuses


def test_the_api_never_answers_5xx_and_matches_its_schema(service: Service) -> None:
    failures, statuses = _fuzz(service, EXAMPLES_PER_OPERATION)
    assert not failures, "\n".join(failures)
    # The fuzzer got past validation and authorisation, not just 422s.
    assert statuses.get(200, 0) + statuses.get(201, 0) > 20 and statuses.get(422, 0) > 10, statuses


@pytest.mark.postgres
def test_the_api_never_answers_5xx_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    with running(postgres_url, tmp_path) as service:
        failures, statuses = _fuzz(service, 5)
    assert not failures, "\n".join(failures)
    assert statuses.get(200, 0) > 5, statuses
