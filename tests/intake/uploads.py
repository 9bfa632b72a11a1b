"""Driving the admin's import as a curator does: upload a file for its preview, then
confirm it."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile


def csv_bytes(rows, *, encoding="utf-8"):
    """rows: a list of dicts (the first one's keys are the columns) as a CSV file."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def format_index(response, title):
    """The value of the format choice called `title` on the import form."""
    for value, label in response.context["form"].fields["format"].choices:
        if label == title:
            return value
    raise AssertionError(f"no format {title!r} offered")


def preview(client, model_path, name, content, *, file_format="csv"):
    """Upload a file to /admin/<app>/<model>/import/; returns the preview response."""
    url = f"/admin/{model_path}/import/"
    form_page = client.get(url)
    assert form_page.status_code == 200
    upload = SimpleUploadedFile(name, content)
    return client.post(url, {"import_file": upload, "format": format_index(form_page, file_format)})


def confirm(client, model_path, preview_response):
    """Press "Confirm import" on a preview."""
    form = preview_response.context["confirm_form"]
    assert form is not None, "the preview offered no confirmation"
    return client.post(f"/admin/{model_path}/process_import/", form.initial)


def import_file(client, model_path, name, content, *, file_format="csv"):
    response = preview(client, model_path, name, content, file_format=file_format)
    assert response.context.get("confirm_form") is not None, page_text(response)
    return confirm(client, model_path, response)


def page_text(response):
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
