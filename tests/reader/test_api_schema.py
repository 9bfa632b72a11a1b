"""The read API checked against its own OpenAPI document by schemathesis: every
operation, with parameters generated from the document, valid and invalid, answers no
server error and nothing the document does not describe (status codes, content types,
headers, bodies), over the demo data. Besides the slugs schemathesis makes up (which
name nothing), each record's operation is asked about a record the demo has.

One test over every operation, so the demo data is loaded once; examples are bounded
per operation and the database is not rolled back between them, which only read.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
DEMO_RECORDS = {
    "/api/claims/{slug}": "stalin-approved-invasion",
    "/api/sources/{slug}": "report-1966",
    "/api/agents/{slug}": "joseph-stalin",
    "/api/events/{slug}": "cwihp-moscow-1993",
    "/api/topics/{slug}": "korean-war",
}
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def kept_connection():
    """The test's transaction stays open across requests: the WSGI handler would close
    the connection after each, which Django's test client keeps it from doing too."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def strategies(operation):
    has_query = any(
        parameter.get("in") == "query" for parameter in operation.definition.raw["parameters"]
    )
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        yield operation.as_strategy(mode)
        # With the slug given, only a query can be made invalid.
        if operation.path in DEMO_RECORDS and (has_query or mode == GenerationMode.POSITIVE):
            slug = DEMO_RECORDS[operation.path]
            yield operation.as_strategy(mode, path_parameters={"slug": slug})


def check(strategy):
    @FUZZ
    @given(case=strategy)
    def answers_as_documented(case):
        case.call_and_validate(checks=CHECKS)

    answers_as_documented()


def test_every_api_operation_answers_as_its_schema_says(demo_data, kept_connection):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]

    assert len(operations) == 10
    for operation in operations:
        for strategy in strategies(operation):
            check(strategy)
