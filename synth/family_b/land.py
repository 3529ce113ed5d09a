"""Family b: land-use certificates.

0: the red book ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT"), 2 or 3 pages: the holder by role ("Người sử dụng đất:
Ông …"), the serial printed alone at the foot of page 1 ("CS 823149"), the parcel with several label/value
pairs on one line ("Thửa đất số: 123   Tờ bản đồ số: 45   Diện tích: 150,5 m²"), a changes table on page 3;
1: the 2024 form on one page: QR code, the holder under another role word, the parcel as a grid of labelled
cells (three pairs to a row), the serial after a label in the footer.
"""

from __future__ import annotations

import random
from datetime import date

from ..canvas import RED, Canvas
from ..vn import World, area_value, format_area, official_name, random_date, upper
from .parts import MOTTO, MOTTO_2, PlanB, Truth, date_text, geometry, heading, pairs, pick, sign

VARIANTS = 2

PURPOSES = {
    True: ("Đất ở tại đô thị", "Đất thương mại, dịch vụ", "Đất ở đô thị (ODT)"),
    False: ("Đất ở tại nông thôn", "Đất trồng cây lâu năm", "Đất trồng lúa", "Đất nuôi trồng thủy sản"),
}
SOURCES = (
    "Công nhận QSDĐ như giao đất có thu tiền sử dụng đất",
    "Nhận chuyển nhượng QSDĐ",
    "Nhận thừa kế QSDĐ",
    "Được tặng cho QSDĐ",
    "Nhà nước giao đất có thu tiền sử dụng đất",
)
LETTERS = ("CS", "CT", "CY", "CE", "BK", "BL", "DD", "DH", "AK", "AG")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    holder = world.applicant
    partner = world.spouse if rng.random() < 0.4 else None
    new = variant == 1
    issue = (
        random_date(rng, date(2024, 8, 1), world.today)
        if new
        else random_date(rng, date(2004, 3, 1), min(date(2024, 7, 31), world.today))
    )
    serial = f"{pick(rng, LETTERS)} {rng.randint(0, 999999):06d}"
    book = f"CH {rng.randint(1, 99999):05d}" if not new else f"{rng.randint(1, 9999)}/{issue.year}"
    parcel, sheet = str(rng.randint(1, 1500)), str(rng.randint(1, 90))
    urban = world.loc.urban
    area = round(
        rng.uniform(900.0, 5200.0) if rng.random() < (0.12 if urban else 0.45) else rng.uniform(35.0, 520.0),
        1 if rng.random() < 0.75 else 0,
    )
    printed_area = format_area(area, 1 if area != int(area) or rng.random() < 0.3 else 0)
    unit = pick(rng, ("m²", "m2", " m²"))
    purpose = pick(rng, PURPOSES[urban])
    term = "Lâu dài" if "ở" in purpose else f"đến {date_text(date(issue.year + 50, issue.month, 1), 0)}"
    source = pick(rng, SOURCES)
    body = pick(
        rng,
        (
            ("ỦY BAN NHÂN DÂN", upper(world.loc.province)),
            ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", upper(world.loc.province)),
            ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", upper(world.loc.province)),
        ),
    )
    titles = (
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        if body[0].startswith("ỦY")
        else ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    )
    ring = f"{body[0]} * {upper(world.loc.province)} *"
    signer = official_name(rng)
    address = f"{world.ward}, {world.loc.province}"
    n_pages = 1 if new else rng.choice((2, 3))
    role_label = (
        pick(rng, ("Người đứng tên:", "Chủ sử dụng đất:", "Người được cấp Giấy chứng nhận:"))
        if new
        else "Người sử dụng đất:"
    )
    short = rng.random() < 0.5
    parcel_label, sheet_label = ("Thửa số:", "Tờ số:") if short else ("Thửa đất số:", "Tờ bản đồ số:")
    purpose_label = pick(rng, ("Sử dụng vào mục đích:", "Mục đích sử dụng đất:"))
    serial_label = "" if not new else pick(rng, ("Số seri:", "Seri phôi:", "Số hiệu:"))
    area_label = pick(rng, ("Diện tích:", "Diện tích thửa đất:"))

    truth = Truth()
    truth.name("holder_name", holder.name, role_label)
    truth.add("parcel_number", parcel, parcel_label)
    truth.add("map_sheet_number", sheet, sheet_label)
    truth.add("area_m2", area_value(printed_area), area_label)
    truth.add("land_use_purpose", purpose, purpose_label)
    truth.add("serial_number", serial, serial_label)
    truth.date("issue_date", issue, "")
    truth.add("holder_address", holder.residence.full(), "Thường trú tại:")
    truth.add("parcel_address", address, "Địa chỉ" if new else "Địa chỉ thửa đất:")

    def holders(cv: Canvas, x: float, y: float, w: float, size: float, lead: float) -> float:
        who = [holder] + ([partner] if partner else [])
        for i, p in enumerate(who):
            title_word = "Ông" if p.sex == "Nam" else "Bà"
            label = role_label if i == 0 else ("Và vợ:" if p.sex == "Nữ" else "Và chồng:")
            y = cv.field(x, y, w, label, f"{title_word} {upper(p.name)}", size=size, leading=lead, value_style="bold")
            pairs(
                cv,
                x + 6,
                y,
                w - 6,
                [
                    ("Sinh năm:", str(p.birth.year)),
                    ("CMND số:" if issue.year < 2016 else "CCCD số:", p.old_id if issue.year < 2016 else p.id_number),
                ],
                size=size,
                value_style="regular",
            )
            y += lead
        return cv.field(x + 6, y, w - 6, "Thường trú tại:", holder.residence.full(), size=size, leading=lead)

    def signature(cv: Canvas, x: float, y: float, w: float, size: float) -> float:
        return sign(
            cv,
            x + w * 0.68,
            y,
            size=size - 0.5,
            when=f"{world.loc.short}, {date_text(issue, 3)}",
            titles=titles,
            name=signer,
            ring=ring if seal else None,
        )

    def cover(cv: Canvas) -> None:
        g = geometry(cv, 12.5, left=(18.0, 28.0), right=(14.0, 20.0))
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = g.top + 8
        cv.text(g.center, y, MOTTO, size=size, style="bold", align="center", max_width=w)
        y += lead
        cv.text(g.center, y, MOTTO_2, size=size + 0.5, style="bold", align="center")
        y += lead * 1.2
        cv.emblem(g.center, y + 13, 24.0)
        y += 34
        y = heading(cv, g, y, ["GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT"], size=size + 7, color=RED)
        y += lead * 0.6
        cv.text(x, y, "I. TÊN NGƯỜI SỬ DỤNG ĐẤT", size=size, style="bold")
        y += lead * 1.2
        holders(cv, x, y, w, size, lead)
        cv.text(g.right - 6, 262.0, serial, size=size + 8, style="bold", align="right", color=RED)
        cv.text(x, 274.0, f"Vào sổ cấp giấy chứng nhận số: {book}", size=size - 1.5, style="italic")

    def parcel_page(cv: Canvas) -> None:
        g = geometry(cv, 12.5, left=(18.0, 28.0), right=(14.0, 20.0))
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = g.top + 8
        cv.text(x, y, "II. THỬA ĐẤT ĐƯỢC QUYỀN SỬ DỤNG", size=size, style="bold")
        y += lead * 1.3
        pairs(
            cv,
            x,
            y,
            w,
            [(parcel_label, parcel), (sheet_label, sheet), (area_label, f"{printed_area}{unit}")],
            size=size,
        )
        y += lead
        y = cv.field(x, y, w, "Địa chỉ thửa đất:", address, size=size, leading=lead)
        y = cv.field(x, y, w, purpose_label, purpose, size=size, leading=lead, value_style="bold")
        pairs(
            cv,
            x,
            y,
            w,
            [("Hình thức:", "Riêng" if partner is None else "Chung"), ("Thời hạn:", term)],
            size=size,
            value_style="regular",
        )
        y += lead
        y = cv.field(x, y, w, "Nguồn gốc:", source, size=size, leading=lead)
        y = cv.field(x, y, w, "Tài sản gắn liền với đất:", "Chưa chứng nhận quyền sở hữu", size=size, leading=lead)
        y += lead * 0.8
        signature(cv, x, y, w, size)
        cv.text(g.center, 280.0, "- 2 -", size=size - 1, align="center")

    def changes_page(cv: Canvas) -> None:
        g = geometry(cv, 12.0)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = g.top + 8
        cv.text(x, y, "III. NHỮNG THAY ĐỔI SAU KHI CẤP GIẤY CHỨNG NHẬN", size=size, style="bold")
        y += lead * 0.6
        rows = [["Ngày, tháng, năm", "Nội dung thay đổi và cơ sở pháp lý", "Xác nhận của cơ quan có thẩm quyền"]]
        rows += [["", "", ""]] * 6
        cv.table(x, y, [w * 0.2, w * 0.46, w * 0.34], rows, size=size - 1, header_rows=1, min_row=18.0)
        cv.text(g.center, 280.0, "- 3 -", size=size - 1, align="center")

    def form_2024(cv: Canvas) -> None:
        g = geometry(cv, 12.0, spacing=(1.3, 1.5))
        size, lead, x, w = g.size, g.lead, g.left, g.width
        cv.qr(g.right - 22.0, g.top, 20.0, f"{serial}|{parcel}|{sheet}|{issue.isoformat()}")
        y = g.top + 6
        cv.text(g.center - 10, y, MOTTO, size=size - 0.5, style="bold", align="center", max_width=w - 50)
        y += lead
        cv.text(g.center - 10, y, MOTTO_2, size=size, style="bold", align="center")
        y += lead * 1.8
        y = heading(
            cv,
            g,
            y,
            ["GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT,", "QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT"],
            size=size + 3,
            color=RED,
        )
        y += lead * 0.4
        cv.text(x, y, "1. Người được cấp", size=size, style="bold")
        y += lead
        y = holders(cv, x, y, w, size, lead) + lead * 0.3
        cv.text(x, y, "2. Thông tin thửa đất", size=size, style="bold")
        y += lead * 0.5
        rows = [
            [f"{parcel_label} {parcel}", f"{sheet_label} {sheet}", f"{area_label} {printed_area}{unit}"],
            [f"{purpose_label} {purpose}", f"Thời hạn: {term}", f"Hình thức: {'Riêng' if not partner else 'Chung'}"],
            ["Địa chỉ: " + address, "Nguồn gốc: " + source, "Tài sản: Không"],
        ]
        y = cv.table(x, y, [w / 3] * 3, rows, size=size - 0.5, pad=2.0) + lead
        y = cv.field(x, y, w, "3. Ghi chú:", "Không", size=size, leading=lead)
        y += lead * 0.4
        signature(cv, x, y, w, size)
        inline_y = 272.0
        cv.text(x, inline_y, f"Số vào sổ cấp GCN: {book}", size=size - 1)
        cv.text(g.right, inline_y, f"{serial_label} {serial}", size=size + 2, style="bold", align="right", color=RED)

    pages = (form_2024,) if new else (cover, parcel_page, changes_page)[:n_pages]
    return truth.plan("land_use_certificate", pages, None)
