"""No public address answers a server error, whatever its parameters hold: unicode
digits, NUL and other control characters, overlong text, SQL fragments, huge and
negative numbers, malformed dates. Each route's parameters are fuzzed over the demo
data (hypothesis), on SQLite and on PostgreSQL, where a NUL in a query is an error.

Examples are bounded per route so the whole file stays within seconds; the database
is not rolled back between examples, which only read.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

EXAMPLES = 40

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "stalin-approved-invasion\x00",
    "\x01\x1f\x7f",
    "\r\n",
    "²",
    "١٢",  # Arabic-Indic digits, which int() reads
    "𝟗",
    "½",
    "Ⅻ",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "1_000",
    "9" * 5000,
    "-" + "9" * 30,
    str(2**63),
    "1.5",
    "1969-02-30",
    "1969-13",
    "0000",
    "99999-01-01",
    "1969-12-31T00:00",
    "'; DROP TABLE claims_claim; --",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "last",
    "x" * 3000,
    "\u202e\ufeff",
    "<script>alert(1)</script>",
]

unicode_digits = st.text(
    alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=12
)
control_text = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Zs"]), min_size=1, max_size=12
)
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
numbers = st.integers(min_value=-(10**40), max_value=10**40).map(str)
dates = st.from_regex(r"\A-?[0-9]{1,6}(-[0-9]{1,3}(-[0-9]{1,3})?)?[~?%X]?\Z")

value = st.one_of(st.sampled_from(NASTY), unicode_digits, control_text, any_text, numbers, dates)


def parameters(*names):
    return st.dictionaries(st.sampled_from(names), value, max_size=len(names))


CLAIM_LIST = (
    "page",
    "after",
    "before",
    "level",
    "topic",
    "subject",
    "source_kind",
    "from",
    "to",
    "q",
    "sort",
)
ROUTES = {
    "home": ("/", ("q", "page")),
    "claim list": ("/claims/", CLAIM_LIST),
    "claim": ("/claims/stalin-approved-invasion/", ("as_of",)),
    "claim json": ("/claims/stalin-approved-invasion.json", ("as_of",)),
    "source": (
        "/sources/report-1966/",
        ("claims-page", "cites-page", "cited-by-page", "reported-page"),
    ),
    "person": (
        "/people/joseph-stalin/",
        (
            "claims-page",
            "sources-page",
            "presented-page",
            "members-page",
            "events-page",
            "held-page",
        ),
    ),
    "event": ("/events/cwihp-moscow-1993/", ("presented-page", "custody-page")),
    "search": ("/search/", ("q",)),
    "subjects": ("/subjects.json", ("q",)),
    "feed": ("/feed/", ("q", "page")),
    "claim feed": ("/claims/stalin-approved-invasion/feed/", ("q", "as_of")),
    "topic feed": ("/topics/korean-war/feed/", ("q", "page")),
    "download": ("/download/", ("q",)),
    "sitemap": ("/sitemap.xml", ("p", "section")),
}


def answer(client, path, query):
    # A client that reports server errors as responses, as a reader would see them.
    response = client.get(path, query)
    assert response.status_code < 500, (path, query, response.status_code)
    return response


@pytest.fixture
def reader(demo_data):
    return Client(raise_request_exception=True)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fuzz_route(reader, path, names):
    @FUZZ
    @given(query=parameters(*names))
    def check(query):
        answer(reader, path, query)

    check()


def test_no_parameter_makes_a_public_page_fail(reader):
    # One test for every route: the demo data is loaded once, not once a route.
    for path, names in ROUTES.values():
        fuzz_route(reader, path, names)


@FUZZ
@given(
    prefix=st.sampled_from(["/claims/", "/sources/", "/people/", "/events/"]),
    slug=st.one_of(st.sampled_from(NASTY), any_text, unicode_digits),
)
def test_no_address_makes_a_public_page_fail(reader, prefix, slug):
    answer(reader, f"{prefix}{quote(slug, safe='')}/", {})


ANSWERED_500 = [
    ("/claims/", {"page": "²"}, 200),
    ("/claims/", {"page": "9" * 5000}, 200),
    ("/claims/", {"after": "stalin-approved-invasion\x00"}, 200),
    ("/claims/", {"before": "\x00"}, 200),
    ("/subjects.json", {"q": "Sta\x00lin"}, 200),
    ("/claims/stalin-approved-invasion/", {"as_of": "19\x0069"}, 400),
    ("/claims/stalin-approved-invasion.json", {"as_of": "²"}, 400),
]


def test_the_inputs_that_answered_500_now_answer_sensibly(reader):
    for path, query, status in ANSWERED_500:
        assert answer(reader, path, query).status_code == status, (path, query)
    page = answer(reader, "/claims/", {"after": "no\x00such"}).content.decode()
    assert "stalin-approved-invasion" in page  # the list from its start
