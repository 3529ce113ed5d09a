"""Land-use certificate ("sổ đỏ"/"sổ hồng"): 2 to 4 pages, title only on the first."""

from __future__ import annotations

import random
from datetime import date

from ..canvas import RED, Canvas
from ..vn import World, area_in_words, area_value, format_area, official_name, random_date, upper
from .base import MOTTO, MOTTO_2, DocPlan, FieldSet, Issuer, layout, page_number, sign_block, signer_date, title

VARIANTS = 3  # 0: 2009-2023 form, labelled lines; 1: same, parcel as a table; 2: 2024 form with a QR code

TITLE_OLD = ["GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở", "VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"]
TITLE_NEW = ["GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU", "TÀI SẢN GẮN LIỀN VỚI ĐẤT"]

PURPOSES_URBAN = ("Đất ở tại đô thị", "Đất thương mại, dịch vụ")
PURPOSES_RURAL = ("Đất ở tại nông thôn", "Đất trồng cây lâu năm", "Đất trồng lúa", "Đất trồng cây hằng năm khác")
ORIGINS = ("Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
           "Nhận chuyển nhượng đất được Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
           "Nhận thừa kế quyền sử dụng đất", "Được Nhà nước giao đất có thu tiền sử dụng đất",
           "Nhận tặng cho quyền sử dụng đất")
