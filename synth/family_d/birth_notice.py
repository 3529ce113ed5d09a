"""Family d: the hospital's birth notice (Giấy chứng sinh).

0: a grid of labelled cells in two bands, "BÀ MẸ" and "TRẺ SƠ SINH", the labels in capitals, the mother's ID
   number in closed boxes, the hospital's phone and "Mẫu số 1" in the head;
1: a key/value list with abbreviated labels and aligned colons ("Họ tên mẹ", "CMND/CCCD số", "Sinh lúc",
   "Giới tính con", "Dự định đặt tên"), the values filled by hand, a seal pressed over the last lines.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, pick
from ..vn import World, official_name, upper
from .common import PEN, aligned, cells, contact, digit_boxes, head, page, seal_over, signer, title

VARIANTS = 2


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    mother, child, loc = world.wife, world.child, world.loc
    hospital = child.birth_loc.hospital
    number = f"{rng.randint(1, 9999):05d}/CS"
    director = official_name(rng)
    style = rng.randrange(5)
    hour, minute = rng.randint(0, 23), rng.randrange(0, 60, 5)
    grams = rng.randint(2400, 4200)
    issued = child.birth + timedelta(days=rng.randint(1, 5))
    if variant == 0:
        labels = ("HỌ TÊN MẸ / NGƯỜI NUÔI DƯỠNG", "SỐ CCCD CỦA MẸ", "CON SINH NGÀY", "CON LÀ (TRAI/GÁI)",
                  "DỰ ĐỊNH ĐẶT TÊN")
    else:
        labels = ("Họ tên sản phụ", "CMND/CCCD số", "Sinh lúc", "Con trai/gái", "Dự định đặt tên")
    truth = Truth()
    truth.name("mother_name", mother.name, labels[0])
    truth.digits("mother_id_number", mother.id_number, labels[1])
    truth.date("child_date_of_birth", child.birth, labels[2])
    truth.add("child_sex", child.sex, labels[3])
    truth.name("child_name", child.name, labels[4])
    extra = contact(rng)

    def v0(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = head(cv, g, (f"SỞ Y TẾ {upper(loc.short)}", upper(hospital)), f"Số: {number}", style=0,
                 form="Mẫu số 1", extra=extra)
        y = title(cv, g, y + g.lead * 0.3, ["GIẤY CHỨNG SINH"], size=g.size + 5)
        cv.text(x, y, "I. BÀ MẸ", size=g.size, style="bold")
        y += g.lead * 0.6
        y = cells(cv, g, x, y, w, [[(labels[0], upper(mother.name)), ("NĂM SINH", str(mother.birth.year))],
                                   [("NƠI ĐĂNG KÝ THƯỜNG TRÚ", mother.residence.full())],
                                   [("DÂN TỘC", mother.ethnicity), ("SỐ CON TRONG LẦN SINH", "01")]],
                  spans=[[0.72, 0.28], [1.0], [0.5, 0.5]])
        y += g.lead * 1.1
        digit_boxes(cv, x, y, labels[1] + ":", mother.id_number, size=g.size - 0.5, label_style="bold")
        y += g.lead * 1.4
        cv.text(x, y, "II. TRẺ SƠ SINH", size=g.size, style="bold")
        y += g.lead * 0.6
        y = cells(cv, g, x, y, w, [[("GIỜ SINH", f"{hour:02d} giờ {minute:02d} phút"),
                                    (labels[2], date_text(child.birth, style))],
                                   [("NƠI SINH", hospital)],
                                   [(labels[3], child.sex), ("CÂN NẶNG", f"{grams} gram")],
                                   [(labels[4], upper(child.name))]],
                  spans=[[0.4, 0.6], [1.0], [0.5, 0.5], [1.0]])
        y += g.lead
        signer(cv, g, y, None, ("NGƯỜI ĐỠ ĐẺ",), official_name(cv.rng), at=0.22)
        signer(cv, g, y - g.lead, f"{loc.short}, {date_text(issued, 4)}", ("GIÁM ĐỐC",), director,
               ring=f"{upper(hospital)} *" if seal else None, at=0.74)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = head(cv, g, (upper(hospital),), f"Số: {number}", style=1)
        y = title(cv, g, y, ["GIẤY CHỨNG SINH"], size=g.size + 5)
        tab = cv.rng.uniform(34.0, 42.0)
        moment = f"{hour:02d}h{minute:02d}, {date_text(child.birth, style)}"
        y = aligned(cv, g, x, y, w, [(labels[0], upper(mother.name)), ("Năm sinh", str(mother.birth.year)),
                                     (labels[1], mother.id_number), ("Nơi ĐKTT", mother.residence.full()),
                                     ("Dân tộc", mother.ethnicity), (labels[2], moment), ("Tại", hospital),
                                     (labels[3], child.sex), ("Cân nặng", f"{grams} g"),
                                     (labels[4], upper(child.name))],
                    tab=tab, value_style="italic", value_color=PEN)
        if seal:
            seal_over(cv, x + w * cv.rng.uniform(0.5, 0.75), y - g.lead * 2.5, f"{upper(hospital)} *")
        y += g.lead
        signer(cv, g, y, f"{pick(cv.rng, (loc.short, world.ward))}, {date_text(issued, 3)}",
               ("THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH, CHỮA BỆNH",), director)

    return truth.plan("birth_notice", ((v0, v1)[variant],))
