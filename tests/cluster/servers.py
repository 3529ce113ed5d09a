"""Real servers on 127.0.0.1 for the cluster tests and bench/cluster.py: Redis, PostgreSQL, S3 (moto).

- Redis and PostgreSQL are Debian's (`redis-server`, `postgresql`; scripts/setup.sh --test installs them),
  started here in temporary folders on free ports, with durability off (fsync, snapshots) for speed.
  PostgreSQL refuses to run as root: as root, its folder is given to the `postgres` user and the server
  runs as that user.
- S3 is moto's server mode (PyPI `moto[server]`), run in this process on a thread, because the MinIO
  server binary is not in the package registries. The `minio` client talks to it over HTTP as to MinIO.
  Its objects live in this process's memory, so stopping and starting it again on the same port (the
  storage-outage test) keeps them. What moto does NOT do and hoso must not depend on: bucket
  notifications (MinIO's listen_bucket_notification / webhook and queue targets) are accepted as
  configuration but never delivered; nor does it do versioning-on-overwrite semantics of MinIO, erasure
  coding or server-side encryption. The watch folder and everything else here work without them.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ServerMissing(RuntimeError):
    """A server program is not installed: the caller skips, saying which."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(check: Any, what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as exc:
            last = exc
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout_s:g} s: {last!r}")


@dataclass
class Process:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    folder: Path
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_redis() -> Process:
    exe = shutil.which("redis-server")
    if exe is None:
        raise ServerMissing("redis-server is not installed (apt-get install redis-server; scripts/setup.sh --test)")
    import redis

    folder = Path(tempfile.mkdtemp(prefix="hoso-redis-"))
    port = free_port()
    log = folder / "redis.log"
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--logfile", str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = Process("redis", proc, port, folder, log)
    try:
        _wait(lambda: redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping(), "redis-server")
    except BaseException:
        server.stop()
        raise
    return server


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise ServerMissing("PostgreSQL is not installed (apt-get install postgresql; scripts/setup.sh --test)")
    return Path(found[-1]).parent


def start_postgres() -> Process:
    """A throw-away PostgreSQL cluster: user `hoso`, trust authentication, database `postgres`."""
    bindir = _postgres_bin()
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix="hoso-pg-"))
    data = folder / "data"
    run_as: dict[str, Any] = {}
    if os.geteuid() == 0:  # postgres will not run as root
        pw = pwd.getpwnam("postgres")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
        run_as = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
    port = free_port()
    log = folder / "postgres.log"
    subprocess.run(
        [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "hoso", "-E", "UTF8", "--no-sync",
         "--no-instructions"],
        check=True, capture_output=True, cwd=folder, **run_as,
    )  # fmt: skip
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(
            [str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(folder),
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=200"],
            stdout=log_file, stderr=subprocess.STDOUT, cwd=folder, **run_as,
        )  # fmt: skip
    server = Process("postgres", proc, port, folder, log)
    try:
        _wait(
            lambda: psycopg.connect(f"host=127.0.0.1 port={port} user=hoso dbname=postgres", connect_timeout=2).close()
            is None,
            "postgres",
        )
    except BaseException:
        server.stop()
        raise
    return server


@dataclass
class MotoS3:
    """moto's S3 server on a thread of this process; `stop()` and `start()` again keep the objects."""

    port: int = field(default_factory=free_port)
    _server: Any = None

    def start(self) -> MotoS3:
        try:
            from moto.server import ThreadedMotoServer
        except ImportError as exc:
            raise ServerMissing("moto's server mode is not installed (pip install 'moto[server]')") from exc
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        _wait(lambda: socket.create_connection(("127.0.0.1", self.port), timeout=1).close() is None, "moto S3")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def running(self) -> bool:
        return self._server is not None


@dataclass
class Cluster:
    redis: Process
    postgres: Process
    s3: MotoS3

    def env(self, data_dir: Path, bucket: str = "hoso-test") -> dict[str, str]:
        return {
            "HOSO_BROKER_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            "HOSO_DATABASE_URL": f"postgresql://hoso@127.0.0.1:{self.postgres.port}/postgres",
            "HOSO_S3_ENDPOINT": f"127.0.0.1:{self.s3.port}",
            "HOSO_S3_ACCESS_KEY": "testing",
            "HOSO_S3_SECRET_KEY": "testing-secret",
            "HOSO_S3_BUCKET": bucket,
            "HOSO_S3_SECURE": "false",
            "HOSO_DATA_DIR": str(data_dir),
            "OMP_THREAD_LIMIT": "1",
        }

    def stop(self) -> None:
        for stop in (self.s3.stop, self.redis.stop, self.postgres.stop):
            with contextlib.suppress(Exception):
                stop()


def start_cluster() -> Cluster:
    redis_server = start_redis()
    try:
        pg = start_postgres()
    except BaseException:
        redis_server.stop()
        raise
    try:
        s3 = MotoS3().start()
    except BaseException:
        redis_server.stop()
        pg.stop()
        raise
    return Cluster(redis=redis_server, postgres=pg, s3=s3)


def kill_group(proc: subprocess.Popen[Any], sig: int = signal.SIGKILL) -> None:
    """Signal a process started with start_new_session=True and everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
