"""Reviewers teach it: the label printed beside a value they fill in becomes a label of that field (issue 11).

Pages are made word by word (tests/test_fields_by_cues.py), stored through `Records` and corrected as the web
app stores a reviewer's field correction (workers/web/review.py); `hoso train`'s label part is run as a
function, without the classifier's corpus. The label "Đương sự" (the party concerned) is one the type's
data does not list for an application's applicant."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from pipeline import corrections as C
from pipeline.extract.resolve import extract_fields, printed_label
from schemas.doctypes import load_catalog
from schemas.record import Dossier
from tests.test_fields_by_cues import HEAD, page
from workers.settings import Settings, from_env
from workers.stores.records import Records
from workers.usecases import labels
from workers.usecases.dossier import finish_dossier
from workers.usecases.train import learn_labels

UNKNOWN = "Đương sự"


def _rows(label: str, name: str) -> list[list[tuple[int, str]]]:
    return [
        *HEAD,
        [(500, "ĐƠN ĐỀ NGHỊ CẤP BẢN SAO GIẤY KHAI SINH")],
        [(200, "Kính gửi: Ủy ban nhân dân phường Kim Liên")],
        [(200, f"1. {label}: {name}")],
        [(200, "2. Số CCCD: 001085012345")],
        [(200, "3. Điện thoại: 0912 345 678")],
        [(1300, "Hà Nội, ngày 05 tháng 03 năm 2025")],
    ]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return from_env({}, data_dir=tmp_path)


@pytest.fixture
def records(settings: Settings) -> Iterator[Records]:
    r = Records(settings.db_url)
    yield r
    r.close()


def _dossier(records: Records, settings: Settings, code: str, rows: Sequence[Sequence[tuple[int, str]]]) -> Dossier:
    records.create_dossier(code)
    records.add_file(code, 1, "a.pdf", sha256="0" * 64, kind="pdf", page_count=1)
    records.add_pages(code, 1, 1, 1)
    records.finish_page(code, 1, page(rows))
    return finish_dossier(records, code, settings=settings)


def _fill(records: Records, code: str, key: str, typed: str, *, who: str) -> None:
    """A reviewer's field correction, stored as workers/web/review.py stores it."""
    record = records.dossier(code)
    doc = record.documents[0]
    spec = load_catalog().get(doc.type)
    kind = next(f.kind for f in spec.fields if f.key == key)
    old = doc.fields[key].value if key in doc.fields else None
    records.record_correction(
        code, target=C.FIELD, who=who, old=old, new=C.normalise_value(kind, typed), document=0, key=key,
        pages=doc.pages,
    )  # fmt: skip


def test_a_label_taught_in_two_dossiers_reads_the_field_in_a_third(settings: Settings, records: Records) -> None:
    first = _dossier(records, settings, "HS-1", _rows(UNKNOWN, "LÊ THỊ BÌNH"))
    _dossier(records, settings, "HS-2", _rows(UNKNOWN, "TRẦN VĂN CƯỜNG"))
    third = _dossier(records, settings, "HS-3", _rows(UNKNOWN, "PHẠM MINH ĐỨC"))
    assert first.documents[0].type == "application_form"
    before = third.documents[0].fields.get("applicant_name")
    assert before is None or before.value != "PHẠM MINH ĐỨC"  # missed: the catalogue does not know the label
    _fill(records, "HS-1", "applicant_name", "Lê Thị Bình", who="reviewer-a")
    _fill(records, "HS-2", "applicant_name", "TRẦN VĂN CƯỜNG", who="reviewer-b")

    result = learn_labels(settings)

    assert result.learned == {
        "application_form": {"applicant_name": [{"label": UNKNOWN, "corrections": 2, "dossiers": 2}]}
    }
    path = settings.data_dir / "models" / "labels.json"
    assert result.places == [str(path)] and json.loads(path.read_text(encoding="utf-8")) == result.learned
    assert "application_form.applicant_name: 1: 'Đương sự' (2 dossiers)" in result.report()
    # the same process, no restart: the dossier stage reads with the learned label
    again = finish_dossier(records, "HS-3", settings=settings)
    got = again.documents[0].fields["applicant_name"]
    assert got.value == "PHẠM MINH ĐỨC" and got.confidence >= 0.8
    assert again.documents[0].fields["applicant_id_number"].value == "001085012345"  # the others unchanged


