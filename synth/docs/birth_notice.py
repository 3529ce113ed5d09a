"""The hospital's birth notice (Giấy chứng sinh), which a birth registration requires."""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, date_line, dmy, official_name, upper
from .base import DocPlan, FieldSet, Layout, header, layout, sign_block, tabbed, title

VARIANTS = 3  # 0: the mother's lines then "Đã sinh con vào lúc", 1: mother and child in two sections, 2: a copy
# ("BẢN SAO") of the older form with dotted leaders, the child first


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    mother, child, loc = world.wife, world.child, world.loc
    hospital = child.birth_loc.hospital
    number = rng.randint(10, 9999)
    book = rng.randint(1, 40)
    doctor = official_name(rng)
    signer = official_name(rng)
    weight = rng.randint(26, 40) * 100
    born_time = f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút"
    issued = child.birth + timedelta(days=rng.randint(1, 4))

    fields = FieldSet()
    fields.name("mother_name", mother.name)
    fields.digits("mother_id_number", mother.id_number)
    fields.date("child_date_of_birth", child.birth)
    fields.add("child_sex", child.sex)
    fields.name("child_name", child.name)

    def signatures(cv: Canvas, lay: Layout, y: float, head: str) -> None:
        """The midwife's signature left, the head of the hospital's right with its seal."""
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        sign_block(cv, x + w * 0.22, y + lead, size=size - 0.5, date_text=None, office=["NGƯỜI ĐỠ ĐẺ"],
                   note="(Ký, ghi rõ họ tên)", name=doctor)  # fmt: skip
        sign_block(cv, x + w * 0.72, y, size=size - 0.5, date_text=date_line(loc.short, issued), office=[head],
                   name=signer, seal_ring=f"{upper(hospital)} *" if seal else None)  # fmt: skip

    def lines(cv: Canvas) -> None:
        lay = layout(cv, 12.5)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(cv, lay, issuer=(f"SỞ Y TẾ {upper(loc.card_province)}", upper(hospital)), number=f"Số: {number}/GCS")
        y += lead
        y = title(cv, lay, y, ["GIẤY CHỨNG SINH"], size=size + 4)
        y += lead * 0.3
        y = cv.field(
            x,
            y,
            w,
            "Họ và tên bố, mẹ hoặc người nuôi dưỡng:",
            upper(mother.name),
            size=size,
            leading=lead,
            value_style="bold",
        )
        y = cv.field(x, y, w, "Năm sinh:", str(mother.birth.year), size=size, leading=lead)
        y = cv.field(x, y, w, "Số định danh cá nhân:", mother.id_number, size=size, leading=lead)
        y = cv.field(x, y, w, "Nơi đăng ký thường trú:", mother.residence.full(), size=size, leading=lead)
        y = cv.field(x, y, w, "Dân tộc:", mother.ethnicity, size=size, leading=lead)
        y = cv.field(x, y, w, "Đã sinh con vào lúc:", f"{born_time}, ngày {dmy(child.birth)}", size=size, leading=lead)
        y = cv.field(x, y, w, "Tại:", hospital, size=size, leading=lead)
        y = cv.field(x, y, w, "Số con trong lần sinh này:", "01", size=size, leading=lead)
        y = cv.field(x, y, w, "Giới tính của con:", child.sex, size=size, leading=lead)
        y = cv.field(x, y, w, "Cân nặng:", f"{weight // 1000}.{weight % 1000:03d} gam", size=size, leading=lead)
        y = cv.field(x, y, w, "Dự định đặt tên con:", upper(child.name), size=size, leading=lead)
        y += lead * 0.5
        signatures(cv, lay, y, "THỦ TRƯỞNG CƠ SỞ Y TẾ")

    def sections(cv: Canvas) -> None:
        lay = layout(cv, 12.0)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(
            cv,
            lay,
            issuer=(f"SỞ Y TẾ {upper(loc.card_province)}", upper(hospital)),
            number=f"Số: {number}",
            sub=(f"Quyển số: {book:02d}",),
        )
        y += lead
        y = title(
            cv, lay, y, ["GIẤY CHỨNG SINH", "(Dùng cho trẻ sinh ra tại cơ sở khám bệnh, chữa bệnh)"], size=size + 3
        )
        y += lead * 0.2
        cv.text(x, y, "I. THÔNG TIN VỀ MẸ", size=size, style="bold")
        y += lead
        y = cv.field(x, y, w, "Họ và tên mẹ:", upper(mother.name), size=size, leading=lead, value_style="bold")
        tabbed(cv, y, [(x, "Ngày sinh:", dmy(mother.birth)), (x + w * 0.5, "Dân tộc:", mother.ethnicity)], size=size)
        y += lead
        y = cv.field(x, y, w, "Số CCCD/Số định danh cá nhân:", mother.id_number, size=size, leading=lead)
        y = cv.field(x, y, w, "Nơi cư trú:", mother.residence.full(), size=size, leading=lead)
        y += lead * 0.3
        cv.text(x, y, "II. THÔNG TIN VỀ TRẺ", size=size, style="bold")
        y += lead
        y = cv.field(x, y, w, "Ngày, giờ sinh:", f"{dmy(child.birth)} lúc {born_time}", size=size, leading=lead)
        y = cv.field(x, y, w, "Nơi sinh:", hospital, size=size, leading=lead)
        tabbed(cv, y, [(x, "Giới tính:", child.sex), (x + w * 0.5, "Cân nặng:", f"{weight} gram")], size=size)
        y += lead
        y = cv.field(x, y, w, "Tên dự định đặt:", upper(child.name), size=size, leading=lead)
        y = cv.field(x, y, w, "Tình trạng trẻ khi sinh:", "Khỏe mạnh", size=size, leading=lead)
        y += lead * 0.5
        signatures(cv, lay, y, "GIÁM ĐỐC")

    def older(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(cv, lay, issuer=(f"SỞ Y TẾ {upper(loc.card_province)}", upper(hospital)), number=f"Số: {number}")
        y += lead * 0.6
        y = title(cv, lay, y, ["GIẤY CHỨNG SINH"], size=size + 5)
        cv.text(lay.center, y - lead * 0.2, "(BẢN SAO)", size=size, style="italic", align="center")
        y += lead
        y = cv.field(x, y, w, "Họ và tên con:", upper(child.name), size=size, leading=lead, leader=True)
        y = cv.field(x, y, w, "Sinh ngày:", dmy(child.birth), size=size, leading=lead, leader=True)
        tabbed(cv, y, [(x, "Giới tính:", child.sex), (x + w * 0.5, "Cân nặng:", f"{weight} gam")], size=size)
        y += lead
        y = cv.field(x, y, w, "Nơi sinh:", hospital, size=size, leading=lead, leader=True)
        y = cv.field(x, y, w, "Họ và tên mẹ:", upper(mother.name), size=size, leading=lead, leader=True)
        y = cv.field(x, y, w, "Năm sinh:", str(mother.birth.year), size=size, leading=lead, leader=True)
        y = cv.field(x, y, w, "Số định danh cá nhân:", mother.id_number, size=size, leading=lead, leader=True)
        y = cv.field(x, y, w, "Nơi thường trú:", mother.residence.full(), size=size, leading=lead, leader=True)
        y += lead * 0.5
        sign_block(cv, x + w * 0.7, y, size=size - 0.5, date_text=date_line(loc.short, issued),
                   office=["THỦ TRƯỞNG CƠ SỞ Y TẾ"], name=signer,
                   seal_ring=f"{upper(hospital)} *" if seal else None)  # fmt: skip

    return DocPlan("birth_notice", fields.freeze(), ((lines, sections, older)[variant],))
