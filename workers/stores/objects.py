"""Object storage: originals, straightened page images, OCR data, PDFs.

`LocalStore` keeps objects in a folder (the embedded default). The S3/MinIO store lives in
`workers/stores/s3.py`, the one module that imports `minio`. Both are written so that a put is durable when it
returns and a repeated put of the same key is harmless.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from workers.settings import Settings

from schemas.errors import MissingExtra, StorageUnavailable
from workers.private import make_dir

_CHUNK = 1 << 20


def write_atomic(dest: Path, src: BinaryIO) -> None:
    """Write `src` to `dest` so that a crash leaves the old file or the whole new one, durable on return."""
    make_dir(dest.parent)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")  # 0600
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(src, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def original_key(sha256: str) -> str:
    return f"originals/{sha256}"


def page_image_key(code: str, number: int) -> str:
    return f"dossiers/{code}/pages/{number:04d}.jpg"


class ObjectStore(Protocol):
    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> None: ...
    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...
    def get_bytes(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def version(self, key: str) -> str | None:
        """A tag that changes whenever the object does (S3's ETag); None when there is no such object."""
        ...

    def local_path(self, key: str) -> Path:
        """A path to read the object from: the object itself, or a cached copy."""
        ...

    def delete(self, key: str) -> bool:
        """Remove the object (and any cached copy); False when there was none."""
        ...

    def delete_prefix(self, prefix: str) -> int:
        """Remove every object whose key starts with `prefix` (a folder: ends with `/`); how many there were."""
        ...


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            make_dir(root)
        except OSError as exc:
            raise StorageUnavailable(f"cannot create the object folder {root}: {exc}") from exc

    def _path(self, key: str) -> Path:
        if key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad object key {key!r}")
        return self.root / key

    def _write(self, key: str, src: BinaryIO) -> None:
        write_atomic(self._path(key), src)

    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> None:
        try:
            with path.open("rb") as src:
                self._write(key, src)
        except OSError as exc:
            raise StorageUnavailable(f"cannot store {key}: {exc}") from exc

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        import io

        try:
            self._write(key, io.BytesIO(data))
        except OSError as exc:
            raise StorageUnavailable(f"cannot store {key}: {exc}") from exc

    def get_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def version(self, key: str) -> str | None:
        try:
            st = self._path(key).stat()
        except FileNotFoundError:
            return None
        return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def delete(self, key: str) -> bool:
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StorageUnavailable(f"cannot delete {key}: {exc}") from exc
        return True

    def delete_prefix(self, prefix: str) -> int:
        if not prefix.endswith("/"):
            raise ValueError(f"a prefix to delete is a folder ending in '/', not {prefix!r}")
        folder = self._path(prefix.rstrip("/"))
        if not folder.is_dir():
            return 0
        count = sum(1 for p in folder.rglob("*") if p.is_file())
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            raise StorageUnavailable(f"cannot delete {prefix}: {exc}") from exc
        return count


def make_store(settings: Settings) -> ObjectStore:
    """The object store the settings name: S3/MinIO when an endpoint is configured, else a local folder."""
    if settings.s3 is not None:
        try:
            from workers.stores.s3 import S3Store
        except ModuleNotFoundError as exc:
            if exc.name != "minio":
                raise
            needs = "object storage (HOSO_S3_ENDPOINT) needs the [cluster] extra: install hoso[cluster]"
            raise MissingExtra(needs) from exc

        return S3Store(settings.s3, cache_dir=settings.data_dir / "cache")
    return LocalStore(settings.objects_dir)
