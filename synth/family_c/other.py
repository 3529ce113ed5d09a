"""Family c: papers that are none of the catalogue's types.

0: a land transfer contract ("HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT"): "Bên chuyển nhượng (Bên A)" and
   "Bên nhận chuyển nhượng (Bên B)", articles;
1: a company's letter of introduction ("GIẤY GIỚI THIỆU").
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, heading, pick
from ..vn import World, official_name, upper
from .common import leader, page, signer, top

VARIANTS = 2
FIRMS = ("CÔNG TY TNHH THƯƠNG MẠI HOÀNG PHÁT", "CÔNG TY CỔ PHẦN XÂY DỰNG MIỀN TRUNG", "CÔNG TY TNHH DỊCH VỤ AN BÌNH")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    a, b = world.stranger(rng), world.applicant
    day = world.today - timedelta(days=rng.randint(5, 200))
    firm = pick(rng, FIRMS)
    boss = official_name(rng)

    def contract(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, (), None, style=1)
        y = heading(cv, g, y, ["HỢP ĐỒNG CHUYỂN NHƯỢNG", "QUYỀN SỬ DỤNG ĐẤT"], size=g.size + 3)
        y = cv.paragraph(x, y, w, f"Hôm nay, {date_text(day, 3)}, tại {world.ward}, {world.loc.province}, chúng tôi "
                         "gồm có:", size=g.size, leading=g.lead, indent=6)
        for head, q in (("BÊN CHUYỂN NHƯỢNG (BÊN A):", a), ("BÊN NHẬN CHUYỂN NHƯỢNG (BÊN B):", b)):
            cv.text(x, y, head, size=g.size, style="bold")
            y += g.lead
            y = leader(cv, g, x + 5, y, w - 5, "Ông/Bà:", upper(q.name), value_style="bold")
            y = leader(cv, g, x + 5, y, w - 5, "Số định danh cá nhân:", q.id_number)
            y = leader(cv, g, x + 5, y, w - 5, "Thường trú tại:", q.residence.full())
        for k, text in enumerate(("Bên A chuyển nhượng cho Bên B toàn bộ quyền sử dụng thửa đất nêu trên.",
                                  "Giá chuyển nhượng do hai bên tự thỏa thuận và chịu trách nhiệm trước pháp luật.",
                                  "Hợp đồng được lập thành 04 bản có giá trị pháp lý như nhau."), start=1):
            y = cv.paragraph(x, y, w, f"Điều {k}. {text}", size=g.size, leading=g.lead)
        yy = y + g.lead
        for i, who in enumerate(("BÊN A", "BÊN B")):
            signer(cv, g, yy, None, (who,), upper((a, b)[i].name), at=0.25 + 0.5 * i)

    def letter(cv: Canvas) -> None:
        g = page(cv, 12.5)
        x, w = g.left, g.width
        y = top(cv, g, (firm,), f"Số: {cv.rng.randint(1, 300)}/GGT", style=0)
        y = heading(cv, g, y + g.lead * 0.4, ["GIẤY GIỚI THIỆU"], size=g.size + 4)
        y = cv.paragraph(x, y, w, f"{firm.capitalize()} trân trọng giới thiệu:", size=g.size, leading=g.lead)
        y = leader(cv, g, x, y, w, "Ông/Bà:", upper(b.name), value_style="bold")
        y = leader(cv, g, x, y, w, "Chức vụ:", pick(cv.rng, ("Nhân viên", "Trưởng phòng hành chính")))
        y = leader(cv, g, x, y, w, "Được cử đến:", f"Ủy ban nhân dân {world.ward}")
        y = leader(cv, g, x, y, w, "Về việc:", "Liên hệ công tác")
        y = cv.paragraph(x, y, w, "Đề nghị Quý cơ quan tạo điều kiện để người được giới thiệu hoàn thành nhiệm vụ.",
                         size=g.size, leading=g.lead)
        y = leader(cv, g, x, y, w, "Giấy này có giá trị đến hết ngày:", date_text(day + timedelta(days=30), 0))
        signer(cv, g, y + g.lead, f"{world.loc.short}, {date_text(day, 4)}", ("GIÁM ĐỐC",), boss,
               ring=f"{firm} *" if seal else None)

    return Truth().plan("other", ((contract, letter)[variant],))
