"""Settings: the one place that reads the environment. Everything else is handed a `Settings`.

`environment_class()` (pydantic-settings) declares every HOSO_* variable with its type and default and refuses a bad
value with a `ConfigError` naming the variable; `from_env` arranges it into the frozen `Settings` the rest of
hoso is handed. `Settings(...)` itself reads nothing, so tests build one with exactly what they need.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any

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
    session_hours: int = 12  # a session's whole life, however busy
    # --- sign-in and sessions (issue 13, the web app's block) ---
    session_idle_minutes: float = 30.0  # a session unused this long is over
    token_days: int = 90  # an API token's life; 0: never expires
    login_hashes: int = 2  # argon2 checks at once (64 MiB each); more sign-ins wait, then get 503
    login_wait_seconds: float = 2.0  # how long a sign-in waits for a free check
    lock_after: int = 10  # failed sign-ins of an account before it is locked (`hoso user unlock`)
    hsts: bool = False  # served behind TLS: send Strict-Transport-Security
    max_pages_per_hour: int = 2000  # pages one user may upload in any hour; 0: no limit


@dataclass(frozen=True)
class WatchSettings:
    """`hoso watch`: when a file counts as complete, how often the folder is scanned, what leaves it."""

    stable_seconds: float = 5.0  # unchanged size and mtime this long: the scanner has finished the file
    # the same on a network share (NFS, SMB, sshfs, 9p): its writer is on another machine, so no local process
    # holds the file open and no event says it is closed; a client's write cache flushes in bursts
    network_stable_seconds: float = 30.0
    poll_seconds: float = 5.0  # full rescan of the folder (network shares give no inotify events)
    delete: bool = False  # delete a file once recorded instead of moving it to DIR/done/
    inotify: bool = True  # also listen for events where the file system gives them
    batch_files: int = 32  # files taken together: their pages share one pool of page processes
    # A file found cut short (or empty) is taken again this many times, this long apart, before it goes to
    # failed/: a scanner that closes the file and pauses mid-scan (one that keeps it open is waited for).
    incomplete_tries: int = 3
    incomplete_wait_seconds: float = 30.0


@dataclass(frozen=True)
class ExportSettings:
    """`hoso export` and `hoso verify`: the profile of the PDF/A output intent, the centre's signing certificate."""

    icc_profile: Path = Path("/usr/share/color/icc/ghostscript/srgb.icc")  # Debian's libgs-common
    signing_p12: Path | None = None  # the centre's certificate and key (PKCS#12); None: exports are not signed
    signing_password: str | None = field(default=None, repr=False)
    signing_trust: Path | None = None  # PEM/DER certificates `hoso verify` trusts as roots


@dataclass(frozen=True)
class PortalSettings:
    """Status changes to the portal (workers/usecases/outbox.py). No `url`: changes are kept in the outbox,
    nothing is sent; once a url is set, what was kept goes, in order."""

    url: str | None = None  # http(s)://… the receiver of POSTed status changes
    secret: str | None = field(default=None, repr=False)  # the HMAC-SHA256 key of the signature header
    timeout_seconds: float = 10.0  # one request, connecting included
    max_attempts: int = 20  # a change not acknowledged after this many attempts is failed (shown to admins) ...
    max_age_hours: float = 24.0  # ... or after this long since its first attempt
    backoff_seconds: float = 2.0  # the first wait after a failure, doubled each time (with jitter) ...
    max_backoff_seconds: float = 900.0  # ... up to this
    poll_seconds: float = 2.0  # how often a deliverer looks for changes when there was nothing to send
    concurrency: int = 4  # dossiers sent to at once (a dossier's own changes go one after the other)


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
    export: ExportSettings = field(default_factory=ExportSettings)
    portal: PortalSettings = field(default_factory=PortalSettings)
    procedures_file: Path | None = None  # a province's procedures merged over schemas/procedures.json
    audit_days: int = 365  # sign-in and read audits, delivered status changes: kept this long (0: for ever)
    delete_grace_days: int = 0  # a dossier deleted in the app stays in the trash this long (0: removed at once)

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


