"""The whole-archive download: a page that says what is in it, when it was made and
how large it is, and the file itself at a stable address.

The file is written by `manage.py export_archive` (reader/archive.py), never by a
reader's request: where none has been written yet, the page says so and the file's
address answers 404 with a sentence, not a server error.
"""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from reader import archive

DOWNLOAD_FILENAME = f"{archive.PACKAGE_NAME}.zip"


@require_safe
def download_page(request):
    return render(
        request,
        "downloads/archive.html",
        {
            "download": archive.latest_download(),
            "tables": archive.TABLES,
            "license": archive.settings.ARCHIVE_LICENSE,
        },
    )


@require_safe
def download_file(request):
    """The newest download under one name that never changes. Not kept in the page
    cache: it is a file, served from storage."""
    download = archive.latest_download()
    if download is None:
        raise Http404("The archive download has not been written yet.")
    response = FileResponse(
        archive.default_storage.open(download.name, "rb"),
        as_attachment=True,
        filename=DOWNLOAD_FILENAME,
        content_type="application/zip",
    )
    response["Last-Modified"] = http_date(download.created.timestamp())
    response["Access-Control-Allow-Origin"] = "*"
    return response
