"""Family d: the commune's confirmation of marital status.

0: a grid of labelled cells (labels in capitals at the top of each cell), the ID in closed boxes, the status in
   a wide cell, "Mẫu số" and the office's phone in the head;
1: the confirmation told in aligned key/value lines with bold capital labels ("HỌ VÀ TÊN:", "NGÀY SINH:"),
   the values filled by hand, the person's name repeated before its caption in the signature line.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, pick
from ..vn import World, official_name, upper
from .common import PEN, aligned, cells, contact, digit_boxes, head, office, page, signer, title

VARIANTS = 2
STATUSES = ("Chưa đăng ký kết hôn với ai", "Không có đăng ký kết hôn", "Đã ly hôn, chưa kết hôn lại")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant if role != 1 else world.spouse
    body, place, ring, office_name = office(world, rng)
    day = world.today - timedelta(days=rng.randint(2, 80))
    number = f"{rng.randint(3, 900)}/UBND-XNHN"
    chief = official_name(rng)
    status = rng.choices(STATUSES, (5, 2, 1))[0]
    style = rng.randrange(5)
    if variant == 0:
        labels = ("HỌ VÀ TÊN NGƯỜI ĐƯỢC XÁC NHẬN", "SINH VÀO NGÀY", "MÃ SỐ ĐDCN", "TÌNH TRẠNG HÔN NHÂN", "")
    else:
        labels = ("CÔNG DÂN", "SINH NGÀY", "SỐ CCCD", "TÌNH TRẠNG", "")
    truth = Truth()
    truth.name("full_name", p.name, labels[0])
    truth.date("date_of_birth", p.birth, labels[1])
    truth.digits("personal_id", p.id_number, labels[2])
    truth.add("marital_status", status, labels[3])
    truth.date("issue_date", day, labels[4])
    purpose = pick(rng, ("Để đăng ký kết hôn", "Để bổ túc hồ sơ vay vốn", "Để làm thủ tục mua bán nhà đất"))

    def v0(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = head(cv, g, body, f"Số: {number}", style=0, form="Mẫu TP/HT-XNHN", extra=contact(cv.rng))
        y = title(cv, g, y + g.lead * 0.3, ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], size=g.size + 3)
        cv.text(x, y, f"{office_name} xác nhận:", size=g.size, style="italic", max_width=w)
        y += g.lead * 0.8
        y = cells(cv, g, x, y, w, [[(labels[0], upper(p.name)), ("GIỚI TÍNH", p.sex)],
                                   [(labels[1], date_text(p.birth, style)), ("DÂN TỘC", p.ethnicity),
                                    ("QUỐC TỊCH", "Việt Nam")],
                                   [("NƠI CƯ TRÚ", p.residence.full())]],
                  spans=[[0.72, 0.28], [0.44, 0.26, 0.3], [1.0]])
        y += g.lead * 1.1
        digit_boxes(cv, x, y, labels[2] + ":", p.id_number, size=g.size - 0.5, label_style="bold")
        y += g.lead * 1.2
        y = cells(cv, g, x, y, w, [[(labels[3], status)], [("MỤC ĐÍCH SỬ DỤNG", purpose)]])
        y += g.lead
        signer(cv, g, y, f"{place}, {date_text(day, 4)}", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
               chief, ring=ring if seal else None)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = head(cv, g, body, f"Số: {number}", style=1)
        y = title(cv, g, y, ["XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], size=g.size + 3.5)
        y = cv.paragraph(x, y, w, f"Xét đề nghị của công dân, {office_name} xác nhận:", size=g.size, leading=g.lead)
        y = aligned(cv, g, x + 4, y, w - 4, [(labels[0], upper(p.name)), (labels[1], date_text(p.birth, style)),
                                             ("GIỚI TÍNH", p.sex), (labels[2], p.id_number),
                                             ("NƠI CƯ TRÚ", p.residence.full()), (labels[3], status),
                                             ("MỤC ĐÍCH", purpose)],
                    tab=cv.rng.uniform(34.0, 40.0), caps=True, value_style="italic", value_color=PEN)
        y += g.lead * 0.5
        cv.text(x, y, "Giấy có giá trị 06 tháng kể từ ngày cấp.", size=g.size - 0.5, style="italic")
        y += g.lead * 1.3
        signer(cv, g, y, f"{place}, {date_text(day, 3)}", ("CHỦ TỊCH",), chief, ring=ring if seal else None)

    return truth.plan("marital_status_confirmation", ((v0, v1)[variant],))
