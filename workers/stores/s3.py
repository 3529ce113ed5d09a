"""Object storage on S3 (MinIO in production): the one module that imports `minio`.

`S3Store` has the same contract as `storage.LocalStore`: a put is durable when it returns (the server has
acknowledged it) and putting the same key again is harmless (S3 puts replace the whole object at once).
Reads that need a file (`local_path`, the rasteriser reads originals from disk) go through a local cache:
a download into a temporary file in the cache folder, then an atomic rename, so that worker processes
sharing the folder never see half a file. Originals are content-addressed (`originals/<sha256>`): a cached
copy is used again, once the bucket says the object is still there (a HEAD: the dossier holding it may have
been deleted by another machine, whose deletion only empties its own cache); other keys are fetched again
on each `local_path`, as they may be rewritten. Every `_SWEEP_S` a process sweeps the cache: copies of
objects the bucket no longer has, originals unused for `_CACHE_TTL_S`, and other keys' copies (only ever
read by the call that fetched them) past the grace time are removed.

Failures are translated here: a server that does not answer, or answers 5xx, is `StorageUnavailable`
(transient: the actors retry with backoff); rejected credentials are `ConfigError`; a missing object is
`FileNotFoundError`, as with the local store.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import certifi
import urllib3
from minio import Minio
from minio.error import MinioException, S3Error, ServerError

from schemas.errors import ConfigError, StorageUnavailable
from workers.settings import S3Settings

log = logging.getLogger("hoso.s3")

T = TypeVar("T")

_MISSING = {"NoSuchKey", "NoSuchObject", "ResourceNotFound", "NoSuchVersion"}
_BAD_CREDENTIALS = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled"}
_IMMUTABLE_PREFIX = "originals/"
_CHUNK = 1 << 20
# Leave cached originals alone for this long after their last use: another process may be opening one.
_CACHE_GRACE_S = 600.0
_CACHE_TTL_S = 86_400.0  # a cached original unused for a day is dropped
_SWEEP_S = 600.0  # how often a process sweeps the cache (at its first read, then at most this often)
# A sweep runs inside the read that triggers it: it asks the bucket about this many cached originals at most
# (the least recently used first), so a large cache costs that read a bounded wait; the rest wait their turn,
# and every copy goes at the latest a day after its last use (`_CACHE_TTL_S`).
# A copy is never served unchecked in between: `local_path` asks the bucket before reusing one.
_SWEEP_HEADS = 100


def _http_client(secure: bool) -> urllib3.PoolManager:
    # Few, quick retries here: the actors retry with backoff, and a dead server must be reported promptly
    # (minio's default is 5 retries with 5-minute timeouts).
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=5.0, read=120.0),
        maxsize=10,
        cert_reqs="CERT_REQUIRED" if secure else "CERT_NONE",
        ca_certs=certifi.where() if secure else None,
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
    )


class S3Store:
    def __init__(self, s3: S3Settings, cache_dir: Path, *, cache_max_bytes: int = 2 << 30) -> None:
        self.bucket = s3.bucket
        self.endpoint = s3.endpoint
        self.client = Minio(
            s3.endpoint,
            access_key=s3.access_key,
            secret_key=s3.secret_key,
            secure=s3.secure,
            http_client=_http_client(s3.secure),
        )
        self.cache_dir = cache_dir
        self.cache_max_bytes = cache_max_bytes
        self._bucket_ready = False
        self._swept_at = float("-inf")

    # --- error translation ---------------------------------------------------------------------------------

    @contextmanager
    def _translate(self, what: str, key: str) -> Iterator[None]:
        try:
            yield
        except S3Error as exc:
            if exc.code in _MISSING:
                raise FileNotFoundError(f"no object {key} in bucket {self.bucket}") from exc
            if exc.code in _BAD_CREDENTIALS:
                raise ConfigError(f"object storage at {self.endpoint} refused the credentials ({exc.code})") from exc
            raise StorageUnavailable(f"cannot {what} {key}: {exc.code}") from exc
        except (ServerError, MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise StorageUnavailable(f"cannot {what} {key}: object storage at {self.endpoint} did not answer") from exc

    def _call(self, what: str, key: str, fn: Callable[[], T]) -> T:
        self._ensure_bucket()
        with self._translate(what, key):
            return fn()

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        with self._translate("create the bucket for", self.bucket):
            if not self.client.bucket_exists(self.bucket):
                try:
                    self.client.make_bucket(self.bucket)
                    log.info("bucket created", extra={"stage": "storage"})
                except S3Error as exc:
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise
        self._bucket_ready = True

    # --- the ObjectStore protocol ------------------------------------------------------------------------

    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> None:
        _check_key(key)
        self._call("store", key, lambda: self.client.fput_object(self.bucket, key, str(path), content_type))

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        _check_key(key)
        self._call(
            "store", key, lambda: self.client.put_object(self.bucket, key, io.BytesIO(data), len(data), content_type)
        )

    def get_bytes(self, key: str) -> bytes:
        _check_key(key)

        def read() -> bytes:
            response = self.client.get_object(self.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return self._call("read", key, read)

    def exists(self, key: str) -> bool:
        _check_key(key)

        def stat() -> bool:
            try:
                self.client.stat_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in _MISSING:
                    return False
                raise
            return True

        return self._call("look up", key, stat)

    def version(self, key: str) -> str | None:
        _check_key(key)

        def etag() -> str | None:
            try:
                return str(self.client.stat_object(self.bucket, key).etag)
            except S3Error as exc:
                if exc.code in _MISSING:
                    return None
                raise

        return self._call("look up", key, etag)

    def local_path(self, key: str) -> Path:
        _check_key(key)
        dest = self.cache_dir / key
        self._sweep_now_and_then()
        if key.startswith(_IMMUTABLE_PREFIX) and dest.is_file():
            if not self.exists(key):  # deleted (with its dossier) since it was cached, maybe on another machine
                dest.unlink(missing_ok=True)
                raise FileNotFoundError(f"no object {key} in bucket {self.bucket}")
            os.utime(dest)  # marks it used, for the pruning below
            return dest
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailable(f"cannot create the cache folder {dest.parent}: {exc}") from exc
        self._call("read", key, lambda: self._download(key, dest))
        self._prune(keep=dest)
        return dest

    def delete(self, key: str) -> bool:
        _check_key(key)
        existed = self.exists(key)
        self._call("delete", key, lambda: self.client.remove_object(self.bucket, key))
        (self.cache_dir / key).unlink(missing_ok=True)
        return existed

    def delete_prefix(self, prefix: str) -> int:
        if not prefix.endswith("/"):
            raise ValueError(f"a prefix to delete is a folder ending in '/', not {prefix!r}")
        _check_key(prefix.rstrip("/"))

        def remove_all() -> int:
            found = self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            keys = [o.object_name for o in found if o.object_name]
            for key in keys:
                self.client.remove_object(self.bucket, key)
            return len(keys)

        count = self._call("delete", prefix, remove_all)
        shutil.rmtree(self.cache_dir / prefix.rstrip("/"), ignore_errors=True)
        return count

    # --- the cache ----------------------------------------------------------------------------------------

    def _download(self, key: str, dest: Path) -> None:
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
        try:
            response = self.client.get_object(self.bucket, key)
            try:
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(response, out, _CHUNK)
            finally:
                response.close()
                response.release_conn()
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _sweep_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self._swept_at >= _SWEEP_S:
            self._swept_at = now
            self.sweep()

    def sweep(self, *, now: float | None = None) -> int:
        """Remove the cached copies that may no longer be kept (see the module's doc); how many."""
        now = time.time() if now is None else now
        try:
            entries = [(p.stat(), p) for p in self.cache_dir.rglob("*") if p.is_file()]
        except OSError:
            return 0
        removed = heads = 0
        for st, p in sorted(entries, key=lambda e: e[0].st_mtime):
            key = p.relative_to(self.cache_dir).as_posix()
            idle = now - st.st_mtime
            if idle < _CACHE_GRACE_S:
                continue  # another process may be opening it (or writing it: a .part- file)
            drop = not key.startswith(_IMMUTABLE_PREFIX) or p.name.startswith(".part-") or idle >= _CACHE_TTL_S
            if not drop:
                if heads >= _SWEEP_HEADS:
                    continue  # asked about at a later sweep
                heads += 1
            try:
                if drop or not self.exists(key):
                    p.unlink(missing_ok=True)
                    removed += 1
            except StorageUnavailable:
                break  # the bucket away: the rest kept until the next sweep (not one timeout per copy)
            except ValueError:
                continue
        if removed:
            log.info("cache swept", extra={"stage": "storage", "count": removed})
        return removed

    def _prune(self, keep: Path) -> None:
        """Drop the least recently used cached objects beyond the size limit (not the ones just used)."""
        try:
            entries = [(p.stat(), p) for p in self.cache_dir.rglob("*") if p.is_file() and p != keep]
        except OSError:
            return
        total = sum(st.st_size for st, _ in entries) + (keep.stat().st_size if keep.exists() else 0)
        if total <= self.cache_max_bytes:
            return
        now = time.time()
        for st, p in sorted(entries, key=lambda e: e[0].st_mtime):
            if total <= self.cache_max_bytes or now - st.st_mtime < _CACHE_GRACE_S:
                break
            p.unlink(missing_ok=True)
            total -= st.st_size


def _check_key(key: str) -> None:
    if not key or key.startswith("/") or ".." in key.split("/"):
        raise ValueError(f"bad object key {key!r}")
