"""Generated requests for every operation in /api/openapi.json: never a server error.

schemathesis reads the OpenAPI document the API serves and sends hypothesis-made
bodies, paths and query strings (valid and not) as a signed-in editor; any 5xx
fails. The examples per operation are bounded so the run takes seconds.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

EXAMPLES = 20


def test_no_generated_request_is_a_server_error(app, accounts_):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    headers = accounts_["editor"].headers
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15  # the whole API, not an empty document
    failures: dict[str, str] = {}
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:600]
    assert failures == {}
