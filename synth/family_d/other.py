"""Family d: papers that are none of the catalogue's types.

0: a curriculum vitae ("SƠ YẾU LÝ LỊCH") as a grid of labelled cells, the photo box at the top left;
1: an invitation from the ward's office ("GIẤY MỜI") with aligned key/value lines.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text
from ..vn import World, official_name, upper
from .common import aligned, cells, head, office, page, signer, title

VARIANTS = 2


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.stranger(rng)
    day = world.today - timedelta(days=rng.randint(3, 150))
    body, place, ring, office_name = office(world, rng)
    chief = official_name(rng)

    def cv_sheet(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = head(cv, g, (), None, style=1, form="Mẫu 2C/TCTW-98")
        cv.rect(x, y - 2.0, 30.0, 40.0, width=0.3)
        cv.text(x + 15.0, y + 18.0, "Ảnh 4x6", size=g.size - 2, align="center")
        y = title(cv, g, y + 44.0, ["SƠ YẾU LÝ LỊCH"], size=g.size + 5)
        y = cells(cv, g, x, y, w, [[("HỌ VÀ TÊN KHAI SINH", upper(p.name)), ("NAM, NỮ", p.sex)],
                                   [("SINH NGÀY", date_text(p.birth, 0)), ("NƠI SINH", p.birth_loc.province)],
                                   [("QUÊ QUÁN", p.origin)], [("NƠI Ở HIỆN NAY", p.residence.full())],
                                   [("TRÌNH ĐỘ VĂN HÓA", "12/12"), ("NGHỀ NGHIỆP", "Lao động tự do")]],
                  spans=[[0.72, 0.28], [0.4, 0.6], [1.0], [1.0], [0.5, 0.5]])
        y += g.lead
        cv.text(x, y, "QUAN HỆ GIA ĐÌNH", size=g.size, style="bold")
        y += g.lead * 0.6
        y = cv.table(x, y, [w * 0.2, w * 0.45, w * 0.35], [["Quan hệ", "Họ và tên", "Năm sinh"],
                                                          ["Cha", upper(world.stranger(rng_view).name), "1960"],
                                                          ["Mẹ", upper(world.stranger(rng_view).name), "1963"]],
                     size=g.size - 0.5, header_rows=1) + g.lead * 1.2
        signer(cv, g, y, f"{place}, {date_text(day, 4)}", ("NGƯỜI KHAI",), upper(p.name))

    def invitation(cv: Canvas) -> None:
        g = page(cv, 12.5)
        x, w = g.left, g.width
        y = head(cv, g, body, f"Số: {cv.rng.randint(5, 400)}/GM-UBND", style=0)
        y = title(cv, g, y + g.lead * 0.3, ["GIẤY MỜI"], size=g.size + 5)
        y = aligned(cv, g, x, y, w, [("Kính mời", f"Ông/Bà {upper(p.name)}"), ("Địa chỉ", p.residence.full()),
                                     ("Thời gian", f"08 giờ 00, {date_text(day + timedelta(days=7), 4)}"),
                                     ("Địa điểm", f"Hội trường {office_name}"),
                                     ("Nội dung", "Giải quyết đơn kiến nghị về đất đai")], tab=30.0)
        y = cv.paragraph(x, y + g.lead * 0.5, w, "Khi đến mang theo giấy mời này và giấy tờ tùy thân.",
                         size=g.size, leading=g.lead, style="italic")
        signer(cv, g, y + g.lead, f"{place}, {date_text(day, 4)}", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), chief,
               ring=ring if seal else None)

    rng_view = random.Random(rng.random())
    return Truth().plan("other", ((cv_sheet, invitation)[variant],))
