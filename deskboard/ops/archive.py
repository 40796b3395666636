"""The backup archive: a plain tar of the database snapshot and the attachment store, with a
manifest (format, database kind, migration revisions, time, sha256 of every member).

The manifest is the last member, so each checksum is taken over exactly the bytes written.
Reading verifies everything before anything is restored.
"""

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal

FORMAT = 1
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments"
DatabaseKind = Literal["sqlite", "postgresql"]
DATABASE_MEMBER: dict[DatabaseKind, str] = {
    "sqlite": "database.sqlite3",
    "postgresql": "database.pgdump",
}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the text is the whole message for the operator."""


@dataclass
class Manifest:
    database: DatabaseKind
    revisions: list[str]
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    format: int = FORMAT

    def to_json(self) -> bytes:
        body = {
            "format": self.format,
            "database": self.database,
            "alembic_revisions": self.revisions,
            "created_at": self.created_at,
            "members": self.members,
        }
        return json.dumps(body, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            body = json.loads(raw)
            manifest = cls(
                database=body["database"],
                revisions=[str(r) for r in body["alembic_revisions"]],
                created_at=str(body["created_at"]),
                members={str(k): dict(v) for k, v in body["members"].items()},
                format=int(body["format"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"the archive's {MANIFEST} is malformed") from exc
        if manifest.format != FORMAT:
            raise BackupError(
                f"archive format {manifest.format} is not supported (this version reads {FORMAT})"
            )
        if manifest.database not in DATABASE_MEMBER:
            raise BackupError(f"the archive names an unknown database kind {manifest.database!r}")
        return manifest


class _Hashing(io.RawIOBase):
    """Read through a file, hashing exactly what tarfile takes."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


class ArchiveWriter:
    def __init__(self, path: Path, manifest: Manifest) -> None:
        self.manifest = manifest
        self._tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115 - closed in finish

    def add_file(self, name: str, source: Path) -> None:
        with source.open("rb") as handle:
            info = self._tar.gettarinfo(fileobj=handle, arcname=name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            reader = _Hashing(handle)
            self._tar.addfile(info, reader)
        self.manifest.members[name] = {"sha256": reader.sha256.hexdigest(), "size": info.size}

    def finish(self) -> None:
        body = self.manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(datetime.now(UTC).timestamp())
        self._tar.addfile(info, io.BytesIO(body))
        self._tar.close()

    def abort(self) -> None:
        self._tar.close()


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def open_verified(path: Path) -> tuple[tarfile.TarFile, Manifest]:
    """Open an archive and check its manifest and every checksum; raise BackupError if not."""
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError as exc:
        raise BackupError(f"no archive at {path}") from exc
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a Deskboard backup archive (unreadable tar)") from exc
    try:
        manifest = _verify(tar)
    except BaseException:
        tar.close()
        raise
    return tar, manifest


def _verify(tar: tarfile.TarFile) -> Manifest:
    try:
        members = {member.name: member for member in tar.getmembers()}
        manifest_member = members.pop(MANIFEST, None)
        if manifest_member is None:
            raise BackupError(f"the archive has no {MANIFEST}: not a Deskboard backup")
        handle = tar.extractfile(manifest_member)
        manifest = Manifest.from_json(handle.read() if handle else b"")
        if set(members) != set(manifest.members):
            raise BackupError("the archive's members do not match its manifest")
        if DATABASE_MEMBER[manifest.database] not in members:
            raise BackupError("the archive holds no database snapshot")
        for name, member in members.items():
            expected = manifest.members[name]
            if not member.isfile() or not _safe_name(name):
                raise BackupError(f"archive member {name!r} is not a plain relative file")
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            while source is not None and (chunk := source.read(_CHUNK)):
                digest.update(chunk)
            if digest.hexdigest() != expected.get("sha256") or member.size != expected.get("size"):
                raise BackupError(f"archive member {name} is corrupt (checksum mismatch)")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError("the archive is truncated or corrupt") from exc
    return manifest


def extract_member(tar: tarfile.TarFile, name: str, target: Path) -> None:
    source = tar.extractfile(name)
    if source is None:
        raise BackupError(f"archive member {name} cannot be read")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            out.write(chunk)
