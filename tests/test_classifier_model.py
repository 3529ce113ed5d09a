"""The classifier a running process uses: the one retrained into the data directory (or object storage on the
cluster) as soon as it is written, the shipped one before; `hoso train` never writes into the package."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.classify import MODEL_FILE, TextClassifier, fit, load_cached
from schemas.record import Page, PageSource, Word
from workers.settings import Settings
from workers.stores.records import Records
from workers.usecases import classifier as classifiers
from workers.usecases.dossier import finish_dossier

# A page with no printed title nor any type's phrases: its type is the model's alone.
NOTE = ["Ghi chú trao đổi", "Nội dung: hẹn gặp lại vào thứ hai", "Người ghi: Lan"]


def _page(lines: list[str]) -> Page:
    words = [
        Word(text=t, conf=90.0, box=[50 + 120 * wi, 60 + 40 * li, 150 + 120 * wi, 90 + 40 * li], line=li, block=0)
        for li, line in enumerate(lines)
        for wi, t in enumerate(line.split())
    ]
    return Page(
        number=1, source=PageSource(file="a.pdf", page=1), sha256="0" * 64, width=1000, height=1400,
        dpi=150, rotation=0, skew_deg=0.0, text="\n".join(lines), words=words,
    )  # fmt: skip


def _tiny_model(label_of_the_note: str) -> TextClassifier:
    """A model trained on six texts, calling the note `label_of_the_note`."""
    texts = ["\n".join(NOTE), "ghi chu trao doi noi dung hen gap", "giay khai sinh ho va ten", "khai sinh"]
    texts += ["can cuoc cong dan so", "can cuoc quoc tich"]
    labels = [label_of_the_note] * 2 + ["birth_certificate"] * 2 + ["cccd"] * 2
    return fit(texts, labels, min_df=1)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_dossier_stage_uses_a_model_retrained_while_the_process_runs(settings: Settings) -> None:
    """GIVEN a process that has classified a dossier with the shipped model WHEN a model is retrained into the
    data directory THEN the next dossier stage in the same process uses it, and so does the corrections overlay."""
    settings.data_dir.mkdir(parents=True)
    records = Records(settings.db_url)
    try:
        records.create_dossier("HS-1")
        records.add_file("HS-1", 1, "a.pdf", sha256="0" * 64, kind="pdf", page_count=1)
        records.add_pages("HS-1", 1, 1, 1)
        records.finish_page("HS-1", 1, _page(NOTE))
        assert finish_dossier(records, "HS-1", settings=settings).documents[0].type not in ("diploma", "cccd")

        places = classifiers.publish(settings, _tiny_model("diploma"))
        assert places == [str(settings.data_dir / "models" / "classifier.json")]
        assert finish_dossier(records, "HS-1", settings=settings).documents[0].type == "diploma"

        classifiers.publish(settings, _tiny_model("marriage_certificate"))  # retrained again, a second later
        assert finish_dossier(records, "HS-1", settings=settings).documents[0].type == "marriage_certificate"
    finally:
        records.close()


def test_without_a_retrained_model_the_shipped_one_is_used(settings: Settings) -> None:
    assert classifiers.current(settings) is load_cached(MODEL_FILE)


def test_load_cached_parses_a_file_once_and_again_when_it_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "classifier.json"
    path.write_text(_tiny_model("diploma").to_json(), encoding="utf-8")
    first = load_cached(path)
    assert load_cached(path) is first
    tmp = tmp_path / "new.json"
    tmp.write_text(_tiny_model("land_use_certificate").to_json(), encoding="utf-8")
    tmp.replace(path)
    assert load_cached(path) is not first and "land_use_certificate" in load_cached(path).labels


def test_hoso_train_writes_the_model_to_the_data_directory_and_not_into_the_package(tmp_path: Path) -> None:
    from workers.cli import main

    shipped = _digest(MODEL_FILE)
    assert main(["train", "--docs-per-type", "1", "--data-dir", str(tmp_path / "data")]) == 0
    written = tmp_path / "data" / "models" / "classifier.json"
    assert TextClassifier.load(written).labels and _digest(MODEL_FILE) == shipped


class _FakeStore:
    """An object store in memory that counts the look-ups of an object's version."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.lookups = 0

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self.objects[key] = data

    def get_bytes(self, key: str) -> bytes:
        return self.objects[key]

    def version(self, key: str) -> str | None:
        self.lookups += 1
        data = self.objects.get(key)
        return hashlib.md5(data).hexdigest() if data is not None else None


def test_on_the_cluster_the_object_stores_model_wins_and_is_looked_up_every_few_seconds(
    settings: Settings, monkeypatch: object
) -> None:
    """GIVEN object storage with no model WHEN a model is put there THEN processes use it once its ETag is looked
    up again (at most every CHECK_EVERY_S seconds), not before, and never look it up on every dossier."""
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    clock = [1000.0]
    monkeypatch.setattr(classifiers.time, "monotonic", lambda: clock[0])
    store = _FakeStore()
    assert classifiers.current(settings, store=store) is load_cached(MODEL_FILE)  # nothing stored yet: shipped

    store.put_bytes(classifiers.MODEL_KEY, _tiny_model("diploma").to_json().encode())
    assert classifiers.current(settings, store=store) is load_cached(MODEL_FILE)  # not looked up again yet
    assert store.lookups == 1
    clock[0] += classifiers.CHECK_EVERY_S
    model = classifiers.current(settings, store=store)
    assert "diploma" in model.labels and len(model.labels) == 3
    for _ in range(5):
        assert classifiers.current(settings, store=store) is model
    assert store.lookups == 2
