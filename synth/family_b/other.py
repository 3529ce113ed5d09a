"""Family b: other papers found in dossiers (no fields).

0: "GIẤY ỦY QUYỀN" (power of attorney), the two parties in labelled blocks, signatures side by side;
1: "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN" from the commune, pairs on a line and a ruled table.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import Person, World, official_name, upper
from .parts import PlanB, Truth, commune_office, date_text, geometry, heading, masthead, pairs, sign

VARIANTS = 2


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant if role != 1 else world.spouse
    agent = world.stranger(rng)
    office = commune_office(world, rng)
    day = world.today - timedelta(days=rng.randint(2, 60))
    number = rng.randint(5, 700)
    signer = official_name(rng)
    matter = (
        "thay mặt tôi nộp hồ sơ, nhận kết quả giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành "
        f"chính công {world.ward}"
    )

    def party(cv: Canvas, x: float, y: float, w: float, size: float, lead: float, head: str, who: Person) -> float:
        cv.text(x, y, head, size=size, style="bold")
        y += lead
        y = cv.field(x + 5, y, w - 5, "Ông/Bà:", upper(who.name), size=size, leading=lead, value_style="bold")
        pairs(
            cv,
            x + 5,
            y,
            w - 5,
            [("Sinh ngày:", date_text(who.birth, 0)), ("Số định danh:", who.id_number)],
            size=size,
            value_style="regular",
        )
        y += lead
        return cv.field(x + 5, y, w - 5, "Địa chỉ:", who.residence.full(), size=size, leading=lead)

    def attorney(cv: Canvas) -> None:
        g = geometry(cv, 13.0)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, (), None, style=2)
        y = heading(cv, g, y + lead * 0.4, ["GIẤY ỦY QUYỀN"], size=size + 4)
        y = cv.paragraph(x, y, w, "Hôm nay, tại nơi cư trú, chúng tôi gồm:", size=size, leading=lead, indent=8)
        y = party(cv, x, y, w, size, lead, "BÊN ỦY QUYỀN (Bên A):", p) + lead * 0.3
        y = party(cv, x, y, w, size, lead, "BÊN ĐƯỢC ỦY QUYỀN (Bên B):", agent) + lead * 0.3
        y = cv.paragraph(
            x, y, w, f"Nội dung ủy quyền: Bên A ủy quyền cho Bên B {matter}.", size=size, leading=lead, indent=8
        )
        y = cv.paragraph(
            x,
            y,
            w,
            "Thời hạn ủy quyền: kể từ ngày ký đến khi hoàn thành công việc được ủy quyền.",
            size=size,
            leading=lead,
            indent=8,
        )
        y = cv.paragraph(
            x,
            y,
            w,
            "Hai bên cam kết chịu trách nhiệm trước pháp luật về nội dung ủy quyền này.",
            size=size,
            leading=lead,
            indent=8,
        )
        cv.text(
            g.right,
            y + lead * 0.2,
            f"{office.place}, {date_text(day, 3)}",
            size=size - 0.5,
            style="italic",
            align="right",
        )
        y += lead * 1.4
        for i, (head, who) in enumerate((("BÊN ỦY QUYỀN", p), ("BÊN ĐƯỢC ỦY QUYỀN", agent))):
            sign(
                cv,
                x + w * (0.22 + 0.56 * i),
                y,
                size=size - 0.5,
                when=None,
                titles=[head],
                note="(Ký, ghi rõ họ tên)",
                name=who.name,
                width=w * 0.42,
            )

    def marital(cv: Canvas) -> None:
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
            ["Họ, chữ đệm, tên", upper(p.name)],
            ["Ngày, tháng, năm sinh", date_text(p.birth, 0)],
            ["Giới tính / Dân tộc", f"{p.sex} / {p.ethnicity}"],
            ["Giấy tờ tùy thân", f"CCCD số {p.id_number}"],
            ["Nơi cư trú", p.residence.full()],
            ["Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai"],
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

    return Truth().plan("other", ((attorney, marital)[variant],))
