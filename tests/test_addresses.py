"""Addresses read as units of the map they were printed on, converted to today's units, slips set right only
inside the province, a valid unit never respelt, a ward outside its province marked; and search by old and
new ward names. Units and codes are those of the shipped dataset (vietnamadminunits)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pipeline.extract.address import read_address, with_units
from pipeline.extract.places import fix_province
from schemas.record import Document, Field
from tests.conftest import ROOT
from workers.settings import Settings
from workers.stores.records import Records
from workers.web.search import search

OLD_HUE = "phường Vĩnh Ninh, thành phố Huế, tỉnh Thừa Thiên Huế"


def test_old_address_is_converted_to_todays_ward_and_province() -> None:
    reading = read_address(OLD_HUE)

    units = reading.units
    assert units is not None
    assert units["printed_map"] == "legacy"
    assert (units["ward"], units["province"]) == ("Phường Vĩnh Ninh", "Thành phố Huế")
    assert units["codes"] == {"ward": "19783", "district": "474", "province": "46"}
    assert units["current"] == {
        "ward": "Phường Thuận Hóa",
        "province": "Thành phố Huế",
        "codes": {"ward": "19789", "province": "46"},
    }
    assert reading.value == OLD_HUE and not reading.review


def test_new_map_address_is_read_on_the_2025_map() -> None:
    units = read_address("Số 12 Lê Lợi, phường Thuận Hóa, thành phố Huế").units

    assert units is not None
    assert (units["printed_map"], units["ward"], units["district"]) == ("2025", "Phường Thuận Hóa", None)
    assert units["street"] == "Số 12 Lê Lợi"
    assert units["current"] == {"ward": "Phường Thuận Hóa", "province": "Thành phố Huế",
                                "codes": {"ward": "19789", "province": "46"}}  # fmt: skip


def test_the_papers_date_chooses_the_map_of_a_name_both_maps_have() -> None:
    address = "Phường Tân Định, Thành phố Hồ Chí Minh"  # a ward of Quận 1 before, a merged ward since

    before, after = read_address(address, date(2020, 5, 1)).units, read_address(address, date(2025, 9, 1)).units

    assert before is not None and after is not None
    assert (before["printed_map"], before["codes"]["ward"]) == ("legacy", "26734")  # type: ignore[index]
    assert (after["printed_map"], after["codes"]["ward"]) == ("2025", "26737")  # type: ignore[index]


def test_ocr_slip_is_set_right_towards_a_unit_of_the_province_only() -> None:
    slipped = read_address("phường Vĩnh Nình, thành phố Huế, tỉnh Thừa Thiên Huế")
    assert slipped.value == OLD_HUE and slipped.units and slipped.units["ward"] == "Phường Vĩnh Ninh"
    # "Bến Nghẻ" is one mark from Bến Nghé, a ward of Hồ Chí Minh City: set right there, never in Huế
    assert read_address("phường Bến Nghẻ, Quận 1, TP. Hồ Chí Minh").value == "phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"
    elsewhere = read_address("phường Bến Nghẻ, thành phố Huế")
    assert elsewhere.value == "phường Bến Nghẻ, thành phố Huế" and elsewhere.review


@pytest.mark.parametrize(
    "printed",
    [
        "45/3 Hùng Vương, phường Thuận Hóa, thành phố Huế",  # once respelt "Thanh Hóa"
        "Kiệt 12/4 Lê Lợi, Phú Nhuận, Thành phố Huế",
        "12 Lê Lợi, Phú Hội, Thừa Thiên Huế",  # the name before Huế became a city
        "Xã Liêm Chính, Hà Nam",  # near "Hà Nội", and a province of its own
        "Thôn 1, xã Mai Hoa, tỉnh Quảng Trị",  # a 2025 commune; "Mai Hóa" was a legacy one
        "Thôn 8, Thọ Xuân, Thanh Hoá",  # the older tone-mark placement is a spelling
    ],
)
def test_a_valid_unit_is_never_respelt(printed: str) -> None:
    assert read_address(printed).value == printed
    assert fix_province(printed) == (printed, False)


def test_ward_not_in_its_province_is_marked_for_review_with_the_nearest_wards() -> None:
    fields = {"place_of_residence": Field(value="Số 5 Lê Lợi, phường Bến Nghé, thành phố Huế", confidence=0.99)}

    out = with_units(fields, {"place_of_residence": "address"}, {"place_of_residence": 0.97})

    field = out["place_of_residence"]
    assert field.confidence < 0.97  # below the review threshold: the document goes to a reviewer
    assert field.units is not None and field.units.ward is None and field.units.province == "Thành phố Huế"
    assert len(field.units.suggestions) == 3 and all(s.startswith(("Phường", "Xã")) for s in field.units.suggestions)
    assert field.suggestion is not None and "Bến Nghé" not in field.suggestion
    assert field.suggestion.startswith("Số 5 Lê Lợi, ") and field.suggestion.endswith(", thành phố Huế")


def test_field_units_key_has_the_contract_shape() -> None:
    fields = {"place_of_residence": Field(value=OLD_HUE, confidence=0.9), "full_name": Field(value="A", confidence=1)}

    out = with_units(fields, {"place_of_residence": "address", "full_name": "name"}, {})

    dumped = out["place_of_residence"].model_dump(mode="json")
    units = dumped["units"]
    assert {"printed_map", "ward", "district", "province", "codes", "current"} <= set(units)
    assert {"ward", "province", "codes"} <= set(units["current"])
    assert set(units["codes"]) == {"ward", "district", "province"}
    assert dumped["value"] == OLD_HUE and dumped["confidence"] == 0.9
    assert out["full_name"].units is None and Field(value="x", confidence=1).model_dump()["units"] is None


@pytest.fixture
def records(tmp_path: Path) -> Iterator[Records]:
    settings = Settings(data_dir=tmp_path / "data", jobs=1)
    settings.data_dir.mkdir(parents=True)
    r = Records(settings.db_url)
    yield r
    r.close()


def _dossier(records: Records, code: str, address: str) -> None:
    fields = with_units({"place_of_residence": Field(value=address, confidence=0.99)},
                        {"place_of_residence": "address"}, {})  # fmt: skip
    records.create_dossier(code)
    records.set_documents(code, [Document(type="cccd", type_confidence=0.99, pages=[1], fields=fields)])


def test_search_finds_a_dossier_by_its_old_or_its_new_ward_name(records: Records) -> None:
    _dossier(records, "HS-OLD", OLD_HUE)  # printed on the old map
    _dossier(records, "HS-NEW", "Số 3 Trần Phú, phường Thuận Hóa, thành phố Huế")  # printed on the new
    _dossier(records, "HS-HCM", "12 Lê Lợi, phường Bến Nghé, Quận 1, TP. Hồ Chí Minh")

    def found(query: str) -> set[str]:
        return {row.code for row in search(records, query)}

    assert found("Thuận Hóa") == {"HS-OLD", "HS-NEW"}  # the old address's ward of today
    assert found("Vinh Ninh") == {"HS-OLD", "HS-NEW"}  # an old ward merged into today's Thuận Hóa
    assert found("Sài Gòn") == {"HS-HCM"}  # Bến Nghé is in today's phường Sài Gòn
    assert found("Bến Nghé") == {"HS-HCM"}


def test_the_map_is_not_read_until_an_address_is() -> None:
    code = (
        "import sys, workers.cli, pipeline.documents, pipeline.extract.address as a, pipeline.extract.admin_map as m\n"
        "print(m.admin_map.cache_info().currsize, 'shapely' in sys.modules, 'vietnamadminunits' in sys.modules)\n"
        "a.read_address('phường Thuận Hóa, thành phố Huế')\n"
        "print(m.admin_map.cache_info().currsize, 'shapely' in sys.modules, 'vietnamadminunits' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["0 False False", "1 False False"]  # its code never imported either
