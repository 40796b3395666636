"""Attachment endpoints: upload (multipart, streamed), list, download, delete."""

import logging
import unicodedata
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse, StreamingResponse

from deskboard.attachments import service
from deskboard.attachments.schemas import AttachmentRead
from deskboard.attachments.sniffing import FALLBACK_NAME, may_show_inline
from deskboard.attachments.storage import get_store
from deskboard.attachments.upload import UPLOAD_BODY, receive_upload
from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.config import Settings
from deskboard.core.errors import NotFound
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.tickets.deps import ValidTicket
from deskboard.tickets.filters import MAX_ID

logger = logging.getLogger(__name__)
router = APIRouter(tags=["attachments"])

Reader = Annotated[User, require("tickets:read")]
Uploader = Annotated[User, require("attachments:create")]
AttachmentPathId = Annotated[int, Path(ge=1, le=MAX_ID, description="The attachment id")]

# A downloaded file is never a page: no scripts, no plugins, no same-origin powers, even if a
# browser were to render it.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
_DOWNLOAD_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file: `Content-Disposition: attachment` (images of safe types may "
        "be `inline`), served as its sniffed type or application/octet-stream",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.post(
    "/tickets/{ticket_id}/attachments",
    response_model=AttachmentRead,
    status_code=201,
    responses=errors(403, 404),
    openapi_extra=UPLOAD_BODY,
)
async def upload_to_ticket(
    request: Request, session: DbSession, user: Uploader, ticket: ValidTicket
) -> AttachmentRead:
    settings = _settings(request)
    form = await receive_upload(request, settings)
    return await service.upload(
        session,
        actor=user,
        ticket=ticket,
        staged=form.staged,
        filename=form.filename,
        internal=form.internal,
        settings=settings,
    )


@router.post(
    "/attachments",
    response_model=AttachmentRead,
    status_code=201,
    responses=errors(403),
    openapi_extra=UPLOAD_BODY,
    summary="Upload a draft: a file for a new ticket, which takes it with `attachment_ids`",
)
async def upload_draft(request: Request, session: DbSession, user: Uploader) -> AttachmentRead:
    settings = _settings(request)
    form = await receive_upload(request, settings)
    return await service.upload(
        session,
        actor=user,
        ticket=None,
        staged=form.staged,
        filename=form.filename,
        internal=form.internal,
        settings=settings,
    )


@router.get(
    "/tickets/{ticket_id}/attachments",
    response_model=list[AttachmentRead],
    responses=errors(403, 404),
)
async def list_ticket_attachments(
    session: DbSession, user: Reader, ticket: ValidTicket
) -> list[AttachmentRead]:
    return await service.list_for_ticket(session, viewer=user, ticket=ticket)


@router.get(
    "/attachments/{attachment_id}",
    response_class=Response,
    responses={**_DOWNLOAD_RESPONSE, **errors(403, 404)},
)
async def download_attachment(
    request: Request,
    attachment_id: AttachmentPathId,
    session: DbSession,
    user: Reader,
    download: Annotated[
        bool, Query(description="Always as a download, even an image that may show inline")
    ] = False,
) -> Response:
    attachment = await service.get_visible(session, viewer=user, attachment_id=attachment_id)
    inline = may_show_inline(attachment.content_type) and not download
    headers = {
        "Content-Disposition": content_disposition(
            attachment.filename, "inline" if inline else "attachment"
        ),
        "Content-Security-Policy": DOWNLOAD_CSP,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    store = get_store(_settings(request))
    path = store.local_path(attachment.sha256)
    if path is not None:
        if not path.is_file():
            logger.error("Attachment %s: content %s missing", attachment.id, attachment.sha256)
            raise NotFound(f"The content of attachment {attachment_id} is missing")
        return FileResponse(path, media_type=attachment.content_type, headers=headers)
    headers["Content-Length"] = str(attachment.size)
    return StreamingResponse(
        store.chunks(attachment.sha256), media_type=attachment.content_type, headers=headers
    )


@router.delete("/attachments/{attachment_id}", status_code=204, responses=errors(403, 404))
async def delete_attachment(
    request: Request,
    attachment_id: AttachmentPathId,
    session: DbSession,
    user: Annotated[User, require("attachments:delete")],
) -> Response:
    attachment = await service.get_visible(session, viewer=user, attachment_id=attachment_id)
    await service.delete_attachment(
        session, actor=user, attachment=attachment, settings=_settings(request)
    )
    return Response(status_code=204)


def content_disposition(filename: str, kind: str) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''...` (RFC 6266 with RFC 5987's encoding
    for the real name; the ASCII one for old clients, without quotes, backslashes or controls)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = (
        "".join("_" if ch in '"\\' or not ch.isprintable() else ch for ch in ascii_name).strip()
        or FALLBACK_NAME
    )
    encoded = quote(filename, safe="!#$&+-.^_`|~")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
