"""The read API's documentation page, /api/docs: a page of the site, written from the
OpenAPI document, with Swagger UI loaded only when a reader asks for it.

Swagger UI is a megabyte and a half of JavaScript that draws the whole page in the
browser: a phone spent seconds running it before a word showed, and its markup broke
the site's accessibility rules (docs/decisions.md). So every operation, its parameters
and its answers are written on the server, from the same document Swagger UI reads,
and works without JavaScript; static/js/api-docs.js brings in Swagger UI, to try the
operations, when the reader presses its button.
"""

import json
import re

from django.shortcuts import render
from markupsafe import Markup, escape
from ninja.openapi.docs import Swagger


def with_code(text):
    """The document's Markdown code spans (`next`) as <code>, the rest escaped."""
    parts = re.split(r"`([^`]+)`", str(text))
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if odd else escape(part)
        for odd, part in ((index % 2 == 1, part) for index, part in enumerate(parts))
    )


def value_words(schema):
    """What a parameter takes, in a few words, from its JSON Schema."""
    if "anyOf" in schema:
        kinds = [value_words(part) for part in schema["anyOf"] if part.get("type") != "null"]
        return " or ".join(kinds)
    if "const" in schema:
        return f"“{schema['const']}”"
    if "enum" in schema:
        return "one of " + ", ".join(str(choice) for choice in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return f"{value_words(schema.get('items', {}))}, repeatable"
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        return "a whole number"
    if kind == "string":
        longest = schema.get("maxLength")
        return f"text, up to {longest} characters" if longest else "text"
    return kind or "any value"


def operations_by_tag(schema):
    """The document's operations grouped by their first tag, in the document's order:
    [(tag, [operation, …]), …], each operation with what the page shows of it."""
    groups = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "required": parameter.get("required", False),
                    "description": with_code(
                        parameter.get("description") or parameter["schema"].get("description", "")
                    ),
                    "takes": value_words(parameter["schema"]),
                    "default": parameter["schema"].get("default"),
                }
                for parameter in operation.get("parameters", [])
            ]
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": with_code(operation.get("summary", "")),
                    "description": with_code(operation.get("description", "")),
                    "parameters": parameters,
                    "answers": [
                        (status, answer.get("description", ""))
                        for status, answer in operation.get("responses", {}).items()
                    ],
                }
            )
    return list(groups.items())


class Documentation(Swagger):
    """ninja's Swagger UI page, as a page of the site (templates/reader/api/docs.html)."""

    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        schema = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            self.template,
            {
                "info": schema["info"],
                "schema_url": self.settings["url"],
                "groups": operations_by_tag(schema),
                "swagger_settings": json.dumps(self.settings),
            },
        )
