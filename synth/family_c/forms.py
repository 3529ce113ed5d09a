"""Family c: the citizen's application (đơn, tờ khai, phiếu yêu cầu).

0: "PHIẾU YÊU CẦU …" with numbered items naming the requester ("1. Họ, chữ đệm, tên người yêu cầu: …"), dotted
   leaders, the phone and the ID on one line;
1: "ĐƠN ĐỀ NGHỊ …", a ruled table with the labels in the left column ("Người đề nghị", …), the kind of request
   ticked, the date beside a label;
2: "ĐƠN …" written as a letter: "Tôi là …, sinh ngày …, …" with the values inside running sentences, the
   address at the end of its sentence, the date in the signature line.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, T, Truth, date_text, heading, inline, pairs, pick
from ..vn import World, format_phone, upper
from .common import choice_line, committee, leader, page, signer, top

VARIANTS = 3
REQUESTS = {
    "birth": ("đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH"),
    "marriage": ("đăng ký kết hôn", "ĐĂNG KÝ KẾT HÔN"),
    "diploma_copy": ("cấp bản sao văn bằng tốt nghiệp", "CẤP BẢN SAO VĂN BẰNG"),
    "land": ("đăng ký biến động đất đai", "ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI"),
    "certify": ("chứng thực bản sao từ bản chính", "CHỨNG THỰC BẢN SAO"),
}


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant
    what, title = REQUESTS[world.procedure]
    day = world.today - timedelta(days=rng.randint(0, 6))
    phone = format_phone(rng, p.phone)
    _, place, _, office_name = committee(world, rng)
    style = rng.randrange(5)
    to = pick(rng, (f"Kính gửi: {office_name}", f"Kính gửi: Trung tâm Phục vụ hành chính công {world.ward}"))
    truth = Truth()
    if variant == 0:
        who = pick(rng, ("người yêu cầu", "người đi đăng ký", "người có yêu cầu"))
        labels = (f"1. Họ, chữ đệm, tên {who}:", pick(rng, ("3. Số CCCD/Căn cước:", "3. Số giấy tờ tùy thân:",
                                                             "3. Số định danh cá nhân:")),
                  pick(rng, ("4. Chỗ ở hiện tại:", "4. Địa chỉ nhận kết quả:", "4. Nơi cư trú:")),
                  pick(rng, ("Số ĐT:", "ĐT liên hệ:", "Điện thoại:")), "")
    elif variant == 1:
        labels = ("Người đề nghị", "CCCD/Số định danh", "Địa chỉ liên hệ", "Di động", "Ngày nộp đơn:")
    else:
        labels = ("Tôi là", "số định danh cá nhân", "hiện cư trú tại", "điện thoại liên lạc", "")
    truth.name("applicant_name", p.name, labels[0])
    truth.digits("applicant_id_number", p.id_number, labels[1])
    truth.add("applicant_address", p.residence.full(), labels[2])
    truth.digits("phone", p.phone, labels[3])
    truth.date("request_date", day, labels[4])
    written = rng.random() < 0.5

    def v0(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = top(cv, g, (), None, style=1)
        y = heading(cv, g, y, [f"PHIẾU YÊU CẦU {title}"], size=g.size + 3)
        cv.text(g.center, y, to, size=g.size, align="center", max_width=w)
        y += g.lead * 1.4
        y = leader(cv, g, x, y, w, labels[0], upper(p.name), value_style="bold")
        y = leader(cv, g, x, y, w, "2. Ngày, tháng, năm sinh:", date_text(p.birth, 0))
        y = leader(cv, g, x, y, w, labels[1], p.id_number)
        y = leader(cv, g, x, y, w, labels[2], p.residence.full())
        pairs(cv, x, y, w, [("5. " + labels[3], phone), ("Email:", "không có")], size=g.size, value_style="regular")
        y += g.lead
        y = leader(cv, g, x, y, w, "6. Nội dung yêu cầu:", what[0].upper() + what[1:])
        y = leader(cv, g, x, y, w, "7. Số lượng bản sao:", f"{cv.rng.randint(1, 4):02d} bản")
        y = cv.paragraph(x, y + g.lead * 0.3, w, "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu "
                         "trách nhiệm trước pháp luật về lời khai của mình.", size=g.size, leading=g.lead, indent=6)
        signer(cv, g, y + g.lead * 0.5, f"{place}, {date_text(day, style if style >= 3 else 4)}",
               ("NGƯỜI YÊU CẦU",), upper(p.name), note="(Ký, ghi rõ họ, chữ đệm, tên)")

    def v1(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = top(cv, g, (), None, style=0)
        y = heading(cv, g, y + g.lead * 0.4, ["ĐƠN ĐỀ NGHỊ", f"V/v {what}"], size=g.size + 3)
        cv.text(x + 18, y, to, size=g.size, max_width=w - 18)
        y += g.lead * 1.3
        rows = [
            [labels[0], upper(p.name)],
            ["Ngày sinh", date_text(p.birth, 1)],
            [labels[1], p.id_number],
            [labels[2], p.residence.full()],
            [labels[3], phone],
        ]
        y = cv.table(x, y, [w * 0.32, w * 0.68], rows, size=g.size - 0.5) + g.lead
        y = choice_line(cv, g, x, y, "Hình thức nhận kết quả:", ("Trực tiếp", "Bưu chính", "Trực tuyến"),
                        pick(rng_view, ("Trực tiếp", "Bưu chính")), written=written)
        inline(cv, x, y, [T(labels[4] + " "), T(date_text(day, style if style < 3 else 0), "bold")], size=g.size)
        y += g.lead * 1.2
        signer(cv, g, y, None, ("NGƯỜI ĐỀ NGHỊ",), upper(p.name), note="(Ký và ghi rõ họ tên)")

    def v2(cv: Canvas) -> None:
        g = page(cv, 12.5)
        x, w = g.left, g.width
        y = top(cv, g, (), None, style=2)
        y = heading(cv, g, y, [f"ĐƠN XIN {title}"], size=g.size + 3)
        cv.text(x + 10, y, to, size=g.size, style="bold", max_width=w - 10)
        y += g.lead * 1.4
        first = (f"{labels[0]} {upper(p.name)}, sinh ngày {date_text(p.birth, 0)}, {labels[1]} {p.id_number}, "
                 f"{labels[3]} {phone}; {labels[2]} {p.residence.full()}.")
        y = cv.paragraph(x, y, w, first, size=g.size, leading=g.lead, indent=8)
        y = cv.paragraph(x, y, w, f"Nay tôi làm đơn này kính đề nghị Quý cơ quan giải quyết việc {what} cho tôi "
                         "theo quy định.", size=g.size, leading=g.lead, indent=8)
        y = cv.paragraph(x, y, w, "Tôi xin chân thành cảm ơn.", size=g.size, leading=g.lead, indent=8)
        signer(cv, g, y + g.lead * 0.5, f"{place}, {date_text(day, 3 if style < 3 else style)}", ("NGƯỜI LÀM ĐƠN",),
               upper(p.name))

    rng_view = random.Random(rng.random())
    return truth.plan("application_form", ((v0, v1, v2)[variant],))
