"""Family b: birth and marriage certificates.

Birth: 0 "TRÍCH LỤC KHAI SINH" with labels beside values, pairs on a line, sex as checkboxes, mother and father
in labelled blocks; 1 "GIẤY KHAI SINH" as ruled tables (labels in the left column, wrapped), one table per
person; 2 an older form with numbered items, each label above its value, registration in a closing sentence.
Marriage: 0 one table, labels in the left column and the two spouses in two columns ("Bên nữ" | "Bên nam",
"Vợ" | "Chồng", either order); 1 "TRÍCH LỤC KẾT HÔN", one block per spouse, labels above values.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import Person, World, date_in_words, official_name, upper
from .parts import (
    PlanB,
    T,
    Truth,
    above,
    commune_office,
    date_text,
    geometry,
    heading,
    inline,
    masthead,
    pairs,
    pick,
    sex_boxes,
    sign,
)

BIRTH_VARIANTS = 3
MARRIAGE_VARIANTS = 2


def _register_number(rng: random.Random, year: int, top: int) -> str:
    n = rng.randint(1, top)
    return pick(rng, (str(n), f"{n}/{year}", f"{n:03d}/{year}"))


def build_birth(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    child, mother, father = world.child, world.wife, world.husband
    reg_date = child.birth + timedelta(days=rng.randint(2, 50))
    reg_no = _register_number(rng, reg_date.year, 520)
    book = f"{rng.randint(1, 4):02d}"
    office = commune_office(world, rng)
    signer = official_name(rng)
    copy_day = max(reg_date, world.today - timedelta(days=rng.randint(1, 300)))
    extract_no = f"{rng.randint(10, 900)}/TLKS-BS"
    born_at = child.birth_loc.hospital
    style = rng.randrange(3)
    dob, reg_text = date_text(child.birth, style), date_text(reg_date, style)

    truth = Truth()
    name_label = pick(
        rng,
        (
            ("Tên khai sinh:", "Họ tên người được khai sinh:", "Họ và tên khai sinh:"),
            ("Họ, chữ đệm và tên của người được đăng ký khai sinh", "Tên khai sinh đầy đủ"),
            ("1. Họ và tên người được khai sinh", "1. Tên người được khai sinh"),
        )[variant],
    )
    dob_label = pick(
        rng,
        (
            ("Sinh ngày:", "Ngày tháng năm sinh:"),
            ("Ngày tháng năm sinh (bằng số)", "Sinh ngày"),
            ("2. Sinh ngày", "2. Ngày tháng năm sinh"),
        )[variant],
    )
    sex_label = ("Giới tính:", "Nam hay nữ", "3. Nam/Nữ")[variant]
    id_label = pick(
        rng,
        (
            ("Số định danh:", "Mã số định danh cá nhân:"),
            ("Mã định danh cá nhân", "Số định danh"),
            ("4. Mã số định danh", "4. Số định danh"),
        )[variant],
    )
    mother_label = ("Họ tên:", "Họ tên", "7. Họ và tên mẹ")[variant]
    father_label = ("Họ tên:", "Họ tên", "8. Họ và tên cha")[variant]
    no_label = ("Vào sổ đăng ký khai sinh số:", "Số vào sổ", "số đăng ký")[variant]
    day_label = ("Ngày ghi vào sổ:", "Ngày vào sổ", "Đã đăng ký khai sinh ngày")[variant]
    truth.name("full_name", child.name, name_label)
    truth.date("date_of_birth", child.birth, dob_label)
    truth.add("sex", child.sex, sex_label)
    truth.digits("personal_id", child.id_number, id_label)
    truth.name("mother_name", mother.name, mother_label)
    truth.name("father_name", father.name, father_label)
    for key, p, who in (("mother_address", mother, "mẹ"), ("father_address", father, "cha")):
        truth.add(key, p.residence.full(), ("Cư trú tại:", "Nơi cư trú", f"Năm sinh, nơi cư trú của {who}")[variant])
    truth.add("registration_number", reg_no, no_label)
    truth.date("registration_date", reg_date, day_label)
    mother_head = pick(rng, ("Thông tin về người mẹ", "PHẦN KHAI VỀ MẸ", "Mẹ"))
    father_head = {
        "Thông tin về người mẹ": "Thông tin về người cha",
        "PHẦN KHAI VỀ MẸ": "PHẦN KHAI VỀ CHA",
        "Mẹ": "Cha",
    }[mother_head]
    copy_word = rng.random() < 0.5

    def parent_block(
        cv: Canvas, x: float, y: float, w: float, size: float, lead: float, head: str, label: str, p: Person
    ) -> float:
        cv.text(x, y, head, size=size, style="bolditalic")
        y += lead
        y = cv.field(x + 5, y, w - 5, label, upper(p.name), size=size, leading=lead, value_style="bold")
        pairs(
            cv,
            x + 5,
            y,
            w - 5,
            [("Năm sinh:", str(p.birth.year)), ("Dân tộc:", p.ethnicity), ("Quốc tịch:", "Việt Nam")],
            size=size,
            value_style="regular",
        )
        y += lead
        return cv.field(x + 5, y, w - 5, "Cư trú tại:", p.residence.full(), size=size, leading=lead)

    def extract(cv: Canvas) -> None:
        g = geometry(cv, 12.5)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, office.lines, f"Số: {extract_no}", style=0)
        y = heading(cv, g, y + lead * 0.5, ["TRÍCH LỤC KHAI SINH", *(["(BẢN SAO)"] if copy_word else [])])
        y += lead * 0.3
        y = cv.field(x, y, w, name_label, upper(child.name), size=size + 0.5, leading=lead, value_style="bold")
        y = cv.field(x, y, w, dob_label, f"{dob} ({date_in_words(child.birth)})", size=size, leading=lead)
        inline(cv, x, y, [T(sex_label + " "), *sex_boxes(child.sex)], size=size, max_width=w)
        y += lead
        pairs(
            cv, x, y, w, [("Dân tộc:", child.ethnicity), ("Quốc tịch:", "Việt Nam")], size=size, value_style="regular"
        )
        y += lead
        y = cv.field(x, y, w, "Nơi sinh:", born_at, size=size, leading=lead)
        y = cv.field(x, y, w, id_label, child.id_number, size=size, leading=lead, value_style="bold")
        y += lead * 0.3
        y = parent_block(cv, x, y, w, size, lead, mother_head, mother_label, mother)
        y = parent_block(cv, x, y, w, size, lead, father_head, father_label, father)
        y += lead * 0.3
        y = cv.field(x, y, w, "Nơi đăng ký:", office.name, size=size, leading=lead)
        y = cv.field(x, y, w, no_label, reg_no, size=size, leading=lead)
        y = cv.field(x, y, w, day_label, reg_text, size=size, leading=lead)
        sign(
            cv,
            x + w * 0.7,
            y + lead * 0.5,
            size=size - 0.5,
            when=f"{office.place}, {date_text(copy_day, 4)}",
            titles=office.titles,
            name=signer,
            ring=office.ring if seal else None,
        )

    def tables(cv: Canvas) -> None:
        g = geometry(cv, 12.0, spacing=(1.25, 1.4))
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, office.lines, f"Quyển số: {book}", style=0)
        y = heading(cv, g, y + lead * 0.3, ["GIẤY KHAI SINH"], size=size + 6)
        cols = [w * 0.33, w * 0.67]
        rows = [
            [name_label, upper(child.name)],
            [dob_label, dob],
            ["Ngày sinh (bằng chữ)", date_in_words(child.birth)],
            [sex_label, child.sex],
            ["Dân tộc / Quốc tịch", f"{child.ethnicity} / Việt Nam"],
            ["Nơi sinh", born_at],
            [id_label, child.id_number],
        ]
        y = cv.table(x, y, cols, rows, size=size - 0.5) + lead
        for head, label, p in ((mother_head, mother_label, mother), (father_head, father_label, father)):
            cv.text(x, y, upper(head), size=size - 0.5, style="bold")
            y += lead * 0.4
            rows = [
                [label, upper(p.name)],
                ["Năm sinh", str(p.birth.year)],
                ["Dân tộc", p.ethnicity],
                ["Nơi cư trú", p.residence.full()],
            ]
            y = cv.table(x, y, cols, rows, size=size - 0.5) + lead
        rows = [["Nơi đăng ký khai sinh", office.name], [no_label, reg_no], [day_label, reg_text]]
        y = cv.table(x, y - lead * 0.4, cols, rows, size=size - 0.5) + lead
        sign(
            cv,
            x + w * 0.72,
            y,
            size=size - 0.5,
            when=None,
            titles=office.titles,
            name=signer,
            ring=office.ring if seal else None,
            space=cv.rng.uniform(16.0, 20.0),
        )

    def numbered(cv: Canvas) -> None:
        g = geometry(cv, 12.5, spacing=(1.2, 1.35))
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, office.lines, f"Quyển số: {book}/{reg_date.year}", style=1)
        y = heading(cv, g, y + lead * 0.2, ["GIẤY KHAI SINH"], size=size + 5)
        items = [
            (name_label, upper(child.name)),
            (dob_label, f"{dob}, tức {date_in_words(child.birth).lower()}"),
            (sex_label, child.sex),
            (id_label, child.id_number),
            ("5. Nơi sinh", born_at),
            ("6. Dân tộc, quốc tịch", f"{child.ethnicity}, Việt Nam"),
            (mother_label, upper(mother.name)),
            ("Năm sinh, nơi cư trú của mẹ", f"{mother.birth.year}, {mother.residence.full()}"),
            (father_label, upper(father.name)),
            ("Năm sinh, nơi cư trú của cha", f"{father.birth.year}, {father.residence.full()}"),
        ]
        for label, value in items:
            y = above(
                cv, x, y, w, label, value, size=size, lead=lead, value_style="bold" if value.isupper() else "regular"
            )
        y += lead * 0.2
        y = cv.paragraph(
            x,
            y,
            w,
            f"{day_label} {reg_text}, {no_label} {reg_no}, quyển số {book}, tại {office.name}.",
            size=size,
            leading=lead,
            indent=6,
        )
        sign(
            cv,
            x + w * 0.7,
            y + lead * 0.3,
            size=size - 0.5,
            when=None,
            titles=office.titles,
            name=signer,
            ring=office.ring if seal else None,
            space=cv.rng.uniform(16.0, 20.0),
        )

    return truth.plan("birth_certificate", ((extract, tables, numbered)[variant],))


def build_marriage(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    husband, wife = world.husband, world.wife
    reg_date = world.marriage_date
    reg_no = _register_number(rng, reg_date.year, 300)
    book = f"{rng.randint(1, 3):02d}"
    office = commune_office(world, rng)
    signer = official_name(rng)
    words = pick(rng, (("Bên nữ", "Bên nam"), ("Vợ", "Chồng"), ("Người vợ", "Người chồng")))
    wife_first = rng.random() < 0.5
    name_label = pick(rng, ("Họ tên", "Tên khai sinh", "Họ, tên")) if variant == 0 else "Họ tên:"
    dob_label = pick(rng, ("Sinh ngày", "Ngày tháng năm sinh")) if variant == 0 else "Sinh ngày:"
    no_label = pick(rng, ("Số vào sổ:", "Số đăng ký:"))
    day_label = pick(rng, ("Vào sổ ngày:", "Đăng ký kết hôn ngày:"))
    style = rng.randrange(3)
    dates = {id(p): date_text(p.birth, style) for p in (wife, husband)}
    reg_text = date_text(reg_date, style)
    rng_extract = rng.randint(10, 800)
    copy_day = max(reg_date, world.today - timedelta(days=rng.randint(1, 500)))

    truth = Truth()
    if variant == 0:
        truth.name("wife_name", wife.name, f"{name_label} ({words[0]})")
        truth.name("husband_name", husband.name, f"{name_label} ({words[1]})")
    else:
        truth.name("wife_name", wife.name, name_label)
        truth.name("husband_name", husband.name, name_label)
    truth.date("wife_date_of_birth", wife.birth, dob_label)
    truth.date("husband_date_of_birth", husband.birth, dob_label)
    truth.add("registration_number", reg_no, no_label)
    truth.date("registration_date", reg_date, day_label)

    def ident(p: Person) -> str:
        return f"CMND số {p.old_id}" if reg_date.year < 2016 else f"CCCD số {p.id_number}"

    order = [(words[0], wife), (words[1], husband)]
    if not wife_first:
        order.reverse()

    def one_table(cv: Canvas) -> None:
        g = geometry(cv, 12.5)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, office.lines, f"Quyển số: {book}", style=0)
        y = heading(cv, g, y + lead * 0.4, ["GIẤY CHỨNG NHẬN KẾT HÔN"], size=size + 4)
        cols = [w * 0.26, w * 0.37, w * 0.37]
        rows = [
            ["", order[0][0], order[1][0]],
            [name_label, upper(order[0][1].name), upper(order[1][1].name)],
            [dob_label, dates[id(order[0][1])], dates[id(order[1][1])]],
            ["Dân tộc", order[0][1].ethnicity, order[1][1].ethnicity],
            ["Quốc tịch", "Việt Nam", "Việt Nam"],
            ["Nơi thường trú", order[0][1].residence.full(), order[1][1].residence.full()],
            ["Giấy tờ tùy thân", ident(order[0][1]), ident(order[1][1])],
        ]
        y = cv.table(x, y, cols, rows, size=size - 0.5, header_rows=1, pad=1.8) + lead
        y = cv.field(x, y, w, "Nơi đăng ký:", office.name, size=size, leading=lead)
        pairs(cv, x, y, w, [(no_label, reg_no), (day_label, reg_text)], size=size)
        y += lead * 1.6
        small = size - 1.0
        for i, (who, p) in enumerate(order):
            sign(
                cv,
                x + w * (0.13 + 0.26 * i),
                y + lead,
                size=small,
                when=None,
                titles=[f"Chữ ký {who.lower()}"],
                name=p.name,
                space=14.0,
                width=w * 0.25,
            )
        sign(
            cv,
            x + w * 0.78,
            y,
            size=small,
            when=None,
            titles=office.titles,
            name=signer,
            ring=office.ring if seal else None,
            width=w * 0.4,
        )

    def blocks(cv: Canvas) -> None:
        g = geometry(cv, 12.5, spacing=(1.25, 1.45))
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, office.lines, f"Số: {rng_extract}/TLKH-BS", style=1)
        y = heading(cv, g, y + lead * 0.3, ["TRÍCH LỤC KẾT HÔN", "(Bản sao)"], size=size + 4)
        for who, p in order:
            cv.text(x, y, upper(who), size=size, style="bold", underline=True)
            y += lead * 1.1
            y = above(cv, x + 4, y, w - 4, name_label, upper(p.name), size=size, lead=lead)
            pairs(
                cv,
                x + 4,
                y,
                w - 4,
                [(dob_label, dates[id(p)]), ("Dân tộc:", p.ethnicity)],
                size=size,
                value_style="regular",
            )
            y += lead
            y = cv.field(x + 4, y, w - 4, "Nơi cư trú:", p.residence.full(), size=size, leading=lead)
            y = cv.field(x + 4, y, w - 4, "Giấy tờ:", ident(p), size=size, leading=lead) + lead * 0.3
        y = cv.field(x, y, w, "Đăng ký tại:", office.name, size=size, leading=lead)
        y = cv.field(x, y, w, no_label, f"{reg_no}, quyển số {book}", size=size, leading=lead)
        y = cv.field(x, y, w, day_label, reg_text, size=size, leading=lead)
        sign(
            cv,
            x + w * 0.7,
            y + lead * 0.4,
            size=size - 0.5,
            when=f"{office.place}, {date_text(copy_day, 3)}",
            titles=office.titles,
            name=signer,
            ring=office.ring if seal else None,
        )

    return truth.plan("marriage_certificate", ((one_table, blocks)[variant],))
