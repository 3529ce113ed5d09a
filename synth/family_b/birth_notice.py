"""Family b: the hospital's birth notice (Giấy chứng sinh) as a ruled table, labels in the left column, the
child's details after the mother's."""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, official_name, upper
from .parts import PlanB, Truth, date_text, geometry, heading, masthead, pick, sign

VARIANTS = 1


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    mother, child, loc = world.wife, world.child, world.loc
    hospital = child.birth_loc.hospital
    number = rng.randint(100, 99999)
    signer = official_name(rng)
    midwife = official_name(rng)
    style = rng.randrange(3)
    issued = child.birth + timedelta(days=rng.randint(0, 3))
    mother_label = pick(rng, ("Họ tên mẹ", "Họ và tên người mẹ", "Mẹ (họ, chữ đệm, tên)"))
    id_label = pick(rng, ("Số định danh cá nhân của mẹ", "CCCD của mẹ", "Số căn cước của mẹ"))
    born_label = pick(rng, ("Con sinh ngày", "Ngày sinh của con", "Thời gian sinh"))
    sex_label = pick(rng, ("Giới tính con", "Giới tính của trẻ"))
    name_label = pick(rng, ("Tên dự kiến của con", "Dự kiến đặt tên"))
    truth = Truth()
    truth.name("mother_name", mother.name, mother_label)
    truth.digits("mother_id_number", mother.id_number, id_label)
    truth.date("child_date_of_birth", child.birth, born_label)
    truth.add("child_sex", child.sex, sex_label)
    truth.name("child_name", child.name, name_label)

    def render(cv: Canvas) -> None:
        g = geometry(cv, 12.0)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, (f"SỞ Y TẾ {upper(loc.card_province)}", upper(hospital)), f"Số: {number}/CS", style=1)
        y = heading(cv, g, y + lead * 0.5, ["GIẤY CHỨNG SINH"], size=size + 4)
        rows = [
            [mother_label, upper(mother.name)],
            ["Năm sinh của mẹ", str(mother.birth.year)],
            [id_label, mother.id_number],
            ["Nơi cư trú", mother.residence.full()],
            [born_label, date_text(child.birth, style)],
            ["Nơi sinh", hospital],
            [sex_label, child.sex],
            ["Cân nặng khi sinh", f"{rng_weight} gram"],
            [name_label, upper(child.name)],
        ]
        y = cv.table(x, y, [w * 0.36, w * 0.64], rows, size=size - 0.5) + lead
        for i, (head, who, when) in enumerate(
            (("NGƯỜI ĐỠ ĐẺ", midwife, None), ("GIÁM ĐỐC", signer, f"{loc.short}, {date_text(issued, 4)}"))
        ):
            sign(
                cv,
                x + w * (0.22 + 0.5 * i),
                y + (lead if i == 0 else 0),
                size=size - 0.5,
                when=when,
                titles=[head],
                name=who,
                ring=f"{upper(hospital)} *" if seal and i == 1 else None,
                width=w * 0.42,
            )

    rng_weight = rng.randint(2600, 4000)
    return truth.plan("birth_notice", (render,))
