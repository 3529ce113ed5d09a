"""Family d: land-use certificates.

0: two pages numbered "Trang 1/2", "Trang 2/2"; the first lists holder and parcel with bold capital labels and
   the colons aligned ("THỬA ĐẤT SỐ", "DIỆN TÍCH"), the second draws the parcel's sketch with the lengths of its
   edges and the coordinates of its corners (numbers beside the real ones), the serial and the register number
   at its foot;
1: one page in the 2024 manner: the serial and a QR code at the top, the holder in one line of abbreviations
   ("Ông: …; SN: 1980; CCCD: …"), the parcel in two boxed columns of aligned pairs with abbreviated labels
   ("Số thửa", "Tờ BĐ số", "DT", "MĐSD"), a seal pressed over the box.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, T, Truth, date_text, inline, pick
from ..vn import World, area_value, format_area, official_name, random_date, upper
from .common import aligned, head, page, page_number, seal_over, signer, title

VARIANTS = 2
PURPOSES = (("Đất ở tại đô thị", "ODT"), ("Đất ở tại nông thôn", "ONT"), ("Đất trồng cây lâu năm", "CLN"),
            ("Đất trồng lúa", "LUA"), ("Đất nuôi trồng thủy sản", "NTS"), ("Đất bằng trồng cây hằng năm khác", "BHK"))
LETTERS = "ABCDEGHKLMNPQRSTVXY"


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    holder = world.applicant
    loc = world.loc
    parcel_no = str(rng.randint(5, 2400))
    sheet_no = str(rng.randint(1, 120))
    area = round(rng.uniform(40.0, 2500.0), rng.choice((0, 1, 1, 2)))
    printed_area = format_area(area, rng.choice((1, 2)) if area != int(area) else rng.choice((0, 1)))
    purpose, code = pick(rng, PURPOSES)
    serial = f"{rng.choice(LETTERS)}{rng.choice(LETTERS)} {rng.randint(0, 999999):06d}"
    issued = random_date(rng, date(2010, 6, 1) if variant == 0 else date(2024, 8, 1),
                         max(date(2024, 8, 2), world.today - timedelta(days=60)) if variant else date(2024, 7, 30))
    parcel_address = f"{world.ward}, {loc.province}"
    book_no = f"{pick(rng, ('CH', 'CS', 'VP'))} {rng.randint(100, 99999):05d}"
    chief = official_name(rng)
    mr = "Bà" if holder.sex == "Nữ" else "Ông"
    unit = pick(rng, ("m²", "m2"))
    style = rng.randrange(5)
    issuer = pick(rng, (f"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG {upper(loc.short)}", f"UBND {upper(loc.province)}",
                        f"SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG {upper(loc.short)}"))
    if variant == 0:
        labels = ("HỌ TÊN CHỦ SỬ DỤNG", "HỘ KHẨU THƯỜNG TRÚ", "THỬA ĐẤT SỐ", "TỜ BẢN ĐỒ SỐ", "ĐỊA CHỈ THỬA ĐẤT",
                  "DIỆN TÍCH SỬ DỤNG", "MỤC ĐÍCH SỬ DỤNG", "Số phát hành GCN:", "")
    else:
        labels = (f"{mr}:", "ĐKTT:", "Số thửa", "Tờ BĐ số", "Vị trí", "DT", "MĐSD", "Seri:", "")
    truth = Truth()
    truth.name("holder_name", holder.name, labels[0])
    truth.add("holder_address", holder.residence.full(), labels[1])
    truth.add("parcel_number", parcel_no, labels[2])
    truth.add("map_sheet_number", sheet_no, labels[3])
    truth.add("parcel_address", parcel_address, labels[4])
    truth.add("area_m2", area_value(printed_area), labels[5])
    truth.add("land_use_purpose", purpose, labels[6])
    truth.add("serial_number", serial, labels[7])
    truth.date("issue_date", issued, labels[8])
    when = f"{loc.short}, {date_text(issued, style if style >= 3 else 4)}"
    term = "Lâu dài" if "ở" in purpose else f"Đến ngày 15/10/{issued.year + 50}"

    def heading_lines(cv: Canvas, y: float, size: float, w: float) -> float:
        for line in ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT,", "QUYỀN SỞ HỮU NHÀ Ở", "VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"):
            cv.text(cv.width_mm / 2, y, line, size=size, style="bold", align="center", max_width=w, color=(170, 30, 40))
            y += size * 0.3528 * 1.35
        return y + 2.0

    def v0_p1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = head(cv, g, (), None, style=1)
        y = heading_lines(cv, y + 2, g.size + 3.5, w)
        cv.text(x, y, "1. NGƯỜI SỬ DỤNG ĐẤT, CHỦ SỞ HỮU TÀI SẢN", size=g.size, style="bold", max_width=w)
        y += g.lead * 1.2
        tab = cv.rng.uniform(46.0, 54.0)
        y = aligned(cv, g, x + 4, y, w - 4, [(labels[0], f"{mr} {upper(holder.name)}"),
                                             ("NĂM SINH", str(holder.birth.year)),
                                             ("SỐ CCCD", holder.id_number), (labels[1], holder.residence.full())],
                    tab=tab, caps=True)
        y += g.lead * 0.6
        cv.text(x, y, "2. THỬA ĐẤT", size=g.size, style="bold")
        y += g.lead * 1.2
        y = aligned(cv, g, x + 4, y, w - 4, [(labels[2], parcel_no), (labels[3], sheet_no),
                                             (labels[4], parcel_address), (labels[5], f"{printed_area} {unit}"),
                                             ("HÌNH THỨC SỬ DỤNG", "Sử dụng riêng"), (labels[6], purpose),
                                             ("THỜI HẠN SỬ DỤNG", term),
                                             ("NGUỒN GỐC SỬ DỤNG", "Nhà nước công nhận quyền sử dụng đất")],
                    tab=tab, caps=True)
        y += g.lead
        signer(cv, g, y, when, (pick(cv.rng, ("TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC")), "PHÓ GIÁM ĐỐC"), chief,
               ring=f"{issuer} *" if seal else None)
        page_number(cv, g, 1, 2)

    def v0_p2(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = g.top + 8
        cv.text(x, y, "3. SƠ ĐỒ THỬA ĐẤT", size=g.size, style="bold")
        y += g.lead * 1.5
        r = cv.rng
        bx, by, bw, bh = x + 20, y, w - 40, r.uniform(55.0, 75.0)
        pts = [(bx + r.uniform(0, 12), by + r.uniform(0, 10)), (bx + bw - r.uniform(0, 12), by + r.uniform(0, 14)),
               (bx + bw - r.uniform(0, 8), by + bh - r.uniform(0, 10)), (bx + r.uniform(0, 16), by + bh)]
        for (x0, y0), (x1, y1) in zip(pts, [*pts[1:], pts[0]], strict=True):
            cv.draw.line([(cv.pxf(x0), cv.pxf(y0)), (cv.pxf(x1), cv.pxf(y1))], fill=(22, 22, 26),
                         width=max(1, cv.px(0.35)))
            length = f"{r.uniform(6.0, 40.0):.2f}".replace(".", ",")
            cv.text((x0 + x1) / 2, (y0 + y1) / 2 - 1.0, length, size=g.size - 2, align="center")
        for i, (px_, py_) in enumerate(pts, start=1):
            cv.text(px_ - 3, py_ - 1.5, str(i), size=g.size - 2)
        cv.text(bx + bw / 2, by + bh / 2, f"({parcel_no})", size=g.size, style="bold", align="center")
        y = by + bh + g.lead * 1.5
        corners = [[str(i), f"{r.randint(1_700_000, 1_900_000)},{r.randint(10, 99)}",
                    f"{r.randint(500_000, 600_000)},{r.randint(10, 99)}"] for i in range(1, 5)]
        rows = [["Điểm", "X (m)", "Y (m)"], *corners]
        y = cv.table(x + 20, y, [20.0, 40.0, 40.0], rows, size=g.size - 1.5, header_rows=1) + g.lead * 1.5
        y = aligned(cv, g, x, y, w, [("4. NHÀ Ở", "Không"), ("5. GHI CHÚ", "Không")], tab=34.0, caps=True)
        foot = cv.height_mm - r.uniform(32.0, 42.0)
        inline(cv, x, foot, [T(labels[7] + " "), T(serial, "bold")], size=g.size + 1)
        cv.text(g.right, foot, f"Số vào sổ cấp GCN: {book_no}", size=g.size, align="right")
        page_number(cv, g, 2, 2)

    def v1_p(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = g.top + 5.0
        qr = cv.qr(g.right - 20.0, y - 3.0, 20.0, f"GCN|{serial}|{parcel_no}|{sheet_no}|{world.ward}")
        cv.text(x, y, f"{labels[7]} {serial}", size=g.size, style="bold")
        cv.text(x, y + g.lead, f"Mã GCN: {loc.code}{rng_code:08d}", size=g.size - 1)
        y = max(y + g.lead * 2.5, y - 3.0 + qr + g.lead)
        cv.text(g.center, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=g.size, style="bold", align="center")
        y += g.lead
        cv.text(g.center, y, "Độc lập - Tự do - Hạnh phúc", size=g.size, style="bold", align="center")
        y += g.lead * 1.6
        y = title(cv, g, y, ["GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT"],
                  size=g.size + 2.5)
        cv.text(x, y, "I. NGƯỜI ĐƯỢC CẤP", size=g.size, style="bold")
        y += g.lead * 1.1
        inline(cv, x, y, [T(labels[0] + " "), T(upper(holder.name), "bold"), T(f"; SN: {holder.birth.year}; "),
                          T(f"CCCD: {holder.id_number}")], size=g.size, max_width=w)
        y += g.lead
        y = cv.field(x, y, w, labels[1], holder.residence.full(), size=g.size, leading=g.lead)
        y += g.lead * 0.4
        cv.text(x, y, "II. THÔNG TIN THỬA ĐẤT", size=g.size, style="bold")
        y += g.lead * 0.6
        top = y
        y += g.lead * 1.2
        half = w / 2 - 2
        a = aligned(cv, g, x + 2, y, half - 2, [(labels[2], parcel_no), (labels[5], f"{printed_area} {unit}"),
                                                ("Mã đất", code)], tab=20.0)
        nl = len(cv.lines)
        b = aligned(cv, g, x + half + 4, y, half - 4, [(labels[3], sheet_no), (labels[6], purpose),
                                                       ("THSD", term)], tab=20.0)
        left, right = cv.lines[nl - 3:nl], cv.lines[nl:]
        if len(left) == 3 and len(right) == 3:
            cv.lines[nl - 3:] = [f"{p} {q}" for p, q in zip(left, right, strict=True)]
        y = max(a, b)
        y = aligned(cv, g, x + 2, y, w - 4, [(labels[4], parcel_address)], tab=20.0)
        cv.rect(x, top, w, y - top, width=0.3)
        if seal:
            seal_over(cv, x + w * cv.rng.uniform(0.55, 0.8), top + (y - top) * 0.5, f"{issuer} *")
        y += g.lead * 1.2
        signer(cv, g, y, when, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), chief)
        cv.text(x, cv.height_mm - 22.0, f"Số vào sổ cấp GCN: {book_no}", size=g.size - 0.5)

    rng_code = rng.randint(0, 99_999_999)
    return truth.plan("land_use_certificate", (v0_p1, v0_p2) if variant == 0 else (v1_p,))
