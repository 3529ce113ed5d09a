"""The optional parts of hoso (pyproject.toml's extras) and the clear error when one is missing.

`hoso process`, `show`, `watch` and `db` need only the runtime dependencies; the rest names its extra:
`hoso serve` without [web] says "install hoso[web]" instead of a traceback about fastapi.
"""

from __future__ import annotations

import importlib.util

from schemas.errors import MissingExtra

# extra -> the modules it brings (import names)
EXTRAS: dict[str, tuple[str, ...]] = {
    "web": ("fastapi", "uvicorn", "multipart", "jinja2", "argon2", "itsdangerous"),
    "cluster": ("dramatiq", "redis", "psycopg", "minio", "prometheus_client"),
    "train": ("sklearn", "qrcode"),
    "bench": ("pytesseract", "pdf2image", "psutil", "vietnam_provinces"),
    "export": ("pyhanko", "pyhanko_certvalidator"),  # pikepdf: a runtime dependency (PDF intake checks)
}
# command -> the extra it needs
COMMANDS: dict[str, str] = {
    "serve": "web",
    "user": "web",
    "worker": "cluster",
    "submit": "cluster",
    "train": "train",
    "export": "export",
    "verify": "export",
}


def missing(extra: str) -> list[str]:
    """The modules of `extra` that cannot be imported here."""
    return [m for m in EXTRAS[extra] if not _importable(m)]


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require(extra: str, what: str) -> None:
    """Raise MissingExtra naming `extra` when any of its modules is not installed."""
    absent = missing(extra)
    if absent:
        names = ", ".join(absent)
        raise MissingExtra(f"{what} needs the [{extra}] extra ({names} not installed): install hoso[{extra}]")


def require_for_command(command: str) -> None:
    extra = COMMANDS.get(command)
    if extra is not None:
        require(extra, f"`hoso {command}`")


def extra_of(module: str) -> str | None:
    """The extra that brings `module` (a dotted name is taken by its top package), if any."""
    top = module.partition(".")[0]
    return next((extra for extra, modules in EXTRAS.items() if top in modules), None)
