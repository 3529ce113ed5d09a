"""The web app's staff and their API tokens (only each token's SHA-256 is stored)."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from workers.stores.records.base import RecordsBase
from workers.stores.records.rows import UserRow, _user_row
from workers.stores.records.tables import api_tokens, users


class Accounts(RecordsBase):
    def add_user(self, name: str, *, role: str, password_hash: str | None, lang: str = "vi") -> bool:
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
    ) -> None:
        changes: dict[str, Any] = {
            k: v
            for k, v in {"role": role, "password_hash": password_hash, "lang": lang, "active": active}.items()
            if v is not None
        }
        if changes:
            with self._tx() as conn:
                conn.execute(users.update().where(users.c.name == name).values(**changes))

    def add_token(self, user_name: str, token_sha256: str) -> None:
        with self._tx() as conn:
            conn.execute(
                api_tokens.insert().values(token_sha256=token_sha256, user_name=user_name, created_at=time.time())
            )

    def user_by_token(self, token_sha256: str) -> UserRow | None:
        """The active user holding the token, or None."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    sa.select(users)
                    .join(api_tokens, api_tokens.c.user_name == users.c.name)
                    .where(api_tokens.c.token_sha256 == token_sha256, users.c.active.is_(True))
                )
                .mappings()
                .first()
            )
        return _user_row(row) if row else None
