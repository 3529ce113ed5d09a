"""Civil-status certificates: birth (Giấy khai sinh) and marriage (Giấy chứng nhận kết hôn)."""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, date_in_words, dmy, official_name, upper
from .base import DocPlan, FieldSet, column, header, layout, sign_block, signer_date, tabbed, title, ward_committee

BIRTH_VARIANTS = 3  # 0: 2016 form, 1: older form with dotted leaders, 2: copy with parents side by side
MARRIAGE_VARIANTS = 3  # 0: wife | husband columns, 1: husband | wife columns, 2: one column


def build_birth(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    child, mother, father = world.child, world.wife, world.husband
    reg_date = child.birth + timedelta(days=rng.randint(3, 55))
    reg_no = str(rng.randint(1, 480))
    book = f"{rng.randint(1, 3):02d}/{reg_date.year}"
    committee = ward_committee(world, rng)
    signer = official_name(rng)
    declarant = father if rng.random() < 0.75 else mother
    copy_day = max(reg_date, world.today - timedelta(days=rng.randint(1, 400)))
    place = child.birth_loc.hospital if rng.random() < 0.85 else f"Trạm Y tế {world.ward}"
    in_words = date_in_words(child.birth)

    fields = FieldSet()
    fields.name("full_name", child.name)
    fields.date("date_of_birth", child.birth)
    fields.add("sex", child.sex)
    fields.digits("personal_id", child.id_number)
    fields.name("mother_name", mother.name)
    fields.name("father_name", father.name)
    fields.add("mother_address", mother.residence.full())
    fields.add("father_address", father.residence.full())
    fields.add("registration_number", reg_no)
    fields.date("registration_date", reg_date)

    def render(cv: Canvas) -> None:
        lay = layout(cv, (13.0, 12.5, 13.0)[variant], spacing=cv.rng.uniform(1.3, 1.45))
        size, lead, x, w = lay.size, lay.lead, lay.left, lay.width
        leader = variant == 1
        name_label = "Họ và tên" if variant == 1 else "Họ, chữ đệm, tên"
        y = header(cv, lay, issuer=committee.header, number=f"Số: {reg_no}", sub=(f"Quyển số: {book}",))
        y += lead * 0.6
        y = title(cv, lay, y, ["GIẤY KHAI SINH"], size=size + 5)
        if variant == 2:
            cv.text(lay.center, y - lead * 0.2, "(BẢN SAO)", size=size, style="italic", align="center")
            y += lead
        y += lead * 0.3
        y = cv.field(x, y, w, f"{name_label}:", upper(child.name), size=size, leading=lead, value_style="bold",
                     leader=leader)
        y = cv.field(x, y, w, "Ngày, tháng, năm sinh:", f"{dmy(child.birth)} ghi bằng chữ: {in_words}", size=size,
                     leading=lead)
        tab2, tab3 = x + w * 0.36, x + w * 0.66
        tabbed(cv, y, [(x, "Giới tính:", child.sex), (tab2, "Dân tộc:", child.ethnicity),
                       (tab3, "Quốc tịch:", "Việt Nam")], size=size)
        y += lead
        y = cv.field(x, y, w, "Nơi sinh:", place, size=size, leading=lead, leader=leader)
        y = cv.field(x, y, w, "Quê quán:", child.origin, size=size, leading=lead, leader=leader)
        y = cv.field(x, y, w, "Số định danh cá nhân:", child.id_number, size=size, leading=lead, leader=leader)
        if variant == 2:
            half = w / 2 - 4
            items_m = [("Người mẹ", "", ""), ("Họ, chữ đệm, tên:", upper(mother.name), "below"),
                       ("Năm sinh:", str(mother.birth.year), "regular"), ("Dân tộc:", mother.ethnicity, "regular"),
                       ("Quốc tịch:", "Việt Nam", "regular"), ("Nơi cư trú:", mother.residence.full(), "regular")]
            items_f = [("Người cha", "", ""), ("Họ, chữ đệm, tên:", upper(father.name), "below"),
                       ("Năm sinh:", str(father.birth.year), "regular"), ("Dân tộc:", father.ethnicity, "regular"),
                       ("Quốc tịch:", "Việt Nam", "regular"), ("Nơi cư trú:", father.residence.full(), "regular")]
            y0 = y + lead * 0.3
            y1 = column(cv, x, y0, half, items_m, size=size, lead=lead)
            y2 = column(cv, x + w / 2 + 4, y0, half, items_f, size=size, lead=lead)
            y = max(y1, y2) + lead * 0.3
        else:
            for who, parent in (("mẹ", mother), ("cha", father)):
                y = cv.field(x, y, w, f"{name_label} người {who}:", upper(parent.name), size=size, leading=lead,
                             value_style="bold", leader=leader)
                tabbed(cv, y, [(x, "Năm sinh:", str(parent.birth.year)), (tab2, "Dân tộc:", parent.ethnicity),
                               (tab3, "Quốc tịch:", "Việt Nam")], size=size)
                y += lead
                y = cv.field(x, y, w, "Nơi cư trú:" if variant != 1 else "Nơi thường trú:",
                             parent.residence.full(), size=size, leading=lead, leader=leader)
        if variant != 2:
            ident = (f"CCCD số {declarant.id_number}" if reg_date.year >= 2016
                     else f"CMND số {declarant.old_id}")
            y = cv.field(x, y, w, f"{name_label} người đi khai sinh:", upper(declarant.name), size=size,
                         leading=lead, leader=leader)
            y = cv.field(x, y, w, "Giấy tờ tùy thân:", ident, size=size, leading=lead, leader=leader)
        y = cv.field(x, y, w, "Nơi đăng ký khai sinh:", committee.name, size=size, leading=lead, leader=leader)
        if variant != 1:
            y = cv.field(x, y, w, "Ngày, tháng, năm đăng ký:", dmy(reg_date), size=size, leading=lead)
        y += lead * 0.5
        if variant == 0:
            left_cx = x + w * 0.22
            right_cx = x + w * 0.72
            sign_block(cv, left_cx, y, size=size - 0.5, date_text=None, office=["NGƯỜI ĐI KHAI SINH"],
                       note="(Ký, ghi rõ họ, chữ đệm, tên)", name=declarant.name)
            sign_block(cv, right_cx, y, size=size - 0.5, date_text=None, office=["NGƯỜI KÝ GIẤY KHAI SINH"],
                       note="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)", name=f"{signer}",
                       seal_ring=committee.seal_ring if seal else None)
        elif variant == 1:
            sign_block(cv, x + w * 0.7, y, size=size - 0.5, date_text=signer_date(committee, reg_date, cv.rng),
                       office=committee.office, name=signer, seal_ring=committee.seal_ring if seal else None)
        else:
            cv.text(x, y, "Sao từ Sổ đăng ký khai sinh", size=size - 0.5, style="italic")
            sign_block(cv, x + w * 0.7, y + lead * 1.3, size=size - 0.5,
                       date_text=signer_date(committee, copy_day, cv.rng), office=committee.office, name=signer,
                       seal_ring=committee.seal_ring if seal else None)

    return DocPlan("birth_certificate", fields.freeze(), (render,))


def build_marriage(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    husband, wife = world.husband, world.wife
    reg_date = world.marriage_date
    reg_no = str(rng.randint(1, 260))
    book = f"{rng.randint(1, 2):02d}/{reg_date.year}"
    committee = ward_committee(world, rng)
    signer = official_name(rng)

    def ident(p_old: str, p_id: str) -> str:
        return f"CMND số {p_old}" if reg_date.year < 2016 else f"CCCD số {p_id}"

    fields = FieldSet()
    fields.name("wife_name", wife.name)
    fields.name("husband_name", husband.name)
    fields.date("wife_date_of_birth", wife.birth)
    fields.date("husband_date_of_birth", husband.birth)
    fields.add("registration_number", reg_no)
    fields.date("registration_date", reg_date)

    def render(cv: Canvas) -> None:
        lay = layout(cv, (13.0, 12.5, 13.0)[variant])
        size, lead, x, w = lay.size, lay.lead, lay.left, lay.width
        name_label = "Họ và tên:" if variant == 1 else "Họ, chữ đệm, tên:"
        y = header(cv, lay, issuer=committee.header, number=f"Số: {reg_no}", sub=(f"Quyển số: {book}",))
        y += lead * 0.6
        y = title(cv, lay, y, ["GIẤY CHỨNG NHẬN KẾT HÔN"], size=size + 4)
        y += lead * 0.4
        people = [("vợ", wife), ("chồng", husband)]
        if variant == 1:
            people.reverse()
        if variant in (0, 1):
            half = w / 2 - 4
            ends = []
            for i, (who, p) in enumerate(people):
                items = [(f"Thông tin người {who}", "", ""), (name_label, upper(p.name), "below"),
                         ("Ngày, tháng, năm sinh:", dmy(p.birth), "regular"), ("Dân tộc:", p.ethnicity, "regular"),
                         ("Quốc tịch:", "Việt Nam", "regular"), ("Nơi cư trú:", p.residence.full(), "regular"),
                         ("Giấy tờ tùy thân:", ident(p.old_id, p.id_number), "regular")]
                ends.append(column(cv, x + i * (w / 2 + 4), y, half, items, size=size - 0.5, lead=lead))
            y = max(ends) + lead * 0.4
        else:
            for who, p in people:
                y = cv.field(x, y, w, f"Họ, chữ đệm, tên người {who}:", upper(p.name), size=size, leading=lead,
                             value_style="bold")
                y = cv.field(x, y, w, "Ngày, tháng, năm sinh:", dmy(p.birth), size=size, leading=lead)
                tabbed(cv, y, [(x, "Dân tộc:", p.ethnicity), (x + w * 0.45, "Quốc tịch:", "Việt Nam")], size=size)
                y += lead
                y = cv.field(x, y, w, "Nơi cư trú:", p.residence.full(), size=size, leading=lead)
                y = cv.field(x, y, w, "Giấy tờ tùy thân:", ident(p.old_id, p.id_number), size=size, leading=lead)
                y += lead * 0.3
        y = cv.field(x, y, w, "Nơi đăng ký kết hôn:", committee.name, size=size, leading=lead)
        if variant != 1:
            y = cv.field(x, y, w, "Ngày, tháng, năm đăng ký:", dmy(reg_date), size=size, leading=lead)
        y += lead * 0.6
        small = size - 1.0
        for i, (who, p) in enumerate(people):
            sign_block(cv, x + w * (0.12 + 0.25 * i), y + lead, size=small, date_text=None,
                       office=[who.capitalize()], note="(Ký, ghi rõ họ tên)", name=p.name, gap=16.0,
                       max_width=w * 0.24)
        sign_block(cv, x + w * 0.76, y, size=small,
                   date_text=signer_date(committee, reg_date, cv.rng) if variant == 1 else None,
                   office=committee.office if variant == 1 else ["NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN"], name=signer,
                   seal_ring=committee.seal_ring if seal else None)

    return DocPlan("marriage_certificate", fields.freeze(), (render,))