SERIAL_LETTERS = ("CS", "CT", "CY", "CX", "BV", "BX", "DA", "DB", "DC", "AA", "AB", "BĐ")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    holder = world.applicant
    co_holder = world.spouse if rng.random() < 0.45 else None
    n_pages = rng.choice((2, 3, 3, 4))
    issue_old = random_date(rng, date(2006, 1, 1), min(date(2024, 6, 30), world.today))
    issue_new = random_date(rng, date(2024, 8, 1), world.today)
    issue = issue_new if variant == 2 else issue_old
    letters = rng.choice(SERIAL_LETTERS[:-1])
    serial = f"{letters} {rng.randint(0, 999999):06d}"
    book_no = f"{letters} {rng.randint(1, 9999):05d}"
    parcel = str(rng.randint(1, 1200))
    sheet = str(rng.randint(1, 75))
    urban = world.loc.urban
    big = rng.random() < (0.15 if urban else 0.5)
    area_num = rng.uniform(800.0, 4800.0) if big else rng.uniform(38.0, 480.0)
    decimals = 1 if rng.random() < 0.8 else 0
    area_num = round(area_num, decimals)
    area_printed = format_area(area_num, decimals)
    purpose = rng.choice(PURPOSES_URBAN if urban else PURPOSES_RURAL)
    term = "Lâu dài" if purpose.startswith("Đất ở") else f"Đến ngày {issue.day:02d}/{issue.month:02d}/{issue.year + 50}"
    origin = rng.choice(ORIGINS)
    form = "Sử dụng riêng" if co_holder is None or rng.random() < 0.7 else "Sử dụng chung"
    address = f"{world.ward}, {world.loc.province}"
    province_upper = upper(world.loc.province)
    issuer_name = rng.choice((("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", upper(f"{world.loc.province}")),
                              ("ỦY BAN NHÂN DÂN", province_upper)))
    office = (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") if issuer_name[0] == "ỦY BAN NHÂN DÂN"
              else ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
    issuer = Issuer(issuer_name, office, f"{issuer_name[0]} * {province_upper} *", world.loc.short,
                    f"{issuer_name[0].capitalize()} {world.loc.province}")
    signer = official_name(rng)
    bank = rng.choice(("Công thương", "Ngoại thương", "Đầu tư và Phát triển", "Nông nghiệp"))
    mortgage = (f"Đã thế chấp bằng quyền sử dụng đất tại Ngân hàng TMCP {bank} Việt Nam theo hồ sơ số "
                f"{rng.randint(100, 9999)}.CN.{rng.randint(1, 99):03d}")
    mortgage_day = f"Ngày {random_date(rng, issue, world.today).strftime('%d/%m/%Y')}"
    changes = [(mortgage, mortgage_day)] if rng.random() < 0.5 else []
    shape = [(rng.uniform(0.0, 0.15), rng.uniform(0.0, 0.2)), (rng.uniform(0.85, 1.0), rng.uniform(0.0, 0.15)),
             (rng.uniform(0.8, 1.0), rng.uniform(0.85, 1.0)), (rng.uniform(0.0, 0.2), rng.uniform(0.8, 1.0))]

    fields = FieldSet()
    fields.name("holder_name", holder.name)
    fields.add("parcel_number", parcel)
    fields.add("map_sheet_number", sheet)
    fields.add("area_m2", area_value(area_printed))
    fields.add("land_use_purpose", purpose)
    fields.serial("serial_number", serial)
    fields.date("issue_date", issue)
    fields.add("holder_address", holder.residence.full())
    fields.add("parcel_address", address)

    new = variant == 2

    def holder_lines(cv: Canvas, x: float, y: float, w: float, size: float, lead: float) -> float:
        people = [(holder, "Ông" if holder.sex == "Nam" else "Bà")]
        if co_holder is not None:
            people.append((co_holder, "Ông" if co_holder.sex == "Nam" else "Bà"))
        for i, (p, title_word) in enumerate(people):
            prefix = "và vợ " if i and p.sex == "Nữ" else ("và chồng " if i else "")
            label = f"{prefix}{title_word}:".capitalize() if prefix else f"{title_word}:"
            y = cv.field(x, y, w, label, f"{upper(p.name)}, Năm sinh: {p.birth.year}", size=size, leading=lead,
                         value_style="bold")
            y = cv.field(x, y, w, "CCCD số:" if new or issue.year >= 2016 else "CMND số:",
                         p.id_number if new or issue.year >= 2016 else p.old_id, size=size, leading=lead)
        return cv.field(x, y, w, "Địa chỉ thường trú:" if not new else "Địa chỉ:", holder.residence.full(),
                        size=size, leading=lead)

    def page1(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        size, lead, x, w = lay.size, lay.lead, lay.left, lay.width
        y = lay.top + 6
        cv.text(lay.center, y, MOTTO, size=size, style="bold", align="center", max_width=w)
        y += lead
        mw = cv.text(lay.center, y, MOTTO_2, size=size + 0.5, style="bold", align="center")
        cv.hline(lay.center - mw / 2, lay.center + mw / 2, y + 1.6)
        if new:
            cv.qr(lay.right - 24, lay.top, 22.0, f"{serial.replace(' ', '')}|{parcel}|{sheet}|{issue.isoformat()}")
        y += lead * 1.4
        cv.emblem(lay.center, y + 14, 26.0)
        y += 36
        y = title(cv, lay, y, TITLE_NEW if new else TITLE_OLD, size=size + 5, color=RED)
        y += lead * 0.5
        section = ("1. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất" if new else
                   "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất")
        y = cv.paragraph(x, y, w, section, size=size, style="bold", leading=lead)
        y = holder_lines(cv, x + 4, y, w - 4, size, lead)
        if new:
            y += lead * 0.4
            y = cv.field(x, y, w, "Số vào sổ cấp Giấy chứng nhận:", book_no, size=size, leading=lead)
        cv.text(lay.center, cv.height_mm - 38, serial, size=size + 9, style="bold", align="center", color=RED)
        if not new:
            cv.text(lay.right, cv.height_mm - 22, f"Số vào sổ cấp GCN: {book_no}", size=size - 1, align="right")
        if n_pages > 2:
            page_number(cv, f"Trang 1/{n_pages}")

    def page2(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        size, lead, x, w = lay.size, lay.lead, lay.left, lay.width
        y = lay.top + 8
        heading = ("2. Thửa đất" if new else "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất")
        y = cv.paragraph(x, y, w, heading, size=size, style="bold", leading=lead)
        if not new:
            cv.text(x, y, "1. Thửa đất:", size=size, style="bold")
            y += lead
        purpose_label = "Loại đất:" if new else "Mục đích sử dụng:"
        area_text = f"{area_printed} m²"
        words = f"(Bằng chữ: {area_in_words(area_num)})"
        if variant == 1:
            rows = [["Thửa đất số", parcel], ["Tờ bản đồ số", sheet], ["Địa chỉ", address],
                    ["Diện tích", f"{area_text} {words}"], ["Hình thức sử dụng", form],
                    [purpose_label.rstrip(":"), purpose], ["Thời hạn sử dụng", term], ["Nguồn gốc sử dụng", origin]]
            y = cv.table(x, y - lead * 0.6, [w * 0.32, w * 0.68], rows, size=size - 0.5) + lead
        else:
            prefix = ("a) ", "b) ", "c) ", "d) ", "đ) ", "e) ", "g) ", "h) ") if not new else ("",) * 8
            y = cv.field(x, y, w, f"{prefix[0]}Thửa đất số:", parcel, size=size, leading=lead)
            y = cv.field(x, y, w, f"{prefix[1]}Tờ bản đồ số:", sheet, size=size, leading=lead)
            y = cv.field(x, y, w, f"{prefix[2]}Địa chỉ:", address, size=size, leading=lead)
            y = cv.field(x, y, w, f"{prefix[3]}Diện tích:", f"{area_text} {words}", size=size, leading=lead)
            y = cv.field(x, y, w, f"{prefix[4]}Hình thức sử dụng:", form, size=size, leading=lead)
            y = cv.field(x, y, w, f"{prefix[5]}{purpose_label}", purpose, size=size, leading=lead)
            y = cv.field(x, y, w, f"{prefix[6]}Thời hạn sử dụng:", term, size=size, leading=lead)
            y = cv.field(x, y, w, f"{prefix[7]}Nguồn gốc sử dụng:", origin, size=size, leading=lead)
        if not new:
            for item in ("2. Nhà ở:", "3. Công trình xây dựng khác:", "4. Rừng sản xuất là rừng trồng:",
                         "5. Cây lâu năm:"):
                cv.text(x, y, f"{item} -/-", size=size)
                y += lead
        y = cv.field(x, y, w, "Ghi chú:" if new else "6. Ghi chú:", "Không", size=size, leading=lead)
        y += lead * 0.6
        sign_block(cv, x + w * 0.66, y, size=size - 0.5, date_text=signer_date(issuer, issue, cv.rng),
                   office=issuer.office, name=signer, seal_ring=issuer.seal_ring if seal else None)
        page_number(cv, f"Trang 2/{n_pages}")

    def page3(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        size, lead, x, w = lay.size, lay.lead, lay.left, lay.width
        y = lay.top + 8
        y = cv.paragraph(x, y, w, "III. Sơ đồ thửa đất, nhà ở và tài sản khác gắn liền với đất", size=size,
                         style="bold", leading=lead)
        box_h = 95.0
        cv.rect(x, y - lead * 0.4, w, box_h, width=0.3)
        bx, by, bw, bh = x + w * 0.2, y + 12, w * 0.6, box_h - 30
        pts = [(cv.pxf(bx + px_ * bw), cv.pxf(by + py_ * bh)) for px_, py_ in shape]
        cv.draw.polygon(pts, outline=(20, 20, 20), width=max(1, cv.px(0.5)))
        for k in range(1, 12):
            t = k / 12
            cv.draw.line([(cv.pxf(bx + t * bw * 0.5), cv.pxf(by + bh * 0.35)),
                          (cv.pxf(bx + t * bw * 0.5 + bw * 0.2), cv.pxf(by + bh * 0.65))], fill=(120, 120, 120),
                         width=max(1, cv.px(0.15)))
        r = max(1, cv.px(0.8))
        for a in pts:
            cv.draw.ellipse((a[0] - r, a[1] - r, a[0] + r, a[1] + r), fill=(20, 20, 20))
        y += box_h + lead * 0.6
        y = cv.paragraph(x, y, w, "IV. Những thay đổi sau khi cấp Giấy chứng nhận", size=size, style="bold",
                         leading=lead)
        rows = [["Nội dung thay đổi và cơ sở pháp lý", "Xác nhận của cơ quan có thẩm quyền"]]
        rows += [[a, b] for a, b in changes]
        rows += [["", ""]] * (4 - len(changes))
        cv.table(x, y - lead * 0.6, [w * 0.62, w * 0.38], rows, size=size - 1, header_rows=1, min_row=14.0)
        page_number(cv, f"Trang 3/{n_pages}")

    def page4(cv: Canvas) -> None:
        lay = layout(cv, 12.5)
        size, lead, x, w = lay.size, lay.lead, lay.left, lay.width
        y = lay.top + 8
        y = cv.paragraph(x, y, w, "IV. Những thay đổi sau khi cấp Giấy chứng nhận (tiếp theo)", size=size,
                         style="bold", leading=lead)
        rows = [["Nội dung thay đổi và cơ sở pháp lý", "Xác nhận của cơ quan có thẩm quyền"]] + [["", ""]] * 5
        y = cv.table(x, y - lead * 0.6, [w * 0.62, w * 0.38], rows, size=size - 1, header_rows=1, min_row=16.0)
        y += lead * 1.5
        cv.text(x, y, "NGƯỜI ĐƯỢC CẤP GIẤY CHỨNG NHẬN CẦN CHÚ Ý", size=size, style="bold")
        y += lead
        notes = ("1. Giấy chứng nhận là chứng thư pháp lý xác lập quyền sử dụng đất, quyền sở hữu tài sản gắn "
                 "liền với đất hợp pháp của người được cấp Giấy chứng nhận.",
                 "2. Người được cấp Giấy chứng nhận không được sửa chữa, tẩy xóa hoặc bổ sung bất kỳ nội dung nào "
                 "trong Giấy chứng nhận; khi bị mất hoặc hư hỏng Giấy chứng nhận phải khai báo ngay với cơ quan "
                 "cấp Giấy.")
        for note in notes:
            y = cv.paragraph(x, y, w, note, size=size - 0.5, leading=lead)
        page_number(cv, f"Trang 4/{n_pages}")

    pages = (page1, page2, page3, page4)[:n_pages]
    return DocPlan("land_use_certificate", fields.freeze(), pages)
