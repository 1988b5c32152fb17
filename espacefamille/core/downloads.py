"""Files the portal builds and sends (kitchen counts, treasury statements, stored uploads): one
place that sets the content type and the ``Content-Disposition``, so every download is named
the same way (Django's ``content_disposition_header`` quotes and encodes the file name)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"


def download_response(
    content: bytes | str, *, content_type: str, filename: str, inline: bool = False
) -> HttpResponse:
    """``content`` sent as the file ``filename``: saved by the browser, or shown (``inline``)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or (
        "inline" if inline else "attachment"
    )
    return response
