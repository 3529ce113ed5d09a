"""Family c: the hospital's birth notice (Giấy chứng sinh).

0: dotted lines, the mother as "Bà mẹ" with her year of birth beside her name, the moment of birth in one line
   ("Thời điểm sinh: 08 giờ 30 phút, ngày …"), the child's sex ticked;
1: two blocks side by side, the mother's on the left and the newborn's on the right, labels above values.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, above, date_text, heading, pairs, pick
from ..vn import World, official_name, upper
from .common import choice_line, leader, page, signer, top

VARIANTS = 2


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    mother, child, loc = world.wife, world.child, world.loc
    hospital = child.birth_loc.hospital
    number = f"{rng.randint(1, 9999):04d}/{child.birth.year}"
    director = official_name(rng)
    style = rng.randrange(5)
    hour, minute = rng.randint(0, 23), rng.randrange(0, 60, 5)
    grams = rng.randint(2500, 4100)
    issued = child.birth + timedelta(days=rng.randint(1, 4))
    if variant == 0:
        labels = ("Bà mẹ:", "Số CCCD/Hộ chiếu của mẹ:", "Thời điểm sinh:", "Giới tính của trẻ:",
                  "Tên gọi dự kiến của trẻ:")
    else:
        labels = ("Họ, chữ đệm, tên người mẹ", "Giấy tờ tùy thân của mẹ (CCCD)", "Ngày, giờ sinh", "Trẻ là",
                  "Tên trẻ (nếu đã đặt)")
    truth = Truth()
    truth.name("mother_name", mother.name, labels[0])
    truth.digits("mother_id_number", mother.id_number, labels[1])
    truth.date("child_date_of_birth", child.birth, labels[2])
    truth.add("child_sex", child.sex, labels[3])
    truth.name("child_name", child.name, labels[4])
    written = rng.random() < 0.5
    moment = f"{hour:02d} giờ {minute:02d} phút, {date_text(child.birth, style)}"
    if style < 3:
        moment = f"{hour:02d} giờ {minute:02d} phút, ngày {date_text(child.birth, style)}"

    def v0(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, (f"SỞ Y TẾ {upper(loc.card_province)}", upper(hospital)), f"Số: {number}", style=0)
        y = heading(cv, g, y + g.lead * 0.4, ["GIẤY CHỨNG SINH"], size=g.size + 5)
        pairs(cv, x, y, w, [(labels[0], upper(mother.name)), ("Năm sinh:", str(mother.birth.year))], size=g.size)
        y += g.lead
        y = leader(cv, g, x, y, w, labels[1], mother.id_number)
        y = leader(cv, g, x, y, w, "Nơi đăng ký thường trú:", mother.residence.full())
        y = leader(cv, g, x, y, w, "Dân tộc:", mother.ethnicity)
        y = leader(cv, g, x, y, w, labels[2], moment)
        y = leader(cv, g, x, y, w, "Tại:", hospital)
        y = choice_line(cv, g, x, y, labels[3], ("Nam", "Nữ"), child.sex, written=written)
        y = leader(cv, g, x, y, w, "Cân nặng:", f"{grams} gam")
        y = leader(cv, g, x, y, w, labels[4], upper(child.name), value_style="bold")
        y += g.lead * 0.5
        signer(cv, g, y, None, ("NGƯỜI ĐỠ ĐẺ",), official_name(cv.rng), at=0.22)
        signer(cv, g, y - g.lead, f"{loc.short}, {date_text(issued, 4)}", ("THỦ TRƯỞNG CƠ SỞ Y TẾ",), director,
               ring=f"{upper(hospital)} *" if seal else None, at=0.74)

    def v1(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = top(cv, g, (upper(hospital),), f"Số: {number}", style=2)
        y = heading(cv, g, y, ["GIẤY CHỨNG SINH"], size=g.size + 5)
        half = w / 2 - 4
        cv.text(x, y, "THÔNG TIN NGƯỜI MẸ", size=g.size, style="bold")
        cv.text(x + w / 2 + 4, y, "THÔNG TIN TRẺ SƠ SINH", size=g.size, style="bold", record=False)
        y0 = y + g.lead * 1.2
        yy = above(cv, x, y0, half, labels[0], upper(mother.name), size=g.size, lead=g.lead)
        yy = above(cv, x, yy, half, "Năm sinh", str(mother.birth.year), size=g.size, lead=g.lead)
        yy = above(cv, x, yy, half, labels[1], mother.id_number, size=g.size, lead=g.lead)
        yy = above(cv, x, yy, half, "Nơi cư trú", mother.residence.full(), size=g.size, lead=g.lead)
        cv.record("THÔNG TIN TRẺ SƠ SINH")
        rx = x + w / 2 + 4
        zz = above(cv, rx, y0, half, labels[2], moment, size=g.size, lead=g.lead)
        zz = above(cv, rx, zz, half, labels[3], child.sex, size=g.size, lead=g.lead)
        zz = above(cv, rx, zz, half, "Cân nặng khi sinh", f"{grams} gam", size=g.size, lead=g.lead)
        zz = above(cv, rx, zz, half, labels[4], upper(child.name), size=g.size, lead=g.lead)
        y = max(yy, zz) + g.lead
        signer(cv, g, y, f"{pick(cv.rng, (loc.short, hospital))}, {date_text(issued, 3)}", ("GIÁM ĐỐC",), director,
               ring=f"{upper(hospital)} *" if seal else None)

    return truth.plan("birth_notice", ((v0, v1)[variant],))
