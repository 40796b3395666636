"""Where attachment contents live: a folder of files named by sha256 (default) or an
S3-compatible bucket. Contents are immutable; `put` is atomic; removal is the service's call,
made only while it holds the content's lock and no attachment uses it.

Uploads are first staged in a private temporary file (hashed and counted while they stream
in, never held whole in memory), then moved into the store under their sha256.
"""

import asyncio
import hashlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from deskboard.config import Settings
from deskboard.core.errors import PayloadTooLarge

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
HEAD_BYTES = 64 * 1024  # kept from the start of a content for sniffing


def too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The file is over the {human_size(max_bytes)} attachment limit")


def human_size(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def shard_path(sha256: str) -> str:
    """ab/cd/abcd...: two levels of 256 folders keep each folder small."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


@dataclass
class StagedFile:
    """A content received and hashed, waiting in a private temporary file."""

    path: Path
    sha256: str
    size: int
    head: bytes

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class Stager:
    """Write a content to a 0600 temporary file chunk by chunk, hashing and counting it;
    refuse it (413) as soon as it passes `max_bytes`."""

    def __init__(self, staging_dir: Path, max_bytes: int):
        staging_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix="upload-", dir=staging_dir)  # 0600
        self._file = os.fdopen(descriptor, "wb")
        self.path = Path(name)
        self.max_bytes = max_bytes
        self._hash = hashlib.sha256()
        self._head = bytearray()
        self.size = 0

    async def write(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if self.size > self.max_bytes:
            raise too_large(self.max_bytes)
        self._hash.update(data)
        if len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]
        await asyncio.to_thread(self._file.write, data)

    async def finish(self) -> StagedFile:
        def flush() -> None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

        await asyncio.to_thread(flush)
        return StagedFile(self.path, self._hash.hexdigest(), self.size, bytes(self._head))

    def discard(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


async def stage_bytes(staging_dir: Path, content: bytes, max_bytes: int) -> StagedFile:
    """Stage a content already in memory (e.g. a mail part)."""
    stager = Stager(staging_dir, max_bytes)
    try:
        for start in range(0, len(content), CHUNK):
            await stager.write(content[start : start + CHUNK])
        return await stager.finish()
    except BaseException:
        stager.discard()
        raise


class AttachmentStore(Protocol):
    async def contains(self, sha256: str) -> bool: ...

    async def put(self, sha256: str, staged: StagedFile) -> None:
        """Store the staged content under its sha256 (atomic: all of it or nothing)."""

    async def remove(self, sha256: str) -> None: ...

    def local_path(self, sha256: str) -> Path | None:
        """The file, when the store is a local folder (served with sendfile and ranges)."""

    def chunks(self, sha256: str) -> AsyncIterator[bytes]: ...

    def describe(self) -> str: ...


class LocalStore:
    """DESKBOARD_DATA_DIR/attachments/ab/cd/<sha256>, files 0600 in folders 0700."""

    def __init__(self, root: Path):
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / shard_path(sha256)

    async def contains(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    async def put(self, sha256: str, staged: StagedFile) -> None:
        target = self._path(sha256)

        def move() -> None:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(staged.path, 0o600)
            # rename(2) is atomic on one filesystem: the staging folder is in the data folder.
            os.replace(staged.path, target)

        await asyncio.to_thread(move)

    async def remove(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def local_path(self, sha256: str) -> Path | None:
        return self._path(sha256)

    async def chunks(self, sha256: str) -> AsyncIterator[bytes]:
        with self._path(sha256).open("rb") as handle:
            while block := await asyncio.to_thread(handle.read, CHUNK):
                yield block

    def describe(self) -> str:
        return f"local folder {self.root}"


class S3Store:
    """An S3-compatible bucket (AWS, MinIO, Ceph, ...): object `<prefix>ab/cd/<sha256>`."""

    def __init__(self, settings: Settings):
        import boto3  # imported only when the S3 store is chosen

        self.bucket = settings.attachment_s3_bucket or ""
        self.prefix = settings.attachment_s3_prefix
        self.client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.attachment_s3_endpoint_url,
            region_name=settings.attachment_s3_region,
            aws_access_key_id=settings.attachment_s3_access_key_id,
            aws_secret_access_key=settings.attachment_s3_secret_access_key,
        )

    def _key(self, sha256: str) -> str:
        return f"{self.prefix}{shard_path(sha256)}"

    async def contains(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            await asyncio.to_thread(
                self.client.head_object, Bucket=self.bucket, Key=self._key(sha256)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    async def put(self, sha256: str, staged: StagedFile) -> None:
        # upload_file switches to a multipart upload for large files; S3 shows an object only
        # once it is complete, so a reader never sees half of one.
        await asyncio.to_thread(
            self.client.upload_file,
            str(staged.path),
            self.bucket,
            self._key(sha256),
            ExtraArgs={"ContentType": "application/octet-stream"},
        )
        staged.discard()

    async def remove(self, sha256: str) -> None:
        await asyncio.to_thread(
            self.client.delete_object, Bucket=self.bucket, Key=self._key(sha256)
        )

    def local_path(self, sha256: str) -> Path | None:
        return None

    async def chunks(self, sha256: str) -> AsyncIterator[bytes]:
        answer = await asyncio.to_thread(
            self.client.get_object, Bucket=self.bucket, Key=self._key(sha256)
        )
        body = answer["Body"]
        try:
            while block := await asyncio.to_thread(body.read, CHUNK):
                yield block
        finally:
            body.close()

    def describe(self) -> str:
        endpoint = self.client.meta.endpoint_url
        return f"S3 bucket {self.bucket} at {endpoint} (prefix {self.prefix!r})"


def staging_dir(settings: Settings) -> Path:
    """Uploads in flight: inside the data folder (so a rename moves them into the local store)
    but outside data_dir/attachments (so a backup never copies half an upload)."""
    return settings.data_dir / "tmp" / "uploads"


def local_root(settings: Settings) -> Path:
    """The local store's folder; `deskboard backup` archives this same folder."""
    return settings.data_dir / "attachments"


_stores: dict[tuple[Any, ...], AttachmentStore] = {}


def get_store(settings: Settings) -> AttachmentStore:
    """The store the settings choose (one per configuration: one S3 client, reused)."""
    key = (
        settings.attachment_store,
        str(local_root(settings)),
        settings.attachment_s3_bucket,
        settings.attachment_s3_prefix,
        settings.attachment_s3_endpoint_url,
        settings.attachment_s3_region,
        settings.attachment_s3_access_key_id,
        settings.attachment_s3_secret_access_key,
    )
    store = _stores.get(key)
    if store is None:
        if settings.attachment_store == "s3":
            store = S3Store(settings)
        else:
            store = LocalStore(local_root(settings))
        _stores[key] = store
    return store
