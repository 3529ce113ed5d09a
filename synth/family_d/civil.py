"""Family d: birth and marriage certificates.

Birth: 0 a grid of ruled cells (the label small at the top of each cell, the value under it), the labels in
capitals, the parents in a row of cells each, "Mẫu số" and the office's phone in the head; 1 a key/value list
with the colons aligned and abbreviated labels ("Ng. sinh", "Số ĐDCN", "Nơi ĐKTT"), the mother's and the
father's lines side by side in two columns, "Trang 1/1" at the foot; 2 an older printed form filled by hand
(values in pen over the dots), the parents given as "TRẦN VĂN AN (cha)", their one address on its own line.
Marriage: 0 two columns, the wife's on one side and the husband's on the other (either order), labels
bilingual ("Họ, chữ đệm, tên / Full name"); 1 each value on a rule with its caption under it, the registration
number and date in the same way, a seal pressed over the last row.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, pick
from ..vn import Person, World, date_in_words, official_name, upper
from .common import (
    aligned,
    captioned,
    cells,
    contact,
    handwritten,
    head,
    office,
    page,
    page_number,
    seal_over,
    signer,
    title,
)

BIRTH_VARIANTS = 3
MARRIAGE_VARIANTS = 2


def _reg_number(rng: random.Random, year: int, top_n: int) -> str:
    n = rng.randint(1, top_n)
    return pick(rng, (f"{n}/{year}", str(n), f"{n:03d}/{year}"))


def build_birth(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    child, mother, father = world.child, world.wife, world.husband
    reg_day = child.birth + timedelta(days=rng.randint(2, 58))
    reg_no = _reg_number(rng, reg_day.year, 720)
    book = f"{rng.randint(1, 8):02d}/{reg_day.year}"
    body, place, ring, office_name = office(world, rng)
    chief = official_name(rng)
    style = rng.randrange(5)
    born, registered = date_text(child.birth, style), date_text(reg_day, style)
    same_home = mother.residence == father.residence
    if variant == 0:
        labels = ("TÊN NGƯỜI ĐƯỢC ĐĂNG KÝ", "SINH NGÀY, THÁNG, NĂM", "NAM/NỮ", "MÃ ĐỊNH DANH CỦA TRẺ", "TÊN MẸ",
                  "TÊN CHA", "CHỖ Ở CỦA MẸ", "CHỖ Ở CỦA CHA", "SỐ VÀO SỔ", "NGÀY VÀO SỔ ĐĂNG KÝ")
    elif variant == 1:
        labels = ("Họ tên", "Ng. sinh", "Giới", "ĐDCN số", "Mẹ", "Cha", "Nơi ĐKTT", "Nơi ĐKTT", "Số ĐK", "Ngày ĐK")
    else:
        labels = ("Khai sinh cho:", "Sinh vào:", "Trai/gái:", "Số định danh của con:", "(mẹ)", "(cha)",
                  "Nơi cư trú của cha mẹ:" if same_home else "Mẹ cư trú tại:",
                  "Nơi cư trú của cha mẹ:" if same_home else "Cha cư trú tại:", "Số sổ:", "Vào sổ ngày")
    truth = Truth()
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
    order_mf = rng.random() < 0.5
    form = pick(rng, ("Mẫu số 01/HT", "Mẫu TP/HT-KS", "Mẫu số 02"))
    extra = contact(rng)

    def v0(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = head(cv, g, body, f"Số: {reg_no}", style=0, form=form, extra=extra)
        y = title(cv, g, y + g.lead * 0.3, ["GIẤY KHAI SINH"], size=g.size + 5)
        rows = [
            [(labels[0], upper(child.name))],
            [(labels[1], born), (labels[2], child.sex), ("DÂN TỘC", child.ethnicity)],
            [("GHI BẰNG CHỮ", date_in_words(child.birth))],
            [("NƠI SINH", f"{child.birth_loc.hospital}, {child.birth_loc.province}"), (labels[3], child.id_number)],
            [("QUÊ QUÁN", child.origin), ("QUỐC TỊCH", "Việt Nam")],
        ]
        parents = [(mother, labels[4], labels[6]), (father, labels[5], labels[7])]
        if not order_mf:
            parents = parents[::-1]
        for q, nl, al in parents:
            rows.append([(nl, upper(q.name)), ("NĂM SINH", str(q.birth.year))])
            rows.append([(al, q.residence.full())])
        rows.append([(labels[8], reg_no), ("QUYỂN SỐ", book), (labels[9], registered)])
        spans = [[1.0], [0.44, 0.24, 0.32], [1.0], [0.6, 0.4], [0.7, 0.3]] + [[0.72, 0.28], [1.0]] * 2 + \
            [[0.3, 0.3, 0.4]]
        y = cells(cv, g, x, y, w, rows, spans=spans) + g.lead * 1.2
        signer(cv, g, y, f"{place}, {date_text(world.today - timedelta(days=rng_days), 4)}",
               ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), chief, ring=ring if seal else None)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = head(cv, g, body, f"Số: {cv.rng.randint(10, 900)}/TLKS-BS", style=1, form=form)
        y = title(cv, g, y, ["TRÍCH LỤC KHAI SINH", "(BẢN SAO)"], size=g.size + 3.5)
        tab = cv.rng.uniform(30.0, 38.0)
        y = aligned(cv, g, x, y, w, [(labels[0], upper(child.name)), (labels[1], born),
                                     ("Bằng chữ", date_in_words(child.birth)), (labels[2], child.sex),
                                     ("Dân tộc", child.ethnicity), ("Nơi sinh", child.birth_loc.hospital),
                                     ("Quê quán", child.origin), (labels[3], child.id_number)], tab=tab)
        y += g.lead * 0.4
        half = w / 2 - 3
        left, right = (mother, father) if order_mf else (father, mother)
        tops = []
        for i, q in enumerate((left, right)):
            nl, al = (labels[4], labels[6]) if q is mother else (labels[5], labels[7])
            yy = aligned(cv, g, x + i * (half + 6), y, half, [(nl, upper(q.name)), ("Năm sinh", str(q.birth.year)),
                                                               (al, q.residence.full())], tab=24.0)
            tops.append(yy)
        y = max(tops) + g.lead * 0.4
        y = aligned(cv, g, x, y, w, [("Nơi đăng ký", office_name), (labels[8], f"{reg_no}   Quyển số: {book}"),
                                     (labels[9], registered)], tab=tab)
        signer(cv, g, y + g.lead * 0.5, f"{place}, {date_text(world.today - timedelta(days=rng_days), 3)}",
               ("TUQ. CHỦ TỊCH", "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH"), chief, ring=ring if seal else None)
        page_number(cv, g, 1, 1)

    def v2(cv: Canvas) -> None:
        g = page(cv, 12.5)
        x, w = g.left, g.width
        y = head(cv, g, body, f"Số: {reg_no}", style=0)
        y = title(cv, g, y + g.lead * 0.3, ["GIẤY KHAI SINH"], size=g.size + 6)
        y = handwritten(cv, g, x, y, w, labels[0], upper(child.name))
        y = handwritten(cv, g, x, y, w, labels[1], f"{born} ({date_in_words(child.birth)})")
        y = handwritten(cv, g, x, y, w, labels[2], child.sex)
        y = handwritten(cv, g, x, y, w, "Dân tộc:", child.ethnicity)
        y = handwritten(cv, g, x, y, w, "Nơi sinh:", child.birth_loc.hospital)
        y = handwritten(cv, g, x, y, w, labels[3], child.id_number)
        cv.text(x, y, "Họ tên cha, mẹ:", size=g.size)
        y += g.lead * 1.1
        for q, tag in ((father, labels[5]), (mother, labels[4])) if order_mf else ((mother, labels[4]),
                                                                                  (father, labels[5])):
            y = handwritten(cv, g, x + 8, y, w - 8, "", f"{upper(q.name)} {tag}, sinh năm {q.birth.year}",
                            dots=False)
        if same_home:
            y = handwritten(cv, g, x, y, w, labels[6], mother.residence.full())
        else:
            y = handwritten(cv, g, x, y, w, labels[6], mother.residence.full())
            y = handwritten(cv, g, x, y, w, labels[7], father.residence.full())
        y = handwritten(cv, g, x, y, w, labels[8], f"{reg_no}, quyển {book}")
        y = handwritten(cv, g, x, y, w, labels[9], registered)
        signer(cv, g, y + g.lead * 0.5, f"{place}, {registered}", ("CHỦ TỊCH",), chief, ring=ring if seal else None)

    rng_days = rng.randint(1, 500)
    return truth.plan("birth_certificate", ((v0, v1, v2)[variant],))


def build_marriage(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    wife, husband = world.wife, world.husband
    day = world.marriage_date
    reg_no = _reg_number(rng, day.year, 280)
    book = f"{rng.randint(1, 5):02d}"
    body, place, ring, office_name = office(world, rng)
    chief = official_name(rng)
    style = rng.randrange(5)
    when = date_text(day, style)
    wife_first = rng.random() < 0.5
    if variant == 0:
        labels = ("Họ, chữ đệm, tên / Full name", "Họ, chữ đệm, tên / Full name", "Ngày sinh / Date of birth",
                  "Ngày sinh / Date of birth", "Số / No.", "Ngày đăng ký / Date of registration")
    else:
        labels = ("(họ, chữ đệm, tên người vợ)", "(họ, chữ đệm, tên người chồng)", "(ngày sinh của vợ)",
                  "(ngày sinh của chồng)", "(số đăng ký)", "(ngày, tháng, năm đăng ký)")
    truth = Truth()
    truth.name("wife_name", wife.name, labels[0])
    truth.name("husband_name", husband.name, labels[1])
    truth.date("wife_date_of_birth", wife.birth, labels[2])
    truth.date("husband_date_of_birth", husband.birth, labels[3])
    truth.add("registration_number", reg_no, labels[4])
    truth.date("registration_date", day, labels[5])

    def v0(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = head(cv, g, body, None, style=0, extra=contact(cv.rng))
        y = title(cv, g, y + g.lead * 0.3, ["GIẤY CHỨNG NHẬN KẾT HÔN", "CERTIFICATE OF MARRIAGE"], size=g.size + 3.5)
        cv.text(x, y, f"{labels[4]}: {reg_no}        Quyển số / Book No.: {book}", size=g.size, style="bold")
        y += g.lead * 1.5
        half = w / 2 - 4
        sides: list[tuple[str, Person, str, str]] = [("VỢ / WIFE", wife, labels[0], labels[2]),
                                                    ("CHỒNG / HUSBAND", husband, labels[1], labels[3])]
        if not wife_first:
            sides = sides[::-1]
        for i, (headline, _, _, _) in enumerate(sides):
            cv.text(x + i * (half + 8) + half / 2, y, headline, size=g.size, style="bold", align="center",
                    record=False)
        cv.record(" ".join(s[0] for s in sides))
        y += g.lead * 1.2
        bottoms = []
        for i, (_, q, nl, dl) in enumerate(sides):
            xx = x + i * (half + 8)
            yy = y
            for label, value, bold in ((nl, upper(q.name), True), (dl, date_text(q.birth, style), False),
                                       ("Dân tộc / Ethnicity", q.ethnicity, False),
                                       ("Quốc tịch / Nationality", "Việt Nam", False),
                                       ("Nơi cư trú / Place of residence", q.residence.full(), False),
                                       ("Giấy tờ tùy thân / ID", f"CCCD số {q.id_number}", False)):
                cv.text(xx, yy, label + ":", size=g.size - 1.5, style="italic", max_width=half)
                yy += g.lead * 0.9
                for part in cv.wrap(value, size=g.size, style="bold" if bold else "regular", first_width=half - 3,
                                    width=half - 3):
                    cv.text(xx + 3, yy, part, size=g.size, style="bold" if bold else "regular")
                    yy += g.lead
            bottoms.append(yy)
        y = max(bottoms) + g.lead * 0.5
        cv.text(x, y, f"Nơi đăng ký / Place of registration: {office_name}", size=g.size, max_width=w)
        y += g.lead
        cv.text(x, y, f"{labels[5]}: {when}", size=g.size, max_width=w)
        y += g.lead * 1.3
        cv.text(x + w * 0.13, y, "Vợ", size=g.size, style="bold", align="center", record=False)
        cv.text(x + w * 0.33, y, "Chồng", size=g.size, style="bold", align="center", record=False)
        cv.record("Vợ Chồng")
        cv.signature(x + w * 0.13, y + 9, width=20)
        cv.signature(x + w * 0.33, y + 9, width=20)
        signer(cv, g, y - g.lead * 0.8, f"{place}, {when}", ("TM. UBND", "CHỦ TỊCH"), chief,
               ring=ring if seal else None, at=0.76)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = head(cv, g, body, f"Số: {cv.rng.randint(10, 700)}/BS-KH", style=1, form="Mẫu số 03/KH")
        y = title(cv, g, y, ["GIẤY CHỨNG NHẬN KẾT HÔN"], size=g.size + 4.5)
        y = cv.paragraph(x, y, w, f"{office_name} chứng nhận hai người có tên dưới đây đã đăng ký kết hôn:",
                         size=g.size, leading=g.lead, style="italic")
        y += g.lead * 0.6
        half = w / 2 - 3
        pairs_ = [((upper(wife.name), labels[0]), (date_text(wife.birth, style), labels[2])),
                  ((upper(husband.name), labels[1]), (date_text(husband.birth, style), labels[3]))]
        if not wife_first:
            pairs_ = pairs_[::-1]
        for (name, nc), (born, bc) in pairs_:
            captioned(cv, x, y, half * 1.2, name, nc, size=g.size + 1, value_style="bold")
            yy = captioned(cv, x + half * 1.2 + 6, y, w - half * 1.2 - 6, born, bc, size=g.size + 1,
                           value_style="regular")
            cv.lines[-4:] = [f"{name} {born}", f"{nc} {bc}"]
            y = yy
        yy = captioned(cv, x, y, w, office_name, "(nơi đăng ký kết hôn)", size=g.size, value_style="regular")
        captioned(cv, x, yy, w * 0.3, reg_no, labels[4], size=g.size + 1)
        captioned(cv, x + w * 0.32, yy, w * 0.2, book, "(quyển số)", size=g.size + 1)
        y = captioned(cv, x + w * 0.55, yy, w * 0.45, when, labels[5], size=g.size + 1)
        cv.lines[-6:] = [f"{reg_no} {book} {when}", f"{labels[4]} (quyển số) {labels[5]}"]
        if seal:
            seal_over(cv, x + w * 0.55 + cv.rng.uniform(5.0, 25.0), yy - 2.0, ring)
        signer(cv, g, y + g.lead * 0.4, f"{place}, {date_text(world.today - timedelta(days=12), 4)}",
               ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), chief)

    return truth.plan("marriage_certificate", ((v0, v1)[variant],))