def test_a_label_seen_in_one_dossier_is_not_learned(settings: Settings, records: Records) -> None:
    _dossier(records, settings, "HS-1", _rows(UNKNOWN, "LÊ THỊ BÌNH"))
    _fill(records, "HS-1", "applicant_name", "LÊ THỊ BÌNH", who="reviewer-a")
    _fill(records, "HS-1", "applicant_name", "LÊ THỊ BÌNH", who="reviewer-b")  # twice, the same dossier
    result = learn_labels(settings)
    assert result.sightings == 1  # the latest correction of a field counts
    assert result.learned == {}
    assert labels.current_catalog(settings) == load_catalog()


def test_an_accepted_value_teaches_nothing(settings: Settings, records: Records) -> None:
    for code in ("HS-1", "HS-2"):
        done = _dossier(records, settings, code, _rows("Họ và tên người đề nghị", "LÊ THỊ BÌNH"))
        assert done.documents[0].fields["phone"].value == "0912345678"
        _fill(records, code, "phone", "0912 345 678", who="reviewer")  # the machine's value, confirmed
    assert learn_labels(settings).learned == {}


def test_a_label_of_another_field_is_not_learned() -> None:
    found = [
        labels.Sighting("application_form", "applicant_name", "SỐ ĐIỆN THOẠI", "HS-1"),  # phone's label
        labels.Sighting("application_form", "applicant_name", "Số điện thoại", "HS-2"),
        labels.Sighting("application_form", "applicant_name", "Họ tên", "HS-1"),  # its own label already
        labels.Sighting("application_form", "applicant_name", "Họ tên", "HS-2"),
        labels.Sighting("application_form", "applicant_name", UNKNOWN, "HS-1"),
        labels.Sighting("application_form", "applicant_name", UNKNOWN, "HS-2"),
        labels.Sighting("application_form", "request_date", "Hà Nội", "HS-1"),  # "Hà Nội, ngày …": a place
        labels.Sighting("application_form", "request_date", "Hà Nội", "HS-2"),
        labels.Sighting("application_form", "phone", "Số 5", "HS-1"),  # a value printed before it: digits
        labels.Sighting("application_form", "phone", "Số 5", "HS-2"),
    ]
    assert labels.variants(labels.learn(found)) == {"application_form": {"applicant_name": [UNKNOWN]}}


def test_words_taught_for_two_fields_as_often_are_learned_for_neither() -> None:
    found = [
        labels.Sighting("marriage_certificate", key, "Bên thứ nhất", code)
        for key in ("wife_name", "husband_name")
        for code in ("HS-1", "HS-2")
    ]
    assert labels.learn(found) == {}
    found += [labels.Sighting("marriage_certificate", "wife_name", "Bên thứ nhất", "HS-3")]
    assert labels.variants(labels.learn(found)) == {"marriage_certificate": {"wife_name": ["Bên thứ nhất"]}}


def test_learned_labels_are_merged_into_a_new_catalogue() -> None:
    catalog = load_catalog()
    shipped = list(catalog.get("application_form").fields[0].labels)
    merged = catalog.with_learned(
        {"application_form": {"applicant_name": [UNKNOWN, "Họ tên", " Đương  sự "]}, "no_such_type": {"x": ["y"]}}
    )
    assert merged.get("application_form").fields[0].labels == [*shipped, UNKNOWN]
    assert catalog.get("application_form").fields[0].labels == shipped  # the shipped catalogue is unchanged
    assert merged.get("cccd") == catalog.get("cccd")
    rows = _rows(UNKNOWN, "LÊ THỊ BÌNH")
    assert "applicant_name" not in extract_fields(catalog.get("application_form"), [page(rows)])
    assert extract_fields(merged.get("application_form"), [page(rows)])["applicant_name"].value == "LÊ THỊ BÌNH"


