"""Family c: land-use certificates.

0: two pages; the first names the holder by role ("Người sử dụng đất", "Chủ sử dụng", "Bên nhận chuyển nhượng")
   with pairs on a line and the serial at the foot under "Số phát hành"; the second has the parcel as a table
   whose header row holds the labels and the row under it the values, the date in the signature line;
1: one page, the parcel told in running sentences (number, sheet, area with the area in words, address,
   purpose), the holder above it on dotted lines, the serial at the top right.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, T, Truth, date_text, inline, pairs, pick
from ..vn import World, area_in_words, area_value, format_area, official_name, random_date, upper
from .common import leader, page, signer, top

VARIANTS = 2
PURPOSES = ("Đất ở tại đô thị", "Đất ở tại nông thôn", "Đất trồng cây lâu năm", "Đất trồng lúa",
            "Đất nuôi trồng thủy sản", "Đất trồng cây hằng năm khác")
LETTERS = "ABCDEGHKLMNPQRSTVXY"
ORIGINS = ("Nhận chuyển nhượng đất được Nhà nước giao đất có thu tiền sử dụng đất",
           "Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    holder = world.applicant
    loc = world.loc
    parcel_no = str(rng.randint(12, 1900))
    sheet_no = str(rng.randint(1, 96))
    area = round(rng.uniform(45.0, 1800.0), rng.choice((0, 1, 1, 2)))
    printed_area = format_area(area, rng.choice((1, 2)) if area != int(area) else rng.choice((0, 1)))
    purpose = pick(rng, PURPOSES)
    serial = f"{rng.choice(LETTERS)}{rng.choice(LETTERS)} {rng.randint(0, 999999):06d}"
    issued = random_date(rng, date(2012, 1, 1), world.today - timedelta(days=120))
    parcel_address = f"{world.ward}, {loc.province}"
    book_no = f"CS {rng.randint(100, 99999):05d}"
    chief = official_name(rng)
    title = "Bà" if holder.sex == "Nữ" else "Ông"
    unit = pick(rng, ("m²", "m2"))
    style = rng.randrange(5)
    role_word = pick(rng, ("Người sử dụng đất", "Chủ sử dụng", "Bên nhận chuyển nhượng"))
    issuer = pick(rng, (f"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG {upper(loc.short)}", f"ỦY BAN NHÂN DÂN {upper(loc.short)}",
                        f"VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI {upper(loc.short)}"))
    truth = Truth()
    if variant == 0:
        labels = (f"{role_word}: {title}", "Địa chỉ thường trú:", "Thửa đất số", "Tờ bản đồ số", "Địa chỉ thửa đất:",
                  "Diện tích (m²)", "Mục đích sử dụng", "Số phát hành:", "")
    else:
        labels = (title, "Thường trú tại:", "Thửa đất số", "tờ bản đồ số", "tại", "có diện tích",
                  "sử dụng vào mục đích", "Số seri:", "")
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

    def title_lines(cv: Canvas, y: float, size: float, w: float) -> float:
        g_center = cv.width_mm / 2
        for line in ("GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở", "VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"):
            cv.text(g_center, y, line, size=size, style="bold", align="center", max_width=w)
            y += size * 0.3528 * 1.3
        return y + 2.0

    def v0_page1(cv: Canvas) -> None:
        g = page(cv, 12.5)
        x, w = g.left, g.width
        y = top(cv, g, (), None, style=1)
        y = title_lines(cv, y + 4, g.size + 4, w)
        y += g.lead
        cv.text(x, y, "I. NGƯỜI SỬ DỤNG ĐẤT, CHỦ SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT", size=g.size - 0.5,
                style="bold", max_width=w)
        y += g.lead * 1.3
        pairs(cv, x, y, w, [(labels[0], upper(holder.name)), ("Năm sinh:", str(holder.birth.year))], size=g.size)
        y += g.lead
        pairs(cv, x, y, w, [("CCCD số:", holder.id_number), ("Dân tộc:", holder.ethnicity)], size=g.size,
              value_style="regular")
        y += g.lead
        y = cv.field(x, y, w, labels[1], holder.residence.full(), size=g.size, leading=g.lead)
        y += g.lead * 2
        cv.text(g.center, y, "(Hình thức sở hữu: sở hữu riêng)", size=g.size - 1, style="italic", align="center")
        foot = cv.height_mm - cv.rng.uniform(30.0, 42.0)
        inline(cv, g.center, foot, [T(labels[7] + " "), T(serial, "bold")], size=g.size + 1, align="center")

    def v0_page2(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = g.top + 8
        cv.text(x, y, "II. THỬA ĐẤT, NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT", size=g.size, style="bold", max_width=w)
        y += g.lead * 1.4
        widths = [w * 0.16, w * 0.16, w * 0.2, w * 0.48]
        y = cv.table(x, y, widths, [[labels[2], labels[3], labels[5].replace("m²", unit), labels[6]],
                                    [parcel_no, sheet_no, printed_area, purpose]], size=g.size - 0.5,
                     header_rows=1) + g.lead
        y = leader(cv, g, x, y, w, labels[4], parcel_address)
        y = leader(cv, g, x, y, w, "Hình thức sử dụng:", "Sử dụng riêng")
        y = leader(cv, g, x, y, w, "Thời hạn sử dụng:", "Lâu dài" if "ở" in purpose else f"Đến năm {issued.year + 50}")
        y = leader(cv, g, x, y, w, "Nguồn gốc sử dụng:", pick(cv.rng, ORIGINS))
        y += g.lead
        signer(cv, g, y, when, (issuer_title,), chief, ring=f"{issuer} *" if seal else None)
        cv.text(x, cv.height_mm - 30, f"Số vào sổ cấp GCN: {book_no}", size=g.size - 0.5)

    def v1_page(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, (issuer,), None, style=2)
        cv.text(g.right, y - g.lead * 0.2, f"{labels[7]} {serial}", size=g.size, style="bold", align="right")
        y += g.lead
        y = title_lines(cv, y, g.size + 3, w)
        y += g.lead * 0.5
        cv.text(x, y, "1. Người được cấp Giấy chứng nhận:", size=g.size, style="bold")
        y += g.lead
        y = leader(cv, g, x + 5, y, w - 5, labels[0], upper(holder.name), value_style="bold")
        y = leader(cv, g, x + 5, y, w - 5, "Số định danh cá nhân:", holder.id_number)
        y = leader(cv, g, x + 5, y, w - 5, labels[1], holder.residence.full())
        y += g.lead * 0.4
        cv.text(x, y, "2. Thông tin thửa đất:", size=g.size, style="bold")
        y += g.lead
        text = (f"{labels[2]} {parcel_no}, {labels[3]} {sheet_no}, {labels[4]} {parcel_address}; {labels[5]} "
                f"{printed_area} {unit} (bằng chữ: {area_in_words(area).lower()}), {labels[6]} {purpose}. "
                f"Thời hạn sử dụng: {'lâu dài' if 'ở' in purpose else 'đến năm ' + str(issued.year + 50)}.")
        y = cv.paragraph(x, y, w, text, size=g.size, leading=g.lead, indent=6)
        y += g.lead
        signer(cv, g, y, when, (issuer_title,), chief, ring=f"{issuer} *" if seal else None)

    issuer_title = pick(rng, ("TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"))
    pages = (v0_page1, v0_page2) if variant == 0 else (v1_page,)
    return truth.plan("land_use_certificate", pages)
