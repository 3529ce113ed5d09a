"""Signing in with a password, throttled: each failure of an account or an address makes the next attempt wait
longer, then locks it until an admin unlocks it (`hoso user unlock`); at most a few argon2 checks (64 MiB
each) run at once, so a flood of sign-ins cannot take the server's memory or cores; every attempt is audited
with its name, address and outcome (never its password).

The web app screens an attempt (`screen`, on the gate's `books` threads), waits for a check slot itself
(`slots`, without holding a thread), then runs `check` on the gate's own threads (`pool`), which run at a
lower CPU priority: a flood of sign-ins takes the cores only when signed-in staff leave them idle, and never
the web server's thread pool."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from workers.stores.records import FailureRow, Records, UserRow
from workers.usecases.users import verify_password

Outcome = Literal["ok", "wrong", "throttled", "locked", "busy"]

ACCOUNT_FREE = 3  # failures of an account before each attempt must wait
ADDRESS_FREE = 10  # an address is shared by a counter's staff: more before it waits
ADDRESS_LOCK_FACTOR = 5  # an address is locked after this many times an account's limit
MAX_DELAY_S = 60.0
FORGET_AFTER_S = 15 * 60.0  # failures, unless locked, are forgotten after this long without another


def delay_after(failures: int, free: int) -> float:
    """The wait before the next attempt after `failures`: none for the first `free`, then 1, 2, 4 … 60 s."""
    if failures < free:
        return 0.0
    return float(min(2.0 ** (failures - free), MAX_DELAY_S))


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    user: UserRow | None = None
    retry_after_s: float = 0.0


def account_key(name: str) -> str:
    return f"user:{name}"


def address_key(address: str) -> str:
    return f"addr:{address}"


class SignInGate:
    def __init__(self, records: Records, *, hashes: int, lock_after: int) -> None:
        self.records = records
        self.slots = threading.BoundedSemaphore(max(1, hashes))
        self.pool = ThreadPoolExecutor(max(1, hashes), thread_name_prefix="sign-in", initializer=_lower_priority)
        # The refusals' bookkeeping (a lookup, an audit row) on two threads of its own: a flood of sign-ins
        # cannot take the web server's thread pool from signed-in users.
        self.books = ThreadPoolExecutor(2, thread_name_prefix="sign-in-books")
        self.lock_after = max(1, lock_after)

    def refusal(self, name: str, address: str) -> Verdict | None:
        """Locked, or too soon after the last failure: refused without a hash; None: go on."""
        now = time.time()
        worst: Verdict | None = None
        for row in self.records.failures([account_key(name), address_key(address)]):
            if row.locked:
                return Verdict("locked")
            wait = self._wait(row, now)
            if wait > 0 and (worst is None or wait > worst.retry_after_s):
                worst = Verdict("throttled", retry_after_s=wait)
        return worst

    def screen(self, name: str, address: str) -> Verdict | None:
        """`refusal`, audited when it refuses."""
        verdict = self.refusal(name, address)
        if verdict is not None:
            self.audit(name, address, verdict.outcome)
        return verdict

    def _wait(self, row: FailureRow, now: float) -> float:
        if now - row.last_at > FORGET_AFTER_S:
            return 0.0
        free = ACCOUNT_FREE if row.key.startswith("user:") else ADDRESS_FREE
        return max(0.0, row.last_at + delay_after(row.failures, free) - now)

    def check(self, name: str, password: str, address: str) -> Verdict:
        """With a slot held: the refusal if any (failures recorded while this one waited), else the password
        checked, counted and audited."""
        verdict = self.refusal(name, address) or self._verify(name, password, address)
        self.audit(name, address, verdict.outcome)
        return verdict

    def _verify(self, name: str, password: str, address: str) -> Verdict:
        user = self.records.user(name)
        ok = verify_password(user.password_hash if user else None, password)
        if ok and user is not None and user.active:
            self.records.clear_failures([account_key(name)])
            return Verdict("ok", user)
        self.records.forget_failures(before=time.time() - FORGET_AFTER_S)  # a small table: kept small
        if user is not None:  # only real accounts get a row: random names cannot fill the table
            self.records.count_failure(account_key(name), lock_at=self.lock_after)
        self.records.count_failure(address_key(address), lock_at=self.lock_after * ADDRESS_LOCK_FACTOR)
        return Verdict("wrong")

    def audit(self, name: str, address: str, outcome: Outcome) -> None:
        self.records.audit_login(user_name=name, address=address, outcome=outcome)


def _lower_priority() -> None:
    """Nice this thread (and the threads argon2 starts from it) by 10. Linux nices threads one by one;
    elsewhere the call would nice the whole process, so it is left alone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def unlock(records: Records, *, name: str | None = None, address: str | None = None) -> int:
    """Lift the lock (and forget the failures) of an account and/or an address; how many there were."""
    keys = ([account_key(name)] if name else []) + ([address_key(address)] if address else [])
    return records.clear_failures(keys) if keys else 0