@pytest.mark.parametrize(
    ("rows", "value", "label"),
    [
        ([[(200, "a) Đương sự ....: LÊ THỊ BÌNH")]], "LÊ THỊ BÌNH", UNKNOWN),  # numbering and dots dropped
        ([[(200, "Đương sự"), (900, "LÊ THỊ BÌNH")]], "LÊ THỊ BÌNH", UNKNOWN),  # the cell to its left
        ([[(200, "Họ tên của đương sự")], [(200, "LÊ THỊ BÌNH")]], "LÊ THỊ BÌNH", "Họ tên của đương sự"),  # above
        ([[(200, "Ngày nộp đơn: 05/03/2025")]], "2025-03-05", "Ngày nộp đơn"),  # found in its record form
        ([[(200, "Đương sự: LÊ THỊ BÌNH")]], "NGUYỄN VĂN AN", None),  # not on the page
    ],
)
def test_the_label_beside_a_value_as_printed(rows: list, value: str, label: str | None) -> None:
    spec = load_catalog().get("application_form")
    f = next(f for f in spec.fields if f.kind == ("date" if "-" in value else "name"))
    assert printed_label(spec, f, [page([*HEAD, [(500, "ĐƠN ĐỀ NGHỊ")], *rows])], value) == label


def test_a_rewritten_labels_file_is_picked_up_without_restart(settings: Settings) -> None:
    path = labels.labels_path(settings)
    assert labels.current_catalog(settings) == load_catalog()  # nothing learned yet
    labels.publish(settings, {"application_form": {"applicant_name": [{"label": UNKNOWN}]}})
    assert UNKNOWN in labels.current_catalog(settings).get("application_form").fields[0].labels
    labels.publish(settings, {"application_form": {"applicant_name": [{"label": "Bên đứng đơn"}]}})
    os.utime(path, ns=(1, 2))  # another version even on a coarse clock
    names = labels.current_catalog(settings).get("application_form").fields[0].labels
    assert "Bên đứng đơn" in names and UNKNOWN not in names
    path.write_text("[not a labels file", encoding="utf-8")
    assert labels.current_catalog(settings) == load_catalog()  # a broken file: the shipped labels


class _Store:
    """An object store in memory (the cluster's bucket)."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self.objects[key] = data

    def get_bytes(self, key: str) -> bytes:
        return self.objects[key]

    def version(self, key: str) -> str | None:
        return str(hash(self.objects[key])) if key in self.objects else None


def test_the_buckets_labels_win_over_the_data_directorys(settings: Settings) -> None:
    store = _Store()
    labels.publish(settings, {"application_form": {"applicant_name": [{"label": "Bên đứng đơn"}]}})
    store.put_bytes(
        labels.LABELS_KEY, json.dumps({"application_form": {"applicant_name": [{"label": UNKNOWN}]}}).encode()
    )
    names = labels.current_catalog(settings, store=store).get("application_form").fields[0].labels  # type: ignore[arg-type]
    assert UNKNOWN in names and "Bên đứng đơn" not in names


def test_hoso_train_prints_the_variants_it_learned(
    settings: Settings, records: Records, capsys: pytest.CaptureFixture[str]
) -> None:
    from workers.cli import main

    for code, name in (("HS-1", "LÊ THỊ BÌNH"), ("HS-2", "TRẦN VĂN CƯỜNG")):
        _dossier(records, settings, code, _rows(UNKNOWN, name))
        _fill(records, code, "applicant_name", name, who="reviewer")
    out = settings.data_dir / "trained" / "classifier.json"
    assert main(["train", "--docs-per-type", "1", "--data-dir", str(settings.data_dir), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "learned 1 label variant from 2 reviewers' field corrections" in printed
    assert "application_form.applicant_name: 1: 'Đương sự' (2 dossiers)" in printed
    assert json.loads((out.parent / "labels.json").read_text(encoding="utf-8"))["application_form"]
    assert not labels.labels_path(settings).exists()  # --out: there only
