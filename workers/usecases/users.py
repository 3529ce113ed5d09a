"""Staff accounts: roles and what each may do, passwords (argon2), API tokens.

A user has a role: `counter` (receives dossiers), `reviewer` (also corrects them), `admin` (also deletes
dossiers and manages users). Passwords are stored as argon2id hashes; API tokens are random strings of which
only the SHA-256 is stored, so a leaked database gives neither.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from schemas.errors import RequestError
from workers.stores.records import Records, UserRow

Role = Literal["counter", "reviewer", "admin"]
Permission = Literal["view", "upload", "review", "delete", "users"]
Lang = Literal["vi", "en"]

ROLES: tuple[Role, ...] = ("counter", "reviewer", "admin")
LANGS: tuple[Lang, ...] = ("vi", "en")

PERMISSIONS: dict[str, frozenset[str]] = {
    "counter": frozenset({"view", "upload"}),
    "reviewer": frozenset({"view", "upload", "review"}),
    "admin": frozenset({"view", "upload", "review", "delete", "users"}),
}

TOKEN_PREFIX = "hoso_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
_MIN_PASSWORD = 8
_hasher = PasswordHasher()
# Verified against when the user does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def may(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())


def hash_password(password: str) -> str:
    if len(password) < _MIN_PASSWORD:
        raise RequestError(f"a password needs at least {_MIN_PASSWORD} characters")
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


def create_user(records: Records, name: str, *, role: str, password: str | None, lang: str = "vi") -> str:
    """Create a user (a password for the pages, optional) and return a new API token for them."""
    if not _NAME.match(name):
        raise RequestError(f"user name {name!r}: letters, digits and . _ @ - only, up to 100")
    if role not in ROLES:
        raise RequestError(f"role {role!r}: one of {', '.join(ROLES)}")
    if lang not in LANGS:
        raise RequestError(f"language {lang!r}: one of {', '.join(LANGS)}")
    hashed = hash_password(password) if password else None
    if not records.add_user(name, role=role, password_hash=hashed, lang=lang):
        raise RequestError(f"user {name!r} exists already")
    return issue_token(records, name)


def issue_token(records: Records, name: str) -> str:
    if records.user(name) is None:
        raise RequestError(f"no user {name!r}")
    token = new_token()
    records.add_token(name, token_digest(token))
    return token


def authenticate(records: Records, name: str, password: str) -> UserRow | None:
    """The active user with that name and password, or None."""
    user = records.user(name)
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None and user.active else None


def user_for_token(records: Records, token: str) -> UserRow | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    return records.user_by_token(token_digest(token))
