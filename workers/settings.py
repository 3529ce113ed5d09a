"""Settings: the one place that reads the environment. Everything else is handed a `Settings`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from schemas.errors import ConfigError
from schemas.settings import DEFAULT_TESSDATA, PipelineSettings


def _bool(value: str) -> bool:
    v = value.strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"'{value}' is not true or false")


def _int(name: str, value: str) -> int:
    try:
        return int(value.replace("_", ""))
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} is not a whole number") from exc


def _seconds(name: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} is not a number of seconds") from exc
    if not seconds >= 0:
        raise ConfigError(f"{name}={value!r} must be zero or more seconds")
    return seconds


@dataclass(frozen=True)
class S3Settings:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str = "hoso"
    secure: bool = False


@dataclass(frozen=True)
class WebSettings:
    """`hoso serve`: the key that signs session cookies, the upload limit."""

    secret_key: str | None = field(default=None, repr=False)  # None: one kept in data_dir/web-secret
    max_upload_mb: int = 200  # per request: all the files of one upload together
    session_hours: int = 12


@dataclass(frozen=True)
class WatchSettings:
    """`hoso watch`: when a file counts as complete, how often the folder is scanned, what leaves it."""

    stable_seconds: float = 5.0  # unchanged size and mtime this long: the scanner has finished the file
    poll_seconds: float = 5.0  # full rescan of the folder (network shares give no inotify events)
    delete: bool = False  # delete a file once recorded instead of moving it to DIR/done/
    inotify: bool = True  # also listen for events where the file system gives them
    batch_files: int = 32  # files taken together: their pages share one pool of page processes


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("hoso-data")
    database_url: str | None = None  # default: SQLite under data_dir
    broker_url: str | None = None  # None: embedded, no broker
    s3: S3Settings | None = None  # None: objects in a local folder under data_dir
    jobs: int = 0  # page processes; 0 = one per core
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    web: WebSettings = field(default_factory=WebSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)

    @property
    def db_url(self) -> str:
        url = self.database_url
        if url is None:
            return f"sqlite:///{(self.data_dir / 'hoso.db').resolve()}"
        # postgresql:// (what the operators write) through psycopg 3, the driver installed.
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else max(1, os.cpu_count() or 1)

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def from_env(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from HOSO_* environment variables, then explicit overrides (command-line options)."""
    env = os.environ if env is None else env
    pipe = PipelineSettings(
        lang=env.get("HOSO_LANG", "vie"),
        tessdata=env.get("HOSO_TESSDATA", DEFAULT_TESSDATA),
        max_pixels=_int("HOSO_MAX_PIXELS", env["HOSO_MAX_PIXELS"]) if "HOSO_MAX_PIXELS" in env else 100_000_000,
        max_pages=_int("HOSO_MAX_PAGES", env["HOSO_MAX_PAGES"]) if "HOSO_MAX_PAGES" in env else 500,
    )
    s3 = None
    if env.get("HOSO_S3_ENDPOINT"):
        missing = [k for k in ("HOSO_S3_ACCESS_KEY", "HOSO_S3_SECRET_KEY") if not env.get(k)]
        if missing:
            raise ConfigError(f"HOSO_S3_ENDPOINT is set but {', '.join(missing)} is not")
        s3 = S3Settings(
            endpoint=env["HOSO_S3_ENDPOINT"],
            access_key=env["HOSO_S3_ACCESS_KEY"],
            secret_key=env["HOSO_S3_SECRET_KEY"],
            bucket=env.get("HOSO_S3_BUCKET", "hoso"),
            secure=_bool(env.get("HOSO_S3_SECURE", "false")),
        )
    settings = Settings(
        data_dir=Path(env.get("HOSO_DATA_DIR", "hoso-data")),
        database_url=env.get("HOSO_DATABASE_URL") or None,
        broker_url=env.get("HOSO_BROKER_URL") or None,
        s3=s3,
        jobs=_int("HOSO_JOBS", env["HOSO_JOBS"]) if "HOSO_JOBS" in env else 0,
        pipeline=pipe,
        web=WebSettings(
            secret_key=env.get("HOSO_SECRET_KEY") or None,
            max_upload_mb=_int("HOSO_MAX_UPLOAD_MB", env["HOSO_MAX_UPLOAD_MB"]) if "HOSO_MAX_UPLOAD_MB" in env else 200,
        ),
        watch=WatchSettings(
            stable_seconds=_seconds("HOSO_WATCH_STABLE_SECONDS", env.get("HOSO_WATCH_STABLE_SECONDS", "5")),
            poll_seconds=_seconds("HOSO_WATCH_POLL_SECONDS", env.get("HOSO_WATCH_POLL_SECONDS", "5")),
            delete=_bool(env.get("HOSO_WATCH_DELETE", "false")),
            inotify=_bool(env.get("HOSO_WATCH_INOTIFY", "true")),
            batch_files=max(1, _int("HOSO_WATCH_BATCH_FILES", env.get("HOSO_WATCH_BATCH_FILES", "32"))),
        ),
    )
    clean = {k: v for k, v in overrides.items() if v is not None}
    pipe_changes = {k: clean.pop(k) for k in list(clean) if k in ("lang", "max_pixels", "max_pages")}
    if pipe_changes:
        clean["pipeline"] = replace(pipe, **pipe_changes)  # type: ignore[arg-type]
    return settings.with_overrides(**clean) if clean else settings
