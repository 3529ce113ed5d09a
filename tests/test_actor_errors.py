"""The actors' side of the error rules: importing them builds nothing; a bug is logged as a bug."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from dramatiq.brokers.stub import StubBroker

from schemas.errors import HosoError
from tests.conftest import ROOT
from workers.runners.cluster import actors
from workers.runners.cluster.broker import ClusterOptions
from workers.settings import Settings
from workers.stores.records import Records


def test_importing_workers_actors_builds_no_broker() -> None:
    # GIVEN a fresh interpreter WHEN workers.runners.cluster.actors (and the metrics) are imported
    code = (
        "import dramatiq.broker as b, workers.runners.cluster.actors, workers.runners.cluster.metrics; "
        "import workers.runners.cluster.broker as wb; "
        "assert b.global_broker is None, b.global_broker; assert wb._current is None; "
        "import sys; assert 'prometheus_client' not in sys.modules; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    # THEN no broker was made (neither ours nor Dramatiq's hidden global one), no metric either
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_a_bug_in_an_actor_is_logged_with_its_traceback_and_not_shown_as_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # GIVEN the actors declared on a broker of their own, and an intake step with a bug in it
    built = actors.build_actors(StubBroker(), ClusterOptions())
    settings = Settings(data_dir=tmp_path)
    ctx = actors.configure(settings)
    Records(settings.db_url).create_dossier("HS-BUG")

    def buggy(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(actors, "prepare", buggy)
    # WHEN the intake actor runs
    with caplog.at_level(logging.ERROR, logger="hoso.actors"), pytest.raises(ZeroDivisionError) as raised:
        built.intake.fn("HS-BUG")
    # THEN the bug itself is raised (for Dramatiq's retries), not dressed as a HosoError with advice,
    # and the log holds its traceback
    assert not isinstance(raised.value, HosoError)
    (record,) = [r for r in caplog.records if r.name == "hoso.actors"]
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
    assert "advice" not in record.getMessage().lower()
    ctx.records.close()
