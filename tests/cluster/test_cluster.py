"""The cluster end to end on real Redis, PostgreSQL and S3 (moto), with `hoso worker` processes.

One worker of two processes serves the tests of this module, in order: a dossier through every stage,
the same messages delivered twice, object storage stopped in the middle of a run.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker

from tests.cluster.conftest import (
    Worker,
    final_status,
    hoso,
    metric,
    metrics_text,
    page_rows,
    start_worker,
    wait_for,
)
from tests.cluster.servers import Cluster

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def worker(cluster_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    w = start_worker(cluster_env, tmp_path_factory.mktemp("worker") / "worker.log", "--processes", "2")
    try:
        wait_for(lambda: _answers(w), 60, "the worker's metrics endpoint", w)
        yield w
    finally:
        w.stop()


def _answers(w: Worker) -> bool:
    try:
        metrics_text(w)
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def raw_broker(cluster_env: dict[str, str]) -> Iterator[RedisBroker]:
    # A plain client of the same Redis, to deliver hand-made messages (not hoso's broker: that one is
    # built once per process and the tests' process is not a worker).
    broker = RedisBroker(url=cluster_env["HOSO_BROKER_URL"])
    yield broker
    broker.close()


def _deliver(broker: RedisBroker, actor: str, *args: Any, times: int = 2) -> None:
    queue = "ocr" if actor == "page" else "dossiers"
    message: Message[Any] = Message(queue_name=queue, actor_name=actor, args=args, kwargs={}, options={})
    for _ in range(times):
        broker.enqueue(message)  # the same message (same id) delivered again, as a redelivery would


def _submit(env: dict[str, str], files: list[Path], *extra: str) -> str:
    proc = hoso(env, "submit", *map(str, files), *extra)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_a_dossier_goes_through_intake_pages_and_dossier(
    worker: Worker, cluster_env: dict[str, str], small_dossier: list[Path], store: Any, tmp_path: Path
) -> None:
    # GIVEN three pages in two files, and a file that is not a document
    bad = tmp_path / "03-scan.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")  # cut short
    out = tmp_path / "record.json"

    # WHEN submitted to the cluster, waiting for the record
    proc = hoso(cluster_env, "submit", *map(str, small_dossier), str(bad), "--wait", "--json", str(out),
                "--no-progress", "--timeout", "180")  # fmt: skip

    # THEN the record has every page once, in order, read; the bad file is named and the exit code says so
    assert proc.returncode == 2, proc.stderr + worker.tail()
    assert "03-scan.pdf" in proc.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    code = record["code"]
    assert record["status"] in ("processed", "needs_review")
    assert [(p["number"], p["source"]["file"], p["source"]["page"]) for p in record["pages"]] == [
        (1, "01-giay-to.pdf", 1),
        (2, "01-giay-to.pdf", 2),
        (3, "02-phototest.tif", 1),
    ]
    assert "quick brown dog" in record["pages"][2]["text"]
    assert [p["error"] for p in record["problems"]] == ["TruncatedFile"]
    assert record["documents"] and all(d["pages"] for d in record["documents"])

    # AND the artifacts are in object storage: originals, page images, OCR data, the searchable PDF
    for path in [*small_dossier, bad]:
        assert store.get_bytes(f"originals/{hashlib.sha256(path.read_bytes()).hexdigest()}") == path.read_bytes()
    for n in (1, 2, 3):
        assert store.get_bytes(f"dossiers/{code}/pages/{n:04d}.jpg").startswith(b"\xff\xd8")
        tsv = store.get_bytes(f"dossiers/{code}/ocr/{n:04d}.tsv").decode("utf-8").splitlines()
        assert tsv[0].startswith("level\tpage_num") and len(tsv) > 5
    pdf = store.get_bytes(f"dossiers/{code}/searchable.pdf")
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        assert len(doc) == 3
        assert "quick brown dog" in doc[2].get_textpage().get_text_range()
    finally:
        doc.close()

    # AND the metrics count the pages and time the stages
    text = metrics_text(worker)
    assert metric(text, "hoso_pages_done_total") >= 3
    assert metric(text, "hoso_stage_seconds_count", stage="ocr") >= 3
    assert metric(text, "hoso_stage_seconds_count", stage="dossier") >= 1

    # AND the logs name dossier, page and stage, and neither file names nor what was read
    log = worker.log.read_text(encoding="utf-8")
    assert f'"dossier": "{code}"' in log and '"stage": "page"' in log
    assert "giay-to" not in log and "quick brown" not in log


def _snapshot(records: Any, code: str) -> dict[str, Any]:
    rows = page_rows(records, code)
    dossier = records.dossier(code)
    return {
        "pages": [(r["number"], r["state"], r["attempts"], json.dumps(r["result"], sort_keys=True)) for r in rows],
        "documents": [d.model_dump(mode="json") for d in dossier.documents],
        "status": dossier.status.value,
        "files": [(f.position, f.sha256, f.kind, f.pages) for f in records.files(code)],
    }


def test_the_same_messages_delivered_twice_change_nothing(
    worker: Worker, cluster_env: dict[str, str], small_dossier: list[Path], records: Any, raw_broker: RedisBroker
) -> None:
    # GIVEN a dossier submitted, whose intake message is delivered twice more at once
    code = _submit(cluster_env, small_dossier)
    _deliver(raw_broker, "intake", code)
    # AND whose page messages are all delivered twice more as soon as the pages exist
    wait_for(lambda: len(page_rows(records, code)) == 3, 60, "page rows", worker)
    for n in (1, 2, 3):
        _deliver(raw_broker, "page", code, n)
    wait_for(lambda: final_status(records, code), 120, "the dossier finished", worker)
    _drain(raw_broker)
    first = _snapshot(records, code)

    # THEN every page was taken once (one claim each), one row per page, no page in two documents
    assert [(n, state, attempts) for n, state, attempts, _ in first["pages"]] == [
        (1, "done", 1), (2, "done", 1), (3, "done", 1)
    ]  # fmt: skip
    in_documents = [p for d in first["documents"] for p in d["pages"]]
    assert len(in_documents) == len(set(in_documents))
    assert all(len(d["fields"]) == len(set(d["fields"])) for d in first["documents"])

    # WHEN every message of the dossier is delivered twice again after it finished
    _deliver(raw_broker, "intake", code)
    for n in (1, 2, 3):
        _deliver(raw_broker, "page", code, n)
    _deliver(raw_broker, "dossier", code)
    _drain(raw_broker)

    # THEN nothing changed: the same pages, attempts, results, documents, fields and status
    assert _snapshot(records, code) == first


def _drain(broker: RedisBroker) -> None:
    for _ in range(3):  # a message handled may send others (page -> dossier)
        broker.join("dossiers", timeout=60_000)
        broker.join("ocr", timeout=60_000)
        time.sleep(0.5)


def test_storage_stopped_during_a_run_is_waited_out_and_nothing_is_lost(
    worker: Worker, cluster: Cluster, cluster_env: dict[str, str], records: Any, store: Any, tmp_path: Path
) -> None:
    # GIVEN a dossier of new pages (not in any cache) submitted
    import synth

    pdf = tmp_path / "outage.pdf"
    synth.write_pdf([synth.make_page("marriage_certificate", seed=31, dpi=150),
                     synth.make_page("diploma", seed=32, dpi=150)], pdf)  # fmt: skip
    code = _submit(cluster_env, [pdf])
    before = metric(metrics_text(worker), "hoso_stage_retries_total", error="StorageUnavailable")

    # WHEN object storage stops before the work is done, for a few seconds
    cluster.s3.stop()
    try:
        wait_for(
            lambda: metric(metrics_text(worker), "hoso_stage_retries_total", error="StorageUnavailable") > before,
            60, "a retry after StorageUnavailable", worker,
        )  # fmt: skip
        assert final_status(records, code) is None
        time.sleep(2)
    finally:
        cluster.s3.start()

    # THEN once it is back, the dossier completes with every page, and everything is stored
    wait_for(lambda: final_status(records, code), 120, "the dossier finished after the outage", worker)
    wait_for(lambda: store.exists(f"dossiers/{code}/searchable.pdf"), 60, "the searchable PDF", worker)
    rows = page_rows(records, code)
    assert [(r["number"], r["state"]) for r in rows] == [(1, "done"), (2, "done")]
    assert [p.number for p in records.dossier(code).pages] == [1, 2]
    for n in (1, 2):
        assert store.exists(f"dossiers/{code}/pages/{n:04d}.jpg")
        assert store.exists(f"dossiers/{code}/ocr/{n:04d}.tsv")


def test_a_dossier_submitted_with_its_procedure_is_checked_against_its_papers(
    worker: Worker, cluster_env: dict[str, str], small_dossier: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "record.json"
    proc = hoso(cluster_env, "submit", str(small_dossier[0]), "--procedure", "birth_registration", "--centre", "xa-b",
                "--wait", "--json", str(out), "--no-progress", "--timeout", "180")  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr + worker.tail()
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["procedure"] == "birth_registration"
    names = [c["name"] for c in record["completeness"]["components"] if c["missing"]]
    assert "Giấy chứng sinh" in names  # the small dossier holds no birth notice
    unknown = hoso(cluster_env, "submit", str(small_dossier[0]), "--procedure", "no_such_thing")
    assert unknown.returncode == 2 and "birth_registration" in unknown.stderr
