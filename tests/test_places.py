"""Provinces at the end of an address (from the administrative-units dataset), set right when OCR misspelt them,
left alone when printed right."""

from __future__ import annotations

import pytest

from pipeline.extract.places import fix_province


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("46 Nguyễn Văn Cừ, Ninh Kiểu, Cấn Thơ", "46 Nguyễn Văn Cừ, Ninh Kiểu, Cần Thơ"),  # a wrong mark
        ("40 Nguyễn Trãi, Cầu Giấy, Hà Ñjội", "40 Nguyễn Trãi, Cầu Giấy, Hà Nội"),  # a letter slip
        ("12 Lý Thường Kiệt, Bến Nghé, TP. Hồ Chí Mính", "12 Lý Thường Kiệt, Bến Nghé, TP. Hồ Chí Minh"),
        ("Xóm 6, Yên Thành, tỉnh Nghệ Án", "Xóm 6, Yên Thành, tỉnh Nghệ An"),  # the prefix kept as printed
        ("Kiệt 3 Lê Lợi, Phú Hội, Thừa Thiên Hụế", "Kiệt 3 Lê Lợi, Phú Hội, Thừa Thiên Huế"),  # the name before 2025
        ("Phường 5, Quận 3, Thành phố Hồ Chí Mình", "Phường 5, Quận 3, Thành phố Hồ Chí Minh"),
    ],
)
def test_misspelt_province_is_spelt_as_the_province(read: str, meant: str) -> None:
    assert fix_province(read) == (meant, True)


@pytest.mark.parametrize(
    "printed",
    [
        "Thôn 8, Thọ Xuân, Thanh Hóa",
        "Thôn 8, Thọ Xuân, Thanh Hoá",  # the older tone-mark placement is a spelling, not a slip
        "Phường 5, Bà Rịa-Vũng Tàu",
        "Xã Liêm Chính, Hà Nam",  # near "Hà Nội", and a province of its own
        "Xóm 10, Nam Đàn",  # ends with a district: no province is clearly meant
        "Số 7",
        "45/3 Hùng Vương, phường Thuận Hóa, thành phố Huế",  # a CCCD's address once respelt "Thanh Hóa"
        "Phú Nhuận, Thành phố Huế",
        "Kim Long, TP Huế",
        "Phú Hội, Thừa Thiên Huế",
        "Phường 2, tỉnh Quảng Trị",  # a province of both maps
        "xã Tân Thành, tỉnh Tây Ninh",
    ],
)
def test_address_printed_right_or_without_province_is_left_alone(printed: str) -> None:
    assert fix_province(printed) == (printed, False)
