"""The receipt sheet of the service centre (Phiếu tiếp nhận hồ sơ và hẹn trả kết quả), with the dossier code
as a QR code; it separates dossiers in a scanned stack."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, format_phone, official_name, upper, ward_name
from .base import DocPlan, header, layout, sign_block, title

PROCEDURE_NAMES = {
    "birth": "Đăng ký khai sinh",
    "marriage": "Đăng ký kết hôn",
    "diploma_copy": "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
    "land": "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    "certify": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
}

DOC_NAMES = {
    "cccd": "Bản sao Căn cước công dân",
    "birth_certificate": "Bản sao Giấy khai sinh",
    "marriage_certificate": "Bản sao Giấy chứng nhận kết hôn",
    "land_use_certificate": "Bản gốc Giấy chứng nhận quyền sử dụng đất",
    "diploma": "Bản sao Bằng tốt nghiệp",
    "application_form": "Đơn đề nghị (tờ khai) theo mẫu",
    "other": "Giấy tờ khác có liên quan",
}


def dossier_code(rng: random.Random, world: World | None = None) -> str:
    """A code like "000.00.28.H57-250338-1306"."""
    province = world.loc.portal_code if world else rng.randint(1, 63)
    year = world.today.year % 100 if world else 25
    unit, serial, sequence = rng.randint(10, 40), rng.randint(1, 9999), rng.randint(1, 9999)
    return f"000.00.{unit:02d}.H{province:02d}-{year:02d}{serial:04d}-{sequence:04d}"


def build(world: World, rng: random.Random, code: str, contents: Sequence[str] | None) -> DocPlan:
    p = world.applicant
    procedure = PROCEDURE_NAMES.get(world.procedure, "Thủ tục hành chính")
    docs = list(contents) if contents else ["application_form", "cccd", "other"]
    names: list[str] = []
    for d in docs:
        name = DOC_NAMES.get(d, d)
        if name not in names:
            names.append(name)
    received = world.today
    due = received + timedelta(days=rng.choice((1, 3, 5, 7, 10)))
    while due.weekday() >= 5:
        due += timedelta(days=1)
    hour, minute = rng.randint(7, 16), rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50))
    clerk = official_name(rng)
    phone = format_phone(rng, p.phone)
    level = "PHƯỜNG" if world.ward.startswith("phường") else "XÃ"
    wname = upper(ward_name(world.ward))

    def render(cv: Canvas) -> None:
        lay = layout(cv, 12.5)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        cv.qr_text = code
        qr_size = cv.rng.uniform(26.0, 32.0)
        y = header(cv, lay, issuer=(f"ỦY BAN NHÂN DÂN {level} {wname}", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"),
                   number=f"Số: {rng_no}/TN")
        y += lead * 0.5
        qr_left = cv.rng.random() < 0.5
        qx = x if qr_left else lay.right - qr_size
        size_real = cv.qr(qx, y, qr_size, code)
        y += size_real + lead * 1.2 + 4.0
        y = title(cv, lay, y, ["PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"], size=size + 2)
        cv.text(lay.center, y - lead * 0.3, f"Mã hồ sơ: {code}", size=size, style="bold", align="center")
        y += lead
        y = cv.paragraph(x, y, w, f"Trung tâm Phục vụ hành chính công {world.ward} tiếp nhận hồ sơ của:",
                         size=size, leading=lead, indent=8)
        y = cv.field(x, y, w, "Ông/Bà:", upper(p.name), size=size, leading=lead, value_style="bold")
        y = cv.field(x, y, w, "Địa chỉ:", p.residence.full(), size=size, leading=lead)
        y = cv.field(x, y, w, "Số điện thoại:", phone, size=size, leading=lead)
        y = cv.field(x, y, w, "Nội dung yêu cầu giải quyết:", procedure, size=size, leading=lead)
        cv.text(x, y, "1. Thành phần hồ sơ nộp gồm:", size=size)
        y += lead * 0.4
        rows = [["TT", "Tên giấy tờ", "Số lượng"]] + [[str(i + 1), n, "01"] for i, n in enumerate(names)]
        y = cv.table(x, y, [w * 0.08, w * 0.72, w * 0.2], rows, size=size - 1, header_rows=1,
                     align=("center", "left", "center")) + lead
        y = cv.field(x, y, w, "2. Số lượng hồ sơ:", "01 (bộ)", size=size, leading=lead)
        y = cv.field(x, y, w, "3. Thời gian giải quyết hồ sơ theo quy định là:",
                     f"{(due - received).days:02d} ngày", size=size, leading=lead)
        y = cv.field(x, y, w, "4. Thời gian nhận hồ sơ:",
                     f"{hour:02d} giờ {minute:02d} phút, ngày {received.strftime('%d/%m/%Y')}", size=size,
                     leading=lead)
        y = cv.field(x, y, w, "5. Thời gian trả kết quả giải quyết hồ sơ:",
                     f"{hour:02d} giờ {minute:02d} phút, ngày {due.strftime('%d/%m/%Y')}", size=size, leading=lead)
        y = cv.field(x, y, w, "6. Đăng ký nhận kết quả tại:", f"Trung tâm Phục vụ hành chính công {world.ward}",
                     size=size, leading=lead)
        y += lead * 0.5
        sign_block(cv, x + w * 0.22, y, size=size - 0.5, date_text=None, office=["NGƯỜI NỘP HỒ SƠ"],
                   note="(Ký và ghi rõ họ tên)", name=p.name, gap=18.0)
        sign_block(cv, x + w * 0.72, y, size=size - 0.5, date_text=None, office=["NGƯỜI TIẾP NHẬN HỒ SƠ"],
                   note="(Ký và ghi rõ họ tên)", name=clerk, gap=18.0)

    rng_no = rng.randint(100, 9999)
    return DocPlan("receipt", (), (render,), qr_text=code)
