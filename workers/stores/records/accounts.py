"""The web app's staff and their API tokens (only each token's SHA-256 is stored)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from workers.stores.records.base import RecordsBase
from workers.stores.records.rows import TokenRow, UserRow, _user_row
from workers.stores.records.tables import api_tokens, users

TOKEN_ID_CHARS = 12  # a token's id in lists: the start of its SHA-256


class Accounts(RecordsBase):
    def add_user(
        self, name: str, *, role: str, password_hash: str | None, lang: str = "vi", centres: Sequence[str] = ()
    ) -> bool:
        """Create a user; False when the name is taken."""
        try:
            with self._tx() as conn:
                conn.execute(
                    users.insert().values(
                        name=name,
                        role=role,
                        password_hash=password_hash,
                        lang=lang,
                        active=True,
                        created_at=time.time(),
                        centres=" ".join(centres),
                    )
                )
        except IntegrityError:
            return False
        return True

    def user(self, name: str) -> UserRow | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        return _user_row(row) if row else None

    def users_list(self) -> list[UserRow]:
        with self._tx() as conn:
            return [_user_row(r) for r in conn.execute(sa.select(users).order_by(users.c.name)).mappings()]

    def update_user(
        self,
        name: str,
        *,
        role: str | None = None,
        password_hash: str | None = None,
        lang: str | None = None,
        active: bool | None = None,
        centres: Sequence[str] | None = None,
    ) -> None:
        given = {"role": role, "password_hash": password_hash, "lang": lang, "active": active}
        given["centres"] = None if centres is None else " ".join(centres)
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        if changes:
            with self._tx() as conn:
                conn.execute(users.update().where(users.c.name == name).values(**changes))

    def add_token(self, user_name: str, token_sha256: str, *, expires_at: float | None = None) -> None:
        with self._tx() as conn:
            conn.execute(
                api_tokens.insert().values(
                    token_sha256=token_sha256, user_name=user_name, created_at=time.time(), expires_at=expires_at
                )
            )

    def user_by_token(self, token_sha256: str) -> UserRow | None:
        """The active user holding the token, or None (also when the token has expired)."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    sa.select(users)
                    .join(api_tokens, api_tokens.c.user_name == users.c.name)
                    .where(
                        api_tokens.c.token_sha256 == token_sha256,
                        users.c.active.is_(True),
                        sa.or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > time.time()),
                    )
                )
                .mappings()
                .first()
            )
        return _user_row(row) if row else None

    def tokens_of(self, user_name: str) -> list[TokenRow]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(api_tokens).where(api_tokens.c.user_name == user_name).order_by(api_tokens.c.created_at)
            ).mappings()
            return [
                TokenRow(
                    id=r["token_sha256"][:TOKEN_ID_CHARS],
                    user_name=r["user_name"],
                    created_at=float(r["created_at"]),
                    expires_at=None if r["expires_at"] is None else float(r["expires_at"]),
                )
                for r in rows
            ]

    def revoke_tokens(self, user_name: str, ids: list[str] | None) -> int:
        """Delete the user's tokens whose id (start of the SHA-256) is in `ids`, all with None; how many."""
        query = api_tokens.delete().where(api_tokens.c.user_name == user_name)
        if ids is not None:
            if not ids:
                return 0
            query = query.where(
                sa.func.substr(api_tokens.c.token_sha256, 1, TOKEN_ID_CHARS).in_([i.lower() for i in ids])
            )
        with self._tx() as conn:
            return int(conn.execute(query).rowcount or 0)
