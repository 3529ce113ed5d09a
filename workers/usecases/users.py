"""Staff accounts: roles and what each may do, passwords (argon2), API tokens.

A user has a role: `counter` (receives dossiers), `reviewer` (also corrects them), `admin` (also deletes
dossiers and manages users). A user may be limited to the dossiers of some service centres (`centres`;
none: every centre). Passwords are stored as argon2id hashes; API tokens are random strings of which
only the SHA-256 is stored, so a leaked database gives neither. A password has 12 characters or more and is
none of the common ones (`common_passwords.txt`, shipped with the package); a token expires (90 days by
default). Changing a password or disabling a user ends their sessions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from schemas.codes import checked_centres
from schemas.errors import RequestError
from workers.stores.records import Records, TokenRow, UserRow
from workers.stores.records.accounts import TOKEN_ID_CHARS

Role = Literal["counter", "reviewer", "admin"]
Permission = Literal["view", "upload", "review", "delete", "users", "outbox"]
Lang = Literal["vi", "en"]

ROLES: tuple[Role, ...] = ("counter", "reviewer", "admin")
LANGS: tuple[Lang, ...] = ("vi", "en")

PERMISSIONS: dict[str, frozenset[str]] = {
    "counter": frozenset({"view", "upload"}),
    "reviewer": frozenset({"view", "upload", "review"}),
    "admin": frozenset({"view", "upload", "review", "delete", "users", "outbox"}),
}

TOKEN_PREFIX = "hoso_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
_MIN_PASSWORD = 12
_COMMON = Path(__file__).with_name("common_passwords.txt")
DEFAULT_TOKEN_DAYS = 90
_hasher = PasswordHasher()
# Verified against when the user does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def may(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())


@cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password(password: str, *, user_name: str | None = None) -> None:
    """Refuse a password that is short, common, the user's name, or one character repeated."""
    if len(password) < _MIN_PASSWORD:
        raise RequestError(f"a password needs at least {_MIN_PASSWORD} characters")
    folded = password.strip().lower()
    if folded in common_passwords() or len(set(folded)) <= 2:
        raise RequestError("that password is one of the most common ones: choose another")
    if user_name and user_name.lower() in folded:
        raise RequestError("a password must not contain the user name")


def hash_password(password: str, *, user_name: str | None = None) -> str:
    check_password(password, user_name=user_name)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_user(
    records: Records,
    name: str,
    *,
    role: str,
    password: str | None,
    lang: str = "vi",
    token_days: int = DEFAULT_TOKEN_DAYS,
    centres: Sequence[str] = (),
) -> str:
    """Create a user (a password for the pages, optional) and return a new API token for them."""
    if not _NAME.match(name):
        raise RequestError(f"user name {name!r}: letters, digits and . _ @ - only, up to 100")
    if role not in ROLES:
        raise RequestError(f"role {role!r}: one of {', '.join(ROLES)}")
    if lang not in LANGS:
        raise RequestError(f"language {lang!r}: one of {', '.join(LANGS)}")
    checked = checked_centres(centres)
    hashed = hash_password(password, user_name=name) if password else None
    if not records.add_user(name, role=role, password_hash=hashed, lang=lang, centres=checked):
        raise RequestError(f"user {name!r} exists already")
    return issue_token(records, name, days=token_days)


def set_centres(records: Records, name: str, centres: Sequence[str]) -> tuple[str, ...]:
    """Limit the user to the dossiers of `centres` (none: every centre); the centres set."""
    _existing(records, name)
    checked = checked_centres(centres)
    records.update_user(name, centres=checked)
    return checked


def sees(user_centres: Sequence[str], dossier_centre: str | None) -> bool:
    """Whether a user serving `user_centres` (none: every centre) may see a dossier of `dossier_centre`."""
    return not user_centres or dossier_centre in user_centres


def _existing(records: Records, name: str) -> UserRow:
    user = records.user(name)
    if user is None:
        raise RequestError(f"no user {name!r}")
    return user


def issue_token(records: Records, name: str, *, days: int = DEFAULT_TOKEN_DAYS) -> str:
    """A new API token for the user, valid `days` (0: never expires)."""
    _existing(records, name)
    if days < 0:
        raise RequestError("a token's life is 0 (never expires) or more days")
    token = new_token()
    records.add_token(name, token_digest(token), expires_at=time.time() + days * 86400 if days else None)
    return token


def tokens_of(records: Records, name: str) -> list[TokenRow]:
    _existing(records, name)
    return records.tokens_of(name)


def revoke_tokens(records: Records, name: str, ids: list[str] | None) -> int:
    """Revoke the user's tokens by id (as `hoso user tokens` lists them), or all of them with None."""
    _existing(records, name)
    if ids is not None:
        bad = [i for i in ids if not re.fullmatch(f"[0-9a-fA-F]{{{TOKEN_ID_CHARS}}}", i)]
        if bad:
            raise RequestError(f"token id {bad[0]!r}: {TOKEN_ID_CHARS} hex digits, as `hoso user tokens` lists them")
    return records.revoke_tokens(name, ids)


def set_password(records: Records, name: str, password: str) -> int:
    """Set the password and end every session of the user; how many sessions were ended."""
    _existing(records, name)
    records.update_user(name, password_hash=hash_password(password, user_name=name))
    return records.end_sessions_of(name)


def set_active(records: Records, name: str, active: bool) -> int:
    """Enable or disable a user; disabling ends their sessions (their tokens stop working while disabled)."""
    _existing(records, name)
    records.update_user(name, active=active)
    return 0 if active else records.end_sessions_of(name)


def user_for_token(records: Records, token: str) -> UserRow | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    return records.user_by_token(token_digest(token))
