"""Family c: birth and marriage certificates.

Birth: 0 "BẢN SAO GIẤY KHAI SINH" on dotted lines, several pairs on a line, the parents in a table whose header
row names them; 1 labels above values in two columns, the parents side by side, the registration told in a
closing sentence; 2 labels in a narrow left column (long ones wrap over two lines), sex ticked, numbered.
Marriage: 0 a table whose header row names husband and wife (either order), the registration on dotted lines;
1 one numbered block per spouse with pairs on a line, the registration inside a sentence.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, T, Truth, above, date_text, heading, inline, pairs, pick, split_label
from ..vn import Person, World, date_in_words, official_name, upper
from .common import choice_line, committee, leader, page, people_table, signer, top

BIRTH_VARIANTS = 3
MARRIAGE_VARIANTS = 2


def _reg_number(rng: random.Random, year: int, top_n: int) -> str:
    n = rng.randint(1, top_n)
    return pick(rng, (str(n), f"{n}/{year}", f"{n:02d}/{year}"))


def build_birth(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    child, mother, father = world.child, world.wife, world.husband
    reg_day = child.birth + timedelta(days=rng.randint(3, 55))
    reg_no = _reg_number(rng, reg_day.year, 640)
    book = f"{rng.randint(1, 6):02d}"
    body, place, ring, office_name = committee(world, rng)
    chief = official_name(rng)
    style = rng.randrange(5)
    born, registered = date_text(child.birth, style), date_text(reg_day, style)
    truth = Truth()
    if variant == 0:
        row_name = pick(rng, ("Họ tên đầy đủ", "Họ, chữ đệm, tên", "Tên gọi"))
        row_home = pick(rng, ("Chỗ ở hiện nay", "Nơi cư trú", "Địa chỉ"))
        labels = (pick(rng, ("Họ, chữ đệm, tên:", "Tên khai sinh đầy đủ:", "Người được khai sinh:")),
                  pick(rng, ("Ngày, tháng, năm sinh:", "Sinh vào ngày:", "Ngày sinh (dương lịch):")), "Giới tính:",
                  pick(rng, ("Số định danh cá nhân:", "Mã số định danh:", "ĐDCN:")), row_name, row_name, row_home,
                  row_home, "Số:", pick(rng, ("Ngày đăng ký:", "Đăng ký ngày:", "Ngày vào sổ:")))
    elif variant == 1:
        labels = ("Họ và tên người con", "Sinh ngày", "Giới tính", "Mã định danh", "Họ và tên mẹ", "Họ và tên cha",
                  "Nơi ở của mẹ", "Nơi ở của cha", "số đăng ký", "vào ngày")
    else:
        who = pick(rng, ("người được đăng ký khai sinh", "trẻ"))
        labels = (f"1. Họ, chữ đệm và tên của {who}:", "2. Ngày sinh:", "3. Giới tính:",
                  "4. Số định danh cá nhân của trẻ:", "6. Họ, chữ đệm và tên người mẹ:",
                  "9. Họ, chữ đệm và tên người cha:", "8. Nơi cư trú của mẹ:", "11. Nơi cư trú của cha:",
                  "Số đăng ký:", "Ngày, tháng, năm đăng ký:")
    truth.name("full_name", child.name, labels[0])
    truth.date("date_of_birth", child.birth, labels[1])
    truth.add("sex", child.sex, labels[2])
    truth.digits("personal_id", child.id_number, labels[3])
    truth.name("mother_name", mother.name, labels[4])
    truth.name("father_name", father.name, labels[5])
    truth.add("mother_address", mother.residence.full(), labels[6])
    truth.add("father_address", father.residence.full(), labels[7])
    truth.add("registration_number", reg_no, labels[8])
    truth.date("registration_date", reg_day, labels[9])
    written = rng.random() < 0.5

    def v0(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, body, f"Số: {reg_no}", style=0)
        cv.text(g.right, y - g.lead * 0.4, f"Quyển số: {book}", size=g.size - 1, align="right")
        y = heading(cv, g, y + g.lead * 0.6, ["BẢN SAO", "GIẤY KHAI SINH"], size=g.size + 4)
        y = leader(cv, g, x, y, w, labels[0], upper(child.name), value_style="bold")
        y = leader(cv, g, x, y, w, labels[1], born)
        y = leader(cv, g, x, y, w, "ghi bằng chữ:", date_in_words(child.birth))
        pairs(cv, x, y, w, [(labels[2], child.sex), ("Dân tộc:", child.ethnicity), ("Quốc tịch:", "Việt Nam")],
              size=g.size, value_style="regular")
        y += g.lead
        y = leader(cv, g, x, y, w, "Nơi sinh:", child.birth_loc.hospital + ", " + child.birth_loc.province)
        y = leader(cv, g, x, y, w, "Quê quán:", child.origin)
        y = leader(cv, g, x, y, w, labels[3], child.id_number, value_style="bold")
        y += g.lead * 0.3
        heads = ("Thông tin", "Người mẹ", "Người cha") if rng_order else ("Thông tin", "Người cha", "Người mẹ")
        pair = (mother, father) if rng_order else (father, mother)
        rows = [
            [labels[4], *(upper(q.name) for q in pair)],
            ["Năm sinh", *(str(q.birth.year) for q in pair)],
            ["Dân tộc", *(q.ethnicity for q in pair)],
            [labels[6], *(q.residence.full() for q in pair)],
        ]
        y = people_table(cv, g, y, heads, rows, first=0.24) + g.lead
        y = leader(cv, g, x, y, w, "Nơi đăng ký:", office_name)
        y = leader(cv, g, x, y, w, labels[9], registered)
        signer(cv, g, y + g.lead * 0.4, f"{place}, {date_text(world.today - timedelta(days=rng_days), 4)}",
               ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), chief, ring=ring if seal else None, note="(Ký, đóng dấu)")

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, body, None, style=2)
        y = heading(cv, g, y, ["GIẤY KHAI SINH"], size=g.size + 5)
        half = w / 2 - 3
        y0 = y
        y = above(cv, x, y, w, labels[0], upper(child.name), size=g.size, lead=g.lead)
        y1 = above(cv, x, y, half, labels[1], born, size=g.size, lead=g.lead)
        above(cv, x + w / 2, y, half, labels[2], child.sex, size=g.size, lead=g.lead)
        y = above(cv, x, y1, half, labels[3], child.id_number, size=g.size, lead=g.lead)
        y = above(cv, x, y, w, "Nơi sinh", child.birth_loc.hospital, size=g.size, lead=g.lead)
        del y0
        cv.text(x, y, "CHA, MẸ CỦA NGƯỜI ĐƯỢC KHAI SINH", size=g.size, style="bold")
        y += g.lead * 1.1
        left, right = (mother, father) if rng_order else (father, mother)
        tags = [(labels[4], labels[6]) if q is mother else (labels[5], labels[7]) for q in (left, right)]
        bottoms = []
        for i, (q, (nl, al)) in enumerate(zip((left, right), tags, strict=True)):
            yy = above(cv, x + i * w / 2, y, half, nl, upper(q.name), size=g.size, lead=g.lead)
            yy = above(cv, x + i * w / 2, yy, half, "Năm sinh", str(q.birth.year), size=g.size, lead=g.lead)
            yy = above(cv, x + i * w / 2, yy, half, al, q.residence.full(), size=g.size, lead=g.lead)
            bottoms.append(yy)
        y = max(bottoms) + g.lead * 0.3
        y = cv.paragraph(x, y, w, f"Đã đăng ký khai sinh tại {office_name}, {labels[8]} {reg_no}, quyển số {book}, "
                         f"{labels[9]} {registered}.", size=g.size, leading=g.lead, indent=6)
        signer(cv, g, y + g.lead * 0.5, f"{place}, {registered}", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), chief,
               ring=ring if seal else None)

    def v2(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        lw = w * cv.rng.uniform(0.3, 0.36)
        y = top(cv, g, body, f"Số: {reg_no}   Quyển số: {book}", style=2)
        y = heading(cv, g, y, ["GIẤY KHAI SINH", "(Bản chính)"], size=g.size + 3.5)
        y = split_label(cv, x, y, lw, w, labels[0], upper(child.name), size=g.size, lead=g.lead, value_style="bold")
        y = split_label(cv, x, y, lw, w, labels[1], f"{born} ({date_in_words(child.birth)})", size=g.size,
                        lead=g.lead)
        y = choice_line(cv, g, x, y, labels[2], ("Nam", "Nữ"), child.sex, written=written)
        y = split_label(cv, x, y, lw, w, labels[3], child.id_number, size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, "5. Nơi sinh:", child.birth_loc.hospital, size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, labels[4], upper(mother.name), size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, "7. Năm sinh của mẹ:", str(mother.birth.year), size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, labels[6], mother.residence.full(), size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, labels[5], upper(father.name), size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, "10. Năm sinh của cha:", str(father.birth.year), size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, labels[7], father.residence.full(), size=g.size, lead=g.lead)
        inline(cv, x, y, [T(labels[8] + " "), T(reg_no, "bold"), T("    " + labels[9] + " "), T(registered, "bold")],
               size=g.size, max_width=w)
        signer(cv, g, y + g.lead * 1.5, f"{place}, {registered}", ("TM. UBND", "CHỦ TỊCH"), chief,
               ring=ring if seal else None)

    rng_order = rng.random() < 0.5
    rng_days = rng.randint(1, 400)
    return truth.plan("birth_certificate", ((v0, v1, v2)[variant],))


def build_marriage(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    wife, husband = world.wife, world.husband
    day = world.marriage_date
    reg_no = _reg_number(rng, day.year, 300)
    book = f"{rng.randint(1, 4):02d}"
    body, place, ring, office_name = committee(world, rng)
    chief = official_name(rng)
    style = rng.randrange(5)
    when = date_text(day, style)
    husband_first = rng.random() < 0.5
    truth = Truth()
    if variant == 0:
        h_head, w_head = pick(rng, (("CHỒNG", "VỢ"), ("Bên chồng", "Bên vợ"), ("Anh", "Chị")))
        row_name = pick(rng, ("Họ, chữ đệm, tên", "Họ tên đầy đủ", "Tên gọi"))
        row_born = pick(rng, ("Ngày, tháng, năm sinh", "Sinh ngày, tháng, năm", "Năm sinh (ngày, tháng)"))
        labels = (row_name, row_name, row_born, row_born, "Số đăng ký kết hôn:", "Đăng ký ngày:")
    else:
        h_head = w_head = ""
        labels = ("2. Họ, chữ đệm, tên người vợ:", "1. Họ, chữ đệm, tên người chồng:", "Sinh ngày:", "Sinh ngày:",
                  "số", "ngày")
    truth.name("wife_name", wife.name, labels[0])
    truth.name("husband_name", husband.name, labels[1])
    truth.date("wife_date_of_birth", wife.birth, labels[2])
    truth.date("husband_date_of_birth", husband.birth, labels[3])
    truth.add("registration_number", reg_no, labels[4])
    truth.date("registration_date", day, labels[5])

    def v0(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, body, None, style=0)
        y = heading(cv, g, y + g.lead * 0.4, ["GIẤY CHỨNG NHẬN KẾT HÔN"], size=g.size + 4.5)
        order: tuple[tuple[str, Person], ...] = ((h_head, husband), (w_head, wife))
        if not husband_first:
            order = order[::-1]
        rows = [
            [labels[0], *(upper(q.name) for _, q in order)],
            [labels[2], *(date_text(q.birth, style) for _, q in order)],
            ["Dân tộc", *(q.ethnicity for _, q in order)],
            ["Quốc tịch", "Việt Nam", "Việt Nam"],
            ["Nơi cư trú", *(q.residence.full() for _, q in order)],
            ["Giấy tờ tùy thân", *(f"CCCD {q.id_number}" for _, q in order)],
        ]
        y = people_table(cv, g, y, ("", *(h for h, _ in order)), rows, first=0.27) + g.lead * 1.2
        y = leader(cv, g, x, y, w, "Nơi đăng ký kết hôn:", office_name)
        y = leader(cv, g, x, y, w, labels[4], f"{reg_no}", value_style="bold")
        y = leader(cv, g, x, y, w, "Quyển số:", book)
        y = leader(cv, g, x, y, w, labels[5], when)
        yy = y + g.lead
        cv.text(x + w * 0.15, yy, "Chồng", size=g.size, style="bold", align="center")
        cv.text(x + w * 0.35, yy, "Vợ", size=g.size, style="bold", align="center")
        cv.signature(x + w * 0.15, yy + 9, width=22)
        cv.signature(x + w * 0.35, yy + 9, width=22)
        signer(cv, g, y + g.lead * 0.4, f"{place}, {when}", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), chief,
               ring=ring if seal else None, at=0.74)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, body, f"Số: {cv.rng.randint(10, 900)}/TLKH-BS", style=2)
        y = heading(cv, g, y, ["GIẤY CHỨNG NHẬN KẾT HÔN", "(BẢN SAO)"], size=g.size + 3.5)
        order = ((labels[1], husband), (labels[0], wife))
        if not husband_first:
            order = ((labels[1].replace("1.", "2."), husband), (labels[0].replace("2.", "1."), wife))[::-1]
        for label, q in order:
            y = leader(cv, g, x, y, w, label, upper(q.name), value_style="bold")
            pairs(cv, x + 6, y, w - 6, [("Sinh ngày:", date_text(q.birth, style)), ("Dân tộc:", q.ethnicity),
                                        ("Quốc tịch:", "Việt Nam")], size=g.size, value_style="regular")
            y += g.lead
            y = cv.field(x + 6, y, w - 6, "Nơi cư trú:", q.residence.full(), size=g.size, leading=g.lead)
            y = cv.field(x + 6, y, w - 6, "Số định danh cá nhân:", q.id_number, size=g.size, leading=g.lead)
            y += g.lead * 0.3
        y = cv.paragraph(x, y, w, f"Đã đăng ký kết hôn tại {office_name}, {labels[4]} {reg_no}, quyển số {book}, "
                         f"{labels[5]} {when}.", size=g.size, leading=g.lead, indent=6)
        signer(cv, g, y + g.lead * 0.6, f"{place}, {date_text(world.today - timedelta(days=9), 3)}",
               ("TUQ. CHỦ TỊCH", "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH"), chief, ring=ring if seal else None)

    return truth.plan("marriage_certificate", ((v0, v1)[variant],))
