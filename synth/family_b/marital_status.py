"""Family b: the confirmation of marital status (Giấy xác nhận tình trạng hôn nhân) from the commune, pairs on a
line and a ruled table (it was family b's "other" variant 1)."""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, official_name, upper
from .parts import PlanB, Truth, commune_office, date_text, geometry, heading, masthead, pairs, pick, sign

VARIANTS = 1


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant if role != 1 else world.spouse
    office = commune_office(world, rng)
    day = world.today - timedelta(days=rng.randint(2, 60))
    number = rng.randint(5, 700)
    signer = official_name(rng)
    status = "Chưa đăng ký kết hôn với ai"
    name_label = pick(rng, ("Người được xác nhận", "Họ tên công dân", "Họ, chữ đệm, tên"))
    born_label = pick(rng, ("Sinh ngày", "Ngày sinh đầy đủ", "Ngày, tháng, năm sinh"))
    status_label = pick(rng, ("Tình trạng hôn nhân hiện nay", "Hiện trạng hôn nhân", "Tình trạng hôn nhân"))
    truth = Truth()
    truth.name("full_name", p.name, name_label)
    truth.date("date_of_birth", p.birth, born_label)
    truth.digits("personal_id", p.id_number, "Giấy tờ tùy thân")
    truth.add("marital_status", status, status_label)
    truth.date("issue_date", day, "")

    def render(cv: Canvas) -> None:
        g = geometry(cv, 12.5)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, office.lines, f"Số: {number}/XNTTHN", style=0)
        y = heading(cv, g, y + lead * 0.5, ["GIẤY XÁC NHẬN", "TÌNH TRẠNG HÔN NHÂN"], size=size + 3)
        y = cv.paragraph(
            x,
            y,
            w,
            f"Xét đề nghị của ông/bà {upper(p.name)} về việc cấp Giấy xác nhận tình trạng hôn nhân,",
            size=size,
            leading=lead,
            indent=8,
        )
        cv.text(g.center, y, "XÁC NHẬN:", size=size, style="bold", align="center")
        y += lead
        rows = [
            [name_label, upper(p.name)],
            [born_label, date_text(p.birth, 0)],
            ["Giới tính / Dân tộc", f"{p.sex} / {p.ethnicity}"],
            ["Giấy tờ tùy thân", f"CCCD số {p.id_number}"],
            ["Nơi cư trú", p.residence.full()],
            [status_label, status],
        ]
        y = cv.table(x, y, [w * 0.34, w * 0.66], rows, size=size - 0.5) + lead
        pairs(
            cv,
            x,
            y,
            w,
            [("Mục đích sử dụng:", "Đăng ký kết hôn"), ("Có giá trị:", "06 tháng")],
            size=size,
            value_style="regular",
        )
        y += lead * 1.4
        sign(
            cv,
            x + w * 0.68,
            y,
            size=size - 0.5,
            when=f"{office.place}, {date_text(day, 4)}",
            titles=office.titles,
            name=signer,
            ring=office.ring if seal else None,
        )

    return truth.plan("marital_status_confirmation", (render,))
