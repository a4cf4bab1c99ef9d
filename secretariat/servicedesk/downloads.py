"""Serving a ticket's attachment, the same way to the web page and the API."""

import io

from django.http import FileResponse

from secretariat.servicedesk.models import TicketAttachment


def attachment_response(attachment: TicketAttachment) -> FileResponse:
    """The stored bytes as a download, never shown inline: a file from a stranger's e-mail or upload
    must not run as a page of this site. Content type as stored; the name is encoded by Django."""
    return FileResponse(io.BytesIO(bytes(attachment.content)), as_attachment=True, filename=attachment.file_name,
                        content_type=attachment.content_type)