@cache
def environment_class() -> Any:
    """The pydantic-settings class of the HOSO_* variables (flat, one attribute a variable), made on first use:
    importing pydantic-settings costs some 20 ms, paid only by a process that reads the environment, not by
    the page processes that are handed a `Settings`."""
    from pydantic import BeforeValidator
    from pydantic import Field as PydanticField
    from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

    def whole(value: object) -> object:
        return value.replace("_", "") if isinstance(value, str) else value  # 100_000_000 as Python writes it

    Whole = Annotated[int, BeforeValidator(whole)]
    Seconds = Annotated[float, PydanticField(ge=0, allow_inf_nan=False)]

    class Environment(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="HOSO_", env_ignore_empty=True, extra="ignore", frozen=True)

        data_dir: Path = Path("hoso-data")
        database_url: str | None = None
        broker_url: str | None = None
        s3_endpoint: str | None = None
        s3_access_key: str | None = None
        s3_secret_key: str | None = PydanticField(default=None, repr=False)
        s3_bucket: str = "hoso"
        s3_secure: bool = False
        jobs: Whole = 0
        lang: str = "vie"
        tessdata: str = DEFAULT_TESSDATA
        max_pixels: Whole = 100_000_000
        max_pages: Whole = 500
        rescore_marks: bool = True
        secret_key: str | None = PydanticField(default=None, repr=False)
        max_upload_mb: Whole = 200
        procedures_file: Path | None = None
        audit_days: Whole = 365
        delete_grace_days: Whole = 0
        watch_stable_seconds: Seconds = 5.0
        watch_network_stable_seconds: Seconds = 30.0
        watch_poll_seconds: Seconds = 5.0
        watch_delete: bool = False
        watch_inotify: bool = True
        watch_batch_files: Whole = 32
        watch_incomplete_tries: Whole = 3
        watch_incomplete_wait_seconds: Seconds = 30.0
        # --- sign-in and sessions (the web app's block) ---
        session_hours: Whole = 12
        session_idle_minutes: Seconds = 30.0
        token_days: Whole = 90
        login_hashes: Whole = 2
        lock_after: Whole = 10
        hsts: bool = False
        max_pages_per_hour: Whole = 2000
        # --- export and signing ---
        signing_p12: Path | None = None
        signing_password: str | None = PydanticField(default=None, repr=False)
        signing_trust: Path | None = None
        # --- status changes to the portal (the outbox) ---
        portal_url: str | None = None
        portal_secret: str | None = PydanticField(default=None, repr=False)
        portal_timeout_seconds: Seconds = 10.0
        portal_max_attempts: Whole = 20
        portal_max_age_hours: Seconds = 24.0
        portal_backoff_seconds: Seconds = 2.0

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            # Only what `read_environment` hands over: no .env file, no secrets folder, os.environ read there.
            return (init_settings,)

    return Environment


def read_environment(env: Mapping[str, str] | None = None) -> Any:
    """The HOSO_* variables of `env` (default: this process's environment), validated; a bad value is a
    ConfigError naming its variable."""
    from pydantic import ValidationError
    from pydantic_settings import EnvSettingsSource

    cls = environment_class()
    source = EnvSettingsSource(cls, env_prefix="HOSO_", case_sensitive=False, env_ignore_empty=True)
    given = os.environ if env is None else env
    source.env_vars = {k.lower(): v for k, v in given.items() if v != ""}  # names in any case; empty: unset
    try:
        return cls(**source())
    except ValidationError as exc:
        raise ConfigError(_explain(exc, cls.model_fields)) from None


_KIND = {int: "a whole number", float: "a number of seconds, zero or more", bool: "true or false"}


def _explain(exc: Any, fields: Mapping[str, Any]) -> str:
    """'HOSO_JOBS='many' is not a whole number', one clause per variable refused."""
    parts = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        info = fields.get(name)
        kind = _KIND.get(info.annotation, "valid") if info else "valid"
        parts.append(f"HOSO_{name.upper()}={err.get('input')!r} is not {kind}")
    return "; ".join(parts)


def _check_portal_url(url: str) -> None:
    """HOSO_PORTAL_URL is an http(s) address with a host (and a valid port), told at start rather than at the
    first status change sent."""
    from urllib.parse import urlsplit

    bad = f"HOSO_PORTAL_URL={url!r} is not a valid http:// or https:// address"
    if any(c.isspace() for c in url):
        raise ConfigError(f"{bad}: it holds a space or a line break")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError as exc:
        raise ConfigError(f"{bad}: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{bad}: it must start with http:// or https://")
    if not parts.hostname:
        raise ConfigError(f"{bad}: it names no host")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{bad}: it must not carry a user or password (HOSO_PORTAL_SECRET signs the requests)")
    if port == 0:
        raise ConfigError(f"{bad}: port 0")


