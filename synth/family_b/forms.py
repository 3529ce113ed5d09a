"""Family b: forms citizens fill in.

0: "TỜ KHAI …" with numbered items naming the person by role ("3. Họ, chữ đệm, tên người nộp hồ sơ: …");
1: "ĐƠN …" in the first person ("Tôi tên là: …" with pairs and checkboxes, or one "Tôi là …" paragraph);
2: a boxed form: ruled grid, long labels wrapped in the left column, sex as checkboxes, the identity number
   as digits in the cells of a comb.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, format_phone, upper, ward_name
from .parts import (
    Piece,
    PlanB,
    T,
    Truth,
    box,
    date_text,
    digits,
    geometry,
    heading,
    inline,
    masthead,
    pairs,
    pick,
    piece_text,
    sex_boxes,
    sign,
)

VARIANTS = 3

SUBJECTS = {
    "birth": ("ĐĂNG KÝ KHAI SINH", "đăng ký khai sinh cho con là {child}, sinh ngày {cdob}"),
    "marriage": ("ĐĂNG KÝ KẾT HÔN", "đăng ký kết hôn với {spouse}, sinh ngày {sdob}"),
    "diploma_copy": ("CẤP BẢN SAO BẰNG TỐT NGHIỆP TỪ SỔ GỐC", "cấp 02 bản sao bằng tốt nghiệp THPT từ sổ gốc"),
    "land": (
        "ĐĂNG KÝ BIẾN ĐỘNG QUYỀN SỬ DỤNG ĐẤT",
        "đăng ký thay đổi thông tin người sử dụng đất trên giấy chứng nhận",
    ),
    "certify": ("CHỨNG THỰC BẢN SAO", "chứng thực 03 bản sao từ bản chính giấy khai sinh và căn cước"),
}
ROLES = ("người nộp hồ sơ", "người đứng tên", "người yêu cầu", "người đi đăng ký", "người đề nghị")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant
    day = world.today - timedelta(days=rng.randint(0, 8))
    phone = format_phone(rng, p.phone)
    subject, request = SUBJECTS[world.procedure]
    request = request.format(
        child=upper(world.child.name),
        cdob=date_text(world.child.birth, 0),
        spouse=upper(world.spouse.name),
        sdob=date_text(world.spouse.birth, 0),
    )
    to = pick(
        rng,
        (
            f"Ủy ban nhân dân {world.ward}",
            f"Trung tâm Phục vụ hành chính công {world.ward}",
            f"Bộ phận một cửa {world.ward}, {world.loc.province}",
        ),
    )
    place = pick(rng, (ward_name(world.ward), world.loc.short))
    when = f"{place}, {date_text(day, rng.choice((3, 4)))}"
    dob = date_text(p.birth, rng.randrange(3))
    role_word = pick(rng, ROLES)
    hand = rng.random() < 0.35
    vstyle, vcolor = ("italic", (35, 55, 150)) if hand else ("regular", None)
    title_word = "Ông" if p.sex == "Nam" else "Bà"
    signer = pick(rng, (p.name, upper(p.name)))
    ident_kind = "Căn cước" if day.year >= 2025 and rng.random() < 0.6 else "CCCD"

    if variant == 0:
        name_label = pick(
            rng, (f"1. Họ, chữ đệm, tên {role_word}:", f"1. {role_word.capitalize()}:", f"1. Họ tên {role_word}:")
        )
        id_label = pick(rng, ("3. Số định danh:", f"3. Số {ident_kind}:", "3. Căn cước số:"))
        phone_label = pick(rng, ("5. Điện thoại liên hệ:", "5. Số di động:", "5. SĐT liên hệ:"))
    elif variant == 1:
        name_label = pick(rng, ("Tôi tên là:", "Tôi là"))
        id_label = pick(rng, ("số định danh cá nhân", f"{ident_kind} số"))
        phone_label = pick(rng, ("điện thoại", "Điện thoại liên hệ:", "ĐT:"))
    else:
        name_label = f"Họ, chữ đệm và tên {role_word} (viết in hoa)"
        id_label = pick(rng, ("Số định danh cá nhân (12 số)", "Mã định danh"))
        phone_label = pick(rng, ("Điện thoại liên hệ", "Di động"))
    truth = Truth()
    truth.name("applicant_name", p.name, name_label)
    truth.digits("applicant_id_number", p.id_number, id_label)
    truth.digits("phone", p.phone, phone_label)
    address_label = ("4. Nơi ở hiện tại:", "cư trú tại" if name_label == "Tôi là" else "Hiện cư trú tại:", "Nơi cư trú")
    truth.add("applicant_address", p.residence.full(), address_label[variant])
    truth.date("request_date", day, "")
    first_person_paragraph = name_label == "Tôi là"
    signature_title = pick(rng, ("NGƯỜI YÊU CẦU", "NGƯỜI LÀM ĐƠN", "NGƯỜI KHAI", upper(role_word)))

    def top(cv: Canvas, g_size: float) -> tuple[float, float, float, float, float]:
        g = geometry(cv, g_size, spacing=(1.45, 1.7))
        y = masthead(cv, g, (), None, style=2, code=pick(cv.rng, (None, "Mẫu số 01", "Mẫu TK-01")) or None)
        kind = "TỜ KHAI" if variant == 0 else ("ĐƠN ĐỀ NGHỊ" if variant == 1 else "PHIẾU YÊU CẦU")
        y = heading(cv, g, y + g.lead * 0.3, [kind, subject], size=g.size + 2)
        kg = "Kính gửi:"
        kw = cv.width(kg + " ", g.size, "bold")
        cv.text(g.left + 20, y, kg, size=g.size, style="bold", record=False)
        cv.text(g.left + 20 + kw, y, to, size=g.size, record=False, max_width=g.width - 22 - kw)
        cv.record(f"{kg} {to}")
        return y + g.lead * 1.3, g.left, g.width, g.size, g.lead

    def closing(cv: Canvas, x: float, y: float, w: float, size: float, lead: float) -> None:
        y = cv.paragraph(
            x,
            y,
            w,
            "Tôi cam đoan nội dung khai trên đây là đúng sự thật, nếu sai tôi xin chịu trách nhiệm trước pháp luật.",
            size=size,
            leading=lead,
            indent=8,
        )
        sign(
            cv,
            x + w * 0.68,
            y + lead * 0.4,
            size=size,
            when=when,
            titles=[signature_title],
            note="(Ký và ghi rõ họ tên)",
            name=signer,
            width=w * 0.62,
        )

    def numbered(cv: Canvas) -> None:
        y, x, w, size, lead = top(cv, 12.5)
        value = upper(p.name) if "Họ" in name_label else f"{title_word} {upper(p.name)}"
        y = cv.field(
            x,
            y,
            w,
            name_label,
            value,
            size=size,
            leading=lead,
            value_style=vstyle if hand else "bold",
            value_color=vcolor,
        )
        pairs(
            cv,
            x,
            y,
            w,
            [("2. Sinh ngày:", dob), ("Giới tính:", p.sex), ("Dân tộc:", p.ethnicity)],
            size=size,
            value_style=vstyle,
            value_color=vcolor,
        )
        y += lead
        y = cv.field(x, y, w, id_label, p.id_number, size=size, leading=lead, value_style=vstyle, value_color=vcolor)
        y = cv.field(
            x,
            y,
            w,
            "4. Nơi ở hiện tại:",
            p.residence.full(),
            size=size,
            leading=lead,
            value_style=vstyle,
            value_color=vcolor,
        )
        y = cv.field(x, y, w, phone_label, phone, size=size, leading=lead, value_style=vstyle, value_color=vcolor)
        y = cv.field(
            x,
            y,
            w,
            "6. Nội dung đề nghị:",
            request[0].upper() + request[1:] + ".",
            size=size,
            leading=lead,
            value_style=vstyle,
            value_color=vcolor,
        )
        y = cv.field(
            x, y, w, "7. Giấy tờ nộp kèm:", "Bản sao giấy tờ tùy thân; giấy tờ liên quan.", size=size, leading=lead
        )
        closing(cv, x, y + lead * 0.3, w, size, lead)

    def first_person(cv: Canvas) -> None:
        y, x, w, size, lead = top(cv, 13.0)
        if first_person_paragraph:
            text = (
                f"Tôi là {upper(p.name)}, sinh ngày {dob}, {id_label} {p.id_number}, cư trú tại "
                f"{p.residence.full()}, {phone_label} {phone}."
            )
            y = cv.paragraph(x, y, w, text, size=size, leading=lead, indent=8)
        else:
            inline(
                cv,
                x,
                y,
                [
                    T(name_label + " "),
                    T(upper(p.name), "bold"),
                    T("     Giới tính: "),
                    *sex_boxes(p.sex, pick(cv.rng, (("Nam", "Nữ"), ("Nữ", "Nam")))),
                ],
                size=size,
                max_width=w,
            )
            y += lead
            pairs(
                cv,
                x,
                y,
                w,
                [("Sinh ngày:", dob), (f"{id_label[0].upper()}{id_label[1:]}:", p.id_number)],
                size=size,
                value_style=vstyle,
                value_color=vcolor,
            )
            y += lead
            y = cv.field(
                x,
                y,
                w,
                "Hiện cư trú tại:",
                p.residence.full(),
                size=size,
                leading=lead,
                value_style=vstyle,
                value_color=vcolor,
            )
            label = phone_label if phone_label.endswith(":") else phone_label.capitalize() + ":"
            y = cv.field(x, y, w, label, phone, size=size, leading=lead, value_style=vstyle, value_color=vcolor)
        y += lead * 0.3
        y = cv.paragraph(
            x,
            y,
            w,
            f"Nay tôi làm đơn này kính đề nghị Quý cơ quan xem xét, giải quyết việc {request}.",
            size=size,
            leading=lead,
            indent=8,
        )
        y = cv.paragraph(x, y, w, "Lý do: để hoàn thiện hồ sơ theo quy định.", size=size, leading=lead, indent=8)
        y = cv.paragraph(
            x,
            y,
            w,
            "Rất mong được sự quan tâm giải quyết. Tôi xin chân thành cảm ơn!",
            size=size,
            leading=lead,
            indent=8,
        )
        closing(cv, x, y + lead * 0.2, w, size, lead)

    def grid(
        cv: Canvas,
        x: float,
        y: float,
        w: float,
        rows: Sequence[tuple[str, list[Piece]]],
        *,
        size: float,
        lead: float,
        label_w: float,
    ) -> float:
        """A ruled grid: labels wrapped in the left column, value pieces in the right one."""
        cv.hline(x, x + w, y, width=0.3)
        top_y = y
        for label, pieces in rows:
            lines = cv.wrap(label, size=size - 0.5, style="regular", first_width=label_w - 3, width=label_w - 3)
            base = y + lead * 0.85
            for i, line in enumerate(lines):
                cv.text(x + 1.5, base + i * lead, line, size=size - 0.5, record=False)
            values = [" ".join(piece_text(q) for q in pieces)]
            if len(pieces) == 1 and pieces[0].kind == "text":  # a long value wraps in its cell
                one = pieces[0]
                values = cv.wrap(
                    one.text, size=size, style=one.style, first_width=w - label_w - 4, width=w - label_w - 4
                )
                for i, part in enumerate(values):
                    inline(
                        cv, x + label_w + 2, base + i * lead, [T(part, one.style, one.color)], size=size, record=False
                    )
            else:
                inline(cv, x + label_w + 2, base, pieces, size=size, max_width=w - label_w - 4, record=False)
            for i in range(max(len(lines), len(values))):
                cv.record(f"{lines[i] if i < len(lines) else ''} {values[i] if i < len(values) else ''}")
            y += lead * max(len(lines), len(values)) + lead * 0.35
            cv.hline(x, x + w, y, width=0.3)
        for vx in (x, x + label_w, x + w):
            cv.draw.line(
                [(cv.pxf(vx), cv.pxf(top_y)), (cv.pxf(vx), cv.pxf(y))], fill=(22, 22, 26), width=max(1, cv.px(0.3))
            )
        return y

    def boxed(cv: Canvas) -> None:
        y, x, w, size, lead = top(cv, 12.0)
        cv.text(x, y, f"I. THÔNG TIN VỀ {upper(role_word)}", size=size, style="bold")
        y += lead * 0.5
        rows = [
            (name_label, [T(upper(p.name), "bold")]),
            ("Ngày, tháng, năm sinh", [T(dob, vstyle, vcolor)]),
            ("Giới tính", sex_boxes(p.sex)),
            (id_label, [digits(p.id_number)]),
            ("Nơi cư trú", [T(p.residence.full(), vstyle, vcolor)]),
            (phone_label, [T(phone, vstyle, vcolor)]),
        ]
        y = grid(cv, x, y, w, rows, size=size, lead=lead, label_w=w * cv.rng.uniform(0.32, 0.38)) + lead
        cv.text(x, y, "II. NỘI DUNG YÊU CẦU", size=size, style="bold")
        y += lead
        y = cv.paragraph(
            x,
            y,
            w,
            request[0].upper() + request[1:] + ".",
            size=size,
            leading=lead,
            style=vstyle,
            color=vcolor or (22, 22, 26),
        )
        y += lead * 0.3
        ways = [
            q for opt in ("Trực tiếp", "Bưu chính", "Trực tuyến") for q in (box(opt == "Trực tiếp"), T(opt + "   "))
        ]
        inline(cv, x, y, [T("Hình thức nhận kết quả: "), *ways], size=size, max_width=w)
        y += lead * 1.4
        closing(cv, x, y, w, size, lead)

    return truth.plan("application_form", ((numbered, first_person, boxed)[variant],))
