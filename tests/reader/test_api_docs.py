"""The read API's documentation page, written from the OpenAPI document
(reader/api_docs.py)."""

import pytest

from reader.api_docs import value_words, with_code


def test_a_code_span_in_the_document_is_shown_as_code_and_markup_stays_text():
    assert (
        str(with_code("`next` reads <b>on</b>")) == "<code>next</code> reads &lt;b&gt;on&lt;/b&gt;"
    )


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        (
            {"anyOf": [{"type": "string", "maxLength": 120}, {"type": "null"}]},
            "text, up to 120 characters",
        ),
        ({"type": "integer", "minimum": 1, "maximum": 100}, "a whole number from 1 to 100"),
        (
            {"type": "array", "items": {"type": "string", "enum": ["strong", "weak"]}},
            "one of strong, weak, repeatable",
        ),
        ({"anyOf": [{"const": "last", "type": "string"}, {"type": "null"}]}, "“last”"),
    ],
)
def test_what_a_parameter_takes_is_said_in_words(schema, words):
    assert value_words(schema) == words


@pytest.mark.django_db
def test_the_documentation_page_names_each_parameter_and_what_it_takes(client):
    page = client.get("/api/docs").content.decode()

    assert '<article class="api-operation" id="reader_api_claim_list"' in page
    assert '<code>as_of</code> <span class="api-parameter__where">in the query</span>' in page
    assert (
        '<code>slug</code> <span class="api-parameter__where">in the path, required</span>' in page
    )
    assert "Takes a whole number from 1 to 100; by default 20." in page