def _arrange(e: Any) -> Settings:
    """The flat variables arranged into the frozen `Settings`."""
    s3 = None
    if e.s3_endpoint:
        missing = [f"HOSO_{k.upper()}" for k in ("s3_access_key", "s3_secret_key") if not getattr(e, k)]
        if missing:
            raise ConfigError(f"HOSO_S3_ENDPOINT is set but {', '.join(missing)} is not")
        s3 = S3Settings(e.s3_endpoint, e.s3_access_key, e.s3_secret_key, e.s3_bucket, e.s3_secure)
    portal = PortalSettings()
    if e.portal_url:
        _check_portal_url(e.portal_url)
        if not e.portal_secret:
            raise ConfigError("HOSO_PORTAL_URL is set but HOSO_PORTAL_SECRET is not: status changes are sent signed")
        portal = PortalSettings(
            url=e.portal_url,
            secret=e.portal_secret,
            timeout_seconds=max(0.1, e.portal_timeout_seconds),
            max_attempts=max(1, e.portal_max_attempts),
            max_age_hours=e.portal_max_age_hours,
            backoff_seconds=e.portal_backoff_seconds,
        )
    return Settings(
        data_dir=e.data_dir,
        database_url=e.database_url,
        broker_url=e.broker_url,
        s3=s3,
        jobs=e.jobs,
        pipeline=PipelineSettings(
            lang=e.lang,
            tessdata=e.tessdata,
            max_pixels=e.max_pixels,
            max_pages=e.max_pages,
            rescore_marks=e.rescore_marks,
        ),
        web=WebSettings(
            secret_key=e.secret_key,
            max_upload_mb=e.max_upload_mb,
            session_hours=max(1, e.session_hours),
            session_idle_minutes=e.session_idle_minutes,
            token_days=e.token_days,
            login_hashes=max(1, e.login_hashes),
            lock_after=max(1, e.lock_after),
            hsts=e.hsts,
            max_pages_per_hour=e.max_pages_per_hour,
        ),
        watch=WatchSettings(
            stable_seconds=e.watch_stable_seconds,
            network_stable_seconds=e.watch_network_stable_seconds,
            poll_seconds=e.watch_poll_seconds,
            delete=e.watch_delete,
            inotify=e.watch_inotify,
            batch_files=max(1, e.watch_batch_files),
            incomplete_tries=max(0, e.watch_incomplete_tries),
            incomplete_wait_seconds=e.watch_incomplete_wait_seconds,
        ),
        export=ExportSettings(
            signing_p12=e.signing_p12, signing_password=e.signing_password, signing_trust=e.signing_trust
        ),
        portal=portal,
        procedures_file=e.procedures_file,
        audit_days=e.audit_days,
        delete_grace_days=e.delete_grace_days,
    )


def _names_any(env: Mapping[str, str]) -> bool:
    """Whether `env` sets a HOSO_* variable (in any case, and not empty: an empty one is unset)."""
    return any(v != "" and k[:5].upper() == "HOSO_" for k, v in env.items())


def from_env(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from HOSO_* environment variables, then explicit overrides (command-line options)."""
    given = os.environ if env is None else env
    # With no HOSO_* variable set (one machine, no configuration) there is nothing to validate: the defaults,
    # without building the pydantic-settings class (0.1 s at every start of `hoso process`).
    settings = _arrange(read_environment(given)) if _names_any(given) else Settings()
    if settings.procedures_file is not None:
        from schemas.procedures import load_procedures

        load_procedures(settings.procedures_file)  # validated at start: a bad file is a ConfigError naming it
    clean = {k: v for k, v in overrides.items() if v is not None}
    pipe_changes = {k: clean.pop(k) for k in list(clean) if k in ("lang", "max_pixels", "max_pages")}
    if pipe_changes:
        clean["pipeline"] = replace(settings.pipeline, **pipe_changes)  # type: ignore[arg-type]
    return settings.with_overrides(**clean) if clean else settings
