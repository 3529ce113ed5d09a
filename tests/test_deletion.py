"""Deleting a dossier removes every object it owns (page images, OCR TSV, the searchable PDF, the originals no
other dossier holds) and the names of its files, on the local store and on S3 (moto), and keeps the audit of
the deletion and of its corrections."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemas.errors import DossierBusy, DossierNotFound
from workers.cli import main
from workers.settings import S3Settings, Settings
from workers.stores.objects import LocalStore, ObjectStore, original_key, page_image_key
from workers.stores.records import Records
from workers.usecases.artifacts import ocr_key, pdf_key
from workers.usecases.deletion import delete_dossier

GONE, KEPT = "HS-XOA-1", "HS-GIU-1"
NAME = "CCCD 001099012345 Nguyễn Văn An.pdf"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_dossier(records: Records, store: ObjectStore, code: str, originals: list[tuple[str, bytes]]) -> None:
    """A processed dossier as the pipeline leaves it: originals, two pages with images and TSV, the PDF."""
    records.create_dossier(code, {"citizen_name": "Nguyễn Văn An"})
    for position, (name, data) in enumerate(originals):
        digest = sha(data)
        store.put_bytes(original_key(digest), data)
        records.add_original(digest, len(data), original_key(digest), name)
        records.add_file(code, position, name, sha256=digest, kind="pdf", page_count=2)
    for number in (1, 2):
        store.put_bytes(page_image_key(code, number), b"\xff\xd8jpeg")
        store.put_bytes(ocr_key(code, number), b"level\tword\n")
    store.put_bytes(pdf_key(code), b"%PDF-1.7")
    records.record_correction(code, target="field", who="reviewer", old="Nguyen Van A", new="Nguyễn Văn An",
                              document=0, key="applicant_name")  # fmt: skip


SHARED, OWN = b"%PDF-shared scan", b"%PDF-own scan"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", jobs=1)


@pytest.fixture
def records(settings: Settings) -> Iterator[Records]:
    settings.data_dir.mkdir(parents=True)
    r = Records(settings.db_url)
    yield r
    r.close()


def two_dossiers(records: Records, store: ObjectStore) -> None:
    store_dossier(records, store, GONE, [(NAME, OWN), ("chung.pdf", SHARED)])
    store_dossier(records, store, KEPT, [("chung-ban-khac.pdf", SHARED)])


def names_under(root: Path) -> str:
    return "\n".join(str(p.relative_to(root)) for p in root.rglob("*"))


def test_deleted_dossier_leaves_no_object_but_the_shared_original(settings: Settings, records: Records) -> None:
    store = LocalStore(settings.objects_dir)
    two_dossiers(records, store)

    done = delete_dossier(records, store, GONE, who="admin")

    left = names_under(settings.objects_dir)
    assert GONE not in left and sha(OWN) not in left
    assert sha(SHARED) in left and KEPT in left  # the other dossier keeps its original and its pages
    assert (done.objects, done.originals_removed, done.originals_kept) == (6, 1, 1)  # 2 jpg, 2 tsv, pdf, original
    with pytest.raises(DossierNotFound):
        records.dossier(GONE)
    assert records.dossier(KEPT).code == KEPT


def test_deleted_dossier_file_names_leave_the_records(settings: Settings, records: Records) -> None:
    store = LocalStore(settings.objects_dir)
    store_dossier(records, store, GONE, [(NAME, OWN), ("chung.pdf", SHARED)])  # first to store the shared scan
    store_dossier(records, store, KEPT, [("chung-ban-khac.pdf", SHARED)])

    delete_dossier(records, store, GONE, who="admin")
    records.close()

    db = (settings.data_dir / "hoso.db").read_bytes()
    for wal in settings.data_dir.glob("hoso.db-wal"):
        db += wal.read_bytes()
    assert b"001099012345" not in db and b"chung.pdf" not in db
    assert b"chung-ban-khac.pdf" in db  # the shared original is now named by the dossier that holds it


def test_deletion_is_audited_with_counts_and_its_corrections(settings: Settings, records: Records) -> None:
    store = LocalStore(settings.objects_dir)
    two_dossiers(records, store)

    done = delete_dossier(records, store, GONE, who="admin")

    (row,) = records.deletions(code=GONE)
    assert (row.who, row.files, row.pages, row.corrections) == ("admin", 2, 0, 1)
    assert (row.objects, row.originals_removed, row.originals_kept) == (6, 1, 1)
    assert row.id == done.audit_id and records.deleted_corrections_count(row.id) == 1
    assert records.corrections_of(KEPT)  # the other dossier's corrections stay where they were


def test_deleting_an_unknown_dossier_is_not_found(settings: Settings, records: Records) -> None:
    with pytest.raises(DossierNotFound):
        delete_dossier(records, LocalStore(settings.objects_dir), "HS-NOPE", who="admin")
    assert records.deletions() == []


def test_dossier_whose_pages_are_being_read_is_not_deleted(settings: Settings, records: Records) -> None:
    store = LocalStore(settings.objects_dir)
    two_dossiers(records, store)
    records.add_pages(GONE, 0, 1, 1)
    assert records.claim_page(GONE, 1, 600.0)

    with pytest.raises(DossierBusy):
        delete_dossier(records, store, GONE, who="admin")
    assert GONE in names_under(settings.objects_dir) and records.deletions() == []


def test_hoso_delete_removes_the_dossier(settings: Settings, records: Records, capsys: pytest.CaptureFixture) -> None:
    two_dossiers(records, LocalStore(settings.objects_dir))

    assert main(["delete", GONE, "--data-dir", str(settings.data_dir)]) == 0

    assert GONE not in names_under(settings.objects_dir)
    assert records.deletions(code=GONE)[0].who.startswith("cli:")
    assert "6 objects removed" in capsys.readouterr().err
    assert main(["delete", GONE, "--data-dir", str(settings.data_dir)]) != 0  # gone: not found


@pytest.fixture
def moto_port() -> Iterator[int]:
    pytest.importorskip("minio")
    from tests.cluster.servers import MotoS3, ServerMissing

    try:
        server = MotoS3().start()
    except ServerMissing as exc:
        pytest.skip(str(exc))
    try:
        yield server.port
    finally:
        server.stop()


def test_another_workers_cached_copies_go_once_their_dossier_is_deleted(tmp_path: Path, records: Records,
                                                                        moto_port: int) -> None:  # fmt: skip
    from workers.stores.s3 import S3Store

    s3 = S3Settings(endpoint=f"127.0.0.1:{moto_port}", access_key="testing", secret_key="testing-secret")
    here, there = S3Store(s3, cache_dir=tmp_path / "cache-a"), S3Store(s3, cache_dir=tmp_path / "cache-b")
    two_dossiers(records, here)
    # GIVEN another machine's worker that read the dossier's own original and a page image (cached copies)
    own, shared = original_key(sha(OWN)), original_key(sha(SHARED))
    cached = [there.local_path(own), there.local_path(shared), there.local_path(page_image_key(GONE, 1))]
    assert all(p.is_file() for p in cached)
    # WHEN this machine deletes the dossier
    delete_dossier(records, here, GONE, who="admin")
    # THEN the other machine's cached copy is not read again: the bucket is asked, the copy dropped
    with pytest.raises(FileNotFoundError):
        there.local_path(own)
    assert not cached[0].exists() and there.local_path(shared) == cached[1]  # the shared original stays
    # and a sweep (a later one: past the grace time) drops copies of what is gone without anyone reading them
    there2 = S3Store(s3, cache_dir=tmp_path / "cache-c")
    copy = there2.local_path(shared)
    here.put_bytes(own, OWN)
    gone = there2.local_path(own)
    here.delete(own)
    assert there2.sweep(now=time.time() + 3600) == 1 and not gone.exists() and copy.exists()
    assert there.sweep(now=time.time() + 3600) == 1 and not cached[2].exists()  # the page image: fetched anew


def test_deleted_dossier_leaves_no_object_on_s3(tmp_path: Path, records: Records, moto_port: int) -> None:
    from workers.stores.s3 import S3Store

    s3 = S3Settings(endpoint=f"127.0.0.1:{moto_port}", access_key="testing", secret_key="testing-secret")
    store = S3Store(s3, cache_dir=tmp_path / "cache")
    two_dossiers(records, store)
    store.local_path(original_key(sha(OWN)))  # a cached copy, as the rasteriser leaves it

    delete_dossier(records, store, GONE, who="admin")

    keys = [o.object_name or "" for o in store.client.list_objects(s3.bucket, recursive=True)]
    assert keys and not [k for k in keys if GONE in k or sha(OWN) in k]
    assert original_key(sha(SHARED)) in keys
    assert not [p for p in (tmp_path / "cache").rglob("*") if sha(OWN) in str(p) or GONE in str(p)]


def test_a_cache_sweep_asks_the_bucket_about_a_bounded_number_of_copies_and_stops_when_it_is_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("minio")
    from schemas.errors import StorageUnavailable
    from workers.stores import s3 as s3_store

    s3 = S3Settings(endpoint="127.0.0.1:9", access_key="testing", secret_key="testing-secret")
    store = s3_store.S3Store(s3, cache_dir=tmp_path / "cache")
    # GIVEN a worker's cache holding more cached originals than one sweep asks about
    for i in range(s3_store._SWEEP_HEADS + 50):
        path = store.cache_dir / original_key(hashlib.sha256(str(i).encode()).hexdigest())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"scan")
    asked: list[str] = []

    def gone(key: str) -> bool:
        asked.append(key)
        return False

    # WHEN it is swept (past the grace time) with every object gone from the bucket
    monkeypatch.setattr(store, "exists", gone)
    # THEN the read that triggered it waits for a bounded number of questions; the rest go at a later sweep
    assert store.sweep(now=time.time() + 3600) == s3_store._SWEEP_HEADS == len(asked)
    assert store.sweep(now=time.time() + 3600) == 50

    def away(key: str) -> bool:
        asked.append(key)
        raise StorageUnavailable("no answer")

    # AND with the bucket away, a sweep gives up at the first question (not one timeout per cached copy)
    path = store.cache_dir / original_key(hashlib.sha256(b"kept").hexdigest())
    path.write_bytes(b"scan")
    store.cache_dir.joinpath(original_key(hashlib.sha256(b"kept too").hexdigest())).write_bytes(b"scan")
    asked.clear()
    monkeypatch.setattr(store, "exists", away)
    assert store.sweep(now=time.time() + 3600) == 0 and len(asked) == 1 and path.exists()
