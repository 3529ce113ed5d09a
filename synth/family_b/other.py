"""Family b: other papers found in dossiers (no fields).

0: "GIẤY ỦY QUYỀN" (power of attorney), the two parties in labelled blocks, signatures side by side;
1: "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ" from the commune police, pairs on a line and the household as a ruled table.
(The confirmation of marital status that was variant 1 before issue 17 is a type of its own: marital_status.py.)
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
    rng.randint(5, 700), official_name(rng)  # drawn still, so that the seeds give the attorney as before
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

    def residence(cv: Canvas) -> None:
        g = geometry(cv, 12.5)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        police = (f"CÔNG AN {upper(world.loc.short)}", f"CÔNG AN {upper(world.ward)}")
        y = masthead(cv, g, police, f"Số: {rng_no}/XN-CA", style=1)
        y = heading(cv, g, y + lead * 0.5, ["XÁC NHẬN", "THÔNG TIN VỀ CƯ TRÚ"], size=size + 3)
        y = cv.paragraph(x, y, w, f"Theo đề nghị của công dân {upper(p.name)}, Công an {world.ward} xác nhận:",
                         size=size, leading=lead, indent=8)  # fmt: skip
        pairs(cv, x, y, w, [("Công dân:", upper(p.name)), ("Sinh ngày:", date_text(p.birth, 0))], size=size)
        y += lead
        y = cv.field(x, y, w, "Nơi thường trú:", p.residence.full(), size=size, leading=lead)
        rows = [["Họ tên", "Ngày sinh", "Quan hệ"]] + [
            [upper(m.name), date_text(m.birth, 0), rel]
            for m, rel in ((world.applicant, "Chủ hộ"), (world.spouse, "Vợ/chồng"), (world.child, "Con"))
        ]
        y = cv.table(x, y + lead * 0.3, [w * 0.46, w * 0.26, w * 0.28], rows, size=size - 1.0, header_rows=1) + lead
        sign(cv, x + w * 0.68, y, size=size - 0.5, when=f"{office.place}, {date_text(day, 4)}",
             titles=["TRƯỞNG CÔNG AN"], name=official_name(rng), ring=None)  # fmt: skip

    rng_no = rng.randint(10, 999)
    return Truth().plan("other", ((attorney, residence)[variant],))
