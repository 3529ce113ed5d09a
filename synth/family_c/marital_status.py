"""Family c: the commune's confirmation of marital status.

0: the confirmation told in one sentence ("… xác nhận: Ông/Bà …, sinh ngày …, số định danh cá nhân …"), the
   status on its own line, the date in the signature line;
1: numbered items in a ruled table, the labels in the left column (long ones wrap), the purpose and validity
   as pairs on one line.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, heading, pairs, pick
from ..vn import World, official_name, upper
from .common import committee, leader, page, signer, top

VARIANTS = 2
STATUSES = ("Chưa đăng ký kết hôn với ai", "Chưa đăng ký kết hôn", "Hiện tại chưa có vợ/chồng")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant if role != 1 else world.spouse
    body, place, ring, office_name = committee(world, rng)
    day = world.today - timedelta(days=rng.randint(3, 75))
    number = f"{rng.randint(3, 800)}/XN-HT"
    chief = official_name(rng)
    status = rng.choices(STATUSES, (4, 2, 1))[0]
    style = rng.randrange(5)
    title = "Ông" if p.sex == "Nam" else "Bà"
    if variant == 0:
        labels = (title, "sinh ngày", "số định danh cá nhân", "Tình trạng hôn nhân:", "")
    else:
        labels = ("1. Họ, chữ đệm, tên người được cấp giấy xác nhận", "2. Ngày, tháng, năm sinh",
                  "5. Giấy tờ tùy thân", "7. Tình trạng hôn nhân", "")
    truth = Truth()
    truth.name("full_name", p.name, labels[0])
    truth.date("date_of_birth", p.birth, labels[1])
    truth.digits("personal_id", p.id_number, labels[2])
    truth.add("marital_status", status, labels[3])
    truth.date("issue_date", day, labels[4])
    purpose = pick(rng, ("Đăng ký kết hôn", "Làm thủ tục đăng ký kết hôn", "Bổ sung hồ sơ"))

    def v0(cv: Canvas) -> None:
        g = page(cv, 12.5)
        x, w = g.left, g.width
        y = top(cv, g, body, f"Số: {number}", style=0)
        y = heading(cv, g, y + g.lead * 0.4, ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], size=g.size + 3)
        y = cv.paragraph(x, y, w, f"{office_name} xác nhận: {labels[0]} {upper(p.name)}, {labels[1]} "
                         f"{date_text(p.birth, style)}, giới tính {p.sex}, dân tộc {p.ethnicity}, quốc tịch Việt Nam, "
                         f"{labels[2]} {p.id_number}, nơi cư trú tại {p.residence.full()}.", size=g.size,
                         leading=g.lead, indent=8)
        y = cv.paragraph(x, y, w, f"Trong thời gian cư trú tại địa phương từ năm {p.birth.year + 18} đến nay.",
                         size=g.size, leading=g.lead, indent=8)
        y = leader(cv, g, x, y, w, labels[3], status, value_style="bold")
        y = leader(cv, g, x, y, w, "Giấy này được cấp để:", purpose)
        y = leader(cv, g, x, y, w, "Có giá trị sử dụng:", "06 tháng kể từ ngày cấp")
        signer(cv, g, y + g.lead * 0.5, f"{place}, {date_text(day, 4 if style < 4 else 3)}",
               ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), chief, ring=ring if seal else None)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, body, f"Số: {number}", style=2)
        y = heading(cv, g, y, ["XÁC NHẬN", "TÌNH TRẠNG HÔN NHÂN"], size=g.size + 4)
        rows = [
            [labels[0], upper(p.name)],
            [labels[1], date_text(p.birth, style if style < 3 else 0)],
            ["3. Giới tính", p.sex],
            ["4. Dân tộc, quốc tịch", f"{p.ethnicity}, Việt Nam"],
            [labels[2], f"Căn cước công dân số {p.id_number}"],
            ["6. Nơi cư trú", p.residence.full()],
            [labels[3], status],
        ]
        y = cv.table(x, y, [w * 0.36, w * 0.64], rows, size=g.size - 0.5) + g.lead
        pairs(cv, x, y, w, [("Mục đích:", purpose), ("Thời hạn:", "06 tháng")], size=g.size, value_style="regular")
        y += g.lead * 1.5
        signer(cv, g, y, f"{place}, {date_text(day, 4)}", ("CHỦ TỊCH",), chief, ring=ring if seal else None)

    return truth.plan("marital_status_confirmation", ((v0, v1)[variant],))
