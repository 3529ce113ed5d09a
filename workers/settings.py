"""Settings: the one place that reads the environment. Everything else is handed a `Settings`.

`Environment` (pydantic-settings) declares every HOSO_* variable with its type and default and refuses a bad
value with a `ConfigError` naming the variable; `from_env` arranges it into the frozen `Settings` the rest of
hoso is handed. `Settings(...)` itself reads nothing, so tests build one with exactly what they need.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, ValidationError
from pydantic import Field as PydanticField
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from schemas.errors import ConfigError
from schemas.settings import DEFAULT_TESSDATA, PipelineSettings


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


# --- the environment: every HOSO_* variable, declared and validated in one pydantic-settings class ----------


def _whole(value: object) -> object:
    return value.replace("_", "") if isinstance(value, str) else value  # 100_000_000 as Python writes it


_Whole = Annotated[int, BeforeValidator(_whole)]
_Seconds = Annotated[float, PydanticField(ge=0, allow_inf_nan=False)]


class Environment(BaseSettings):
    """The HOSO_* variables as given (flat, one attribute a variable); `settings()` arranges them."""

    model_config = SettingsConfigDict(env_prefix="HOSO_", env_ignore_empty=True, extra="ignore", frozen=True)

    data_dir: Path = Path("hoso-data")
    database_url: str | None = None
    broker_url: str | None = None
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = PydanticField(default=None, repr=False)
    s3_bucket: str = "hoso"
    s3_secure: bool = False
    jobs: _Whole = 0
    lang: str = "vie"
    tessdata: str = DEFAULT_TESSDATA
    max_pixels: _Whole = 100_000_000
    max_pages: _Whole = 500
    secret_key: str | None = PydanticField(default=None, repr=False)
    max_upload_mb: _Whole = 200
    watch_stable_seconds: _Seconds = 5.0
    watch_poll_seconds: _Seconds = 5.0
    watch_delete: bool = False
    watch_inotify: bool = True
    watch_batch_files: _Whole = 32

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only what `read` hands over: no .env file, no secrets folder, and os.environ read in `read` alone.
        return (init_settings,)

    @classmethod
    def read(cls, env: Mapping[str, str] | None = None) -> Environment:
        source = EnvSettingsSource(cls, env_prefix="HOSO_", case_sensitive=False, env_ignore_empty=True)
        given = os.environ if env is None else env
        source.env_vars = {k.lower(): v for k, v in given.items() if v != ""}  # names in any case; empty: unset
        try:
            return cls(**source())
        except ValidationError as exc:
            raise ConfigError(_explain(exc)) from None

    def settings(self) -> Settings:
        s3 = None
        if self.s3_endpoint:
            missing = [f"HOSO_{k.upper()}" for k in ("s3_access_key", "s3_secret_key") if not getattr(self, k)]
            if missing:
                raise ConfigError(f"HOSO_S3_ENDPOINT is set but {', '.join(missing)} is not")
            assert self.s3_access_key and self.s3_secret_key
            s3 = S3Settings(self.s3_endpoint, self.s3_access_key, self.s3_secret_key, self.s3_bucket, self.s3_secure)
        return Settings(
            data_dir=self.data_dir,
            database_url=self.database_url,
            broker_url=self.broker_url,
            s3=s3,
            jobs=self.jobs,
            pipeline=PipelineSettings(
                lang=self.lang, tessdata=self.tessdata, max_pixels=self.max_pixels, max_pages=self.max_pages
            ),
            web=WebSettings(secret_key=self.secret_key, max_upload_mb=self.max_upload_mb),
            watch=WatchSettings(
                stable_seconds=self.watch_stable_seconds,
                poll_seconds=self.watch_poll_seconds,
                delete=self.watch_delete,
                inotify=self.watch_inotify,
                batch_files=max(1, self.watch_batch_files),
            ),
        )


_KIND = {int: "a whole number", float: "a number of seconds, zero or more", bool: "true or false"}


def _explain(exc: ValidationError) -> str:
    """'HOSO_JOBS='many' is not a whole number', one clause per variable refused."""
    fields = Environment.model_fields
    parts = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        info = fields.get(name)
        kind = _KIND.get(info.annotation if info else None, "valid") if info else "valid"  # type: ignore[arg-type]
        parts.append(f"HOSO_{name.upper()}={err.get('input')!r} is not {kind}")
    return "; ".join(parts)


def from_env(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from HOSO_* environment variables, then explicit overrides (command-line options)."""
    settings = Environment.read(env).settings()
    clean = {k: v for k, v in overrides.items() if v is not None}
    pipe_changes = {k: clean.pop(k) for k in list(clean) if k in ("lang", "max_pixels", "max_pages")}
    if pipe_changes:
        clean["pipeline"] = replace(settings.pipeline, **pipe_changes)  # type: ignore[arg-type]
    return settings.with_overrides(**clean) if clean else settings
