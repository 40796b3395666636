"""Pydantic shapes of the attachment API."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt

from deskboard.tickets.filters import MAX_ID

# The most files one comment or new ticket may take.
MAX_ATTACHMENT_IDS = 20


def _unique(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("each attachment id once")
    return ids


AttachmentId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
AttachmentIds = Annotated[
    list[AttachmentId],
    Field(
        max_length=MAX_ATTACHMENT_IDS,
        json_schema_extra={"uniqueItems": True},
        description="Files uploaded first (by the caller, not yet attached to anything)",
    ),
    AfterValidator(_unique),
]


class UploaderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class AttachmentRead(BaseModel):
    id: int
    ticket_id: int | None = Field(description="null: a draft, seen only by its uploader")
    comment_id: int | None
    filename: str
    content_type: str = Field(description="The type sniffed from the content, as served")
    size: int
    sha256: str
    internal: bool
    inline: bool = Field(description="An image the browser may show inline")
    url: str = Field(description="Download (GET) and delete (DELETE) address")
    uploaded_by: UploaderRead | None
    created_at: datetime
