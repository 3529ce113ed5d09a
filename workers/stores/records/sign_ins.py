"""Sign-in state: server-side sessions (only the SHA-256 of each cookie's id is kept), failed sign-ins counted
per account and per address, the audit of every sign-in attempt (never a password), and the audit of who read
which dossier (kept when the dossier is deleted)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from workers.stores.records.base import RecordsBase
from workers.stores.records.tables import login_audit, login_failures, read_audit, users, web_sessions


@dataclass(frozen=True)
class FailureRow:
    key: str
    failures: int
    last_at: float
    locked: bool


@dataclass(frozen=True)
class LoginAuditRow:
    at: float
    user_name: str
    address: str
    outcome: str


@dataclass(frozen=True)
class ReadRow:
    at: float
    who: str
    dossier_code: str
    what: str
    page: int | None


class SignIns(RecordsBase):
    # --- sessions -------------------------------------------------------------------------------------------------

    def add_session(self, id_sha256: str, user_name: str, *, forget_before: float | None = None) -> None:
        """A new session; sessions made before `forget_before` (past their lifetime) are deleted meanwhile."""
        now = time.time()
        with self._tx() as conn:
            if forget_before is not None:
                conn.execute(web_sessions.delete().where(web_sessions.c.created_at < forget_before))
            conn.execute(
                web_sessions.insert().values(id_sha256=id_sha256, user_name=user_name, created_at=now, seen_at=now)
            )

    def session_user(
        self, id_sha256: str, *, idle_s: float, lifetime_s: float, touch_after_s: float = 60.0
    ) -> str | None:
        """The active user of a live session (not ended, used within `idle_s`, younger than `lifetime_s`);
        marks it used (at most once a `touch_after_s`, to spare the database a write per request)."""
        now = time.time()
        with self._tx() as conn:
            row = conn.execute(
                sa.select(web_sessions.c.user_name, web_sessions.c.seen_at)
                .join(users, users.c.name == web_sessions.c.user_name)
                .where(
                    web_sessions.c.id_sha256 == id_sha256,
                    web_sessions.c.ended_at.is_(None),
                    web_sessions.c.created_at > now - lifetime_s,
                    web_sessions.c.seen_at > now - idle_s,
                    users.c.active.is_(True),
                )
            ).first()
            if row is None:
                return None
            if now - row.seen_at > touch_after_s:
                conn.execute(web_sessions.update().where(web_sessions.c.id_sha256 == id_sha256).values(seen_at=now))
        return str(row.user_name)

    def end_session(self, id_sha256: str) -> None:
        with self._tx() as conn:
            conn.execute(
                web_sessions.update()
                .where(web_sessions.c.id_sha256 == id_sha256, web_sessions.c.ended_at.is_(None))
                .values(ended_at=time.time())
            )

    def end_sessions_of(self, user_name: str) -> int:
        """End every open session of a user; how many were open."""
        with self._tx() as conn:
            result = conn.execute(
                web_sessions.update()
                .where(web_sessions.c.user_name == user_name, web_sessions.c.ended_at.is_(None))
                .values(ended_at=time.time())
            )
        return int(result.rowcount or 0)

    # --- failed sign-ins ------------------------------------------------------------------------------------------

    def failures(self, keys: list[str]) -> list[FailureRow]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(login_failures).where(login_failures.c.key.in_(keys))).mappings().all()
        return [FailureRow(r["key"], int(r["failures"]), float(r["last_at"]), bool(r["locked"])) for r in rows]

    def count_failure(self, key: str, *, lock_at: int | None) -> int:
        """One more failure for `key`, locked when it reaches `lock_at`; the count now."""
        now = time.time()
        with self._tx() as conn:
            got = conn.execute(sa.select(login_failures.c.failures).where(login_failures.c.key == key)).scalar()
            count = int(got or 0) + 1
            locked = lock_at is not None and count >= lock_at
            if got is None:
                conn.execute(login_failures.insert().values(key=key, failures=count, last_at=now, locked=locked))
            else:
                conn.execute(
                    login_failures.update()
                    .where(login_failures.c.key == key)
                    .values(failures=count, last_at=now, locked=locked)
                )
        return count

    def forget_failures(self, *, before: float) -> int:
        """Delete the failures, not locked, last seen before `before`; how many."""
        with self._tx() as conn:
            result = conn.execute(
                login_failures.delete().where(login_failures.c.locked.is_(False), login_failures.c.last_at < before)
            )
        return int(result.rowcount or 0)

    def clear_failures(self, keys: list[str]) -> int:
        """Forget the failures (and lifts the lock) of `keys`; how many keys had any."""
        with self._tx() as conn:
            result = conn.execute(login_failures.delete().where(login_failures.c.key.in_(keys)))
        return int(result.rowcount or 0)

    # --- the audit -----------------------------------------------------------------------------------------------

    def audit_login(self, *, user_name: str, address: str, outcome: str) -> None:
        with self._tx() as conn:
            conn.execute(
                login_audit.insert().values(
                    at=time.time(), user_name=user_name[:100], address=address[:64], outcome=outcome
                )
            )

    def login_audit(self, *, user_name: str | None = None, limit: int = 100) -> list[LoginAuditRow]:
        """The newest attempts first."""
        query = sa.select(login_audit).order_by(login_audit.c.id.desc()).limit(limit)
        if user_name is not None:
            query = query.where(login_audit.c.user_name == user_name)
        with self._tx() as conn:
            rows = conn.execute(query).mappings().all()
        return [LoginAuditRow(float(r["at"]), r["user_name"], r["address"], r["outcome"]) for r in rows]

    # --- who read what --------------------------------------------------------------------------------------------

    def audit_read(self, *, who: str, code: str, what: str, page: int | None = None) -> None:
        with self._tx() as conn:
            conn.execute(
                read_audit.insert().values(at=time.time(), who=who, dossier_code=code[:64], what=what, page=page)
            )

    def reads(self, *, who: str | None = None, code: str | None = None, limit: int = 100) -> list[ReadRow]:
        """The newest reads first."""
        query = sa.select(read_audit).order_by(read_audit.c.id.desc()).limit(limit)
        if who is not None:
            query = query.where(read_audit.c.who == who)
        if code is not None:
            query = query.where(read_audit.c.dossier_code == code)
        with self._tx() as conn:
            rows = conn.execute(query).mappings().all()
        return [ReadRow(float(r["at"]), r["who"], r["dossier_code"], r["what"], r["page"]) for r in rows]
