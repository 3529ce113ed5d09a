"""Family d: the citizen's application.

0: "TỜ KHAI" as a grid form: the ID number and the phone in rows of closed boxes, one digit a box, the other
   values in labelled cells; "Mẫu số 01" at the top, the file code and the page number beside it;
1: two columns, the requester on the left and the person authorised to collect the result on the right (a
   second name, ID and phone), each label in bold capitals on its line and the value filled by hand under it;
2: "ĐƠN …" with abbreviated labels and their colons aligned ("Họ tên", "Ng. sinh", "CMND/CCCD số", "Nơi ĐKTT",
   "ĐT"), the office's phone and fax in the head, the date after "Ngày nộp" and again in the signature line,
   the name first in the signature ("NGUYỄN VĂN AN (người khai)").
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, pick
from ..vn import World, birthday_at, format_phone, upper
from .common import (
    PEN,
    aligned,
    cells,
    contact,
    digit_boxes,
    head,
    label_over,
    office,
    page,
    page_number,
    signer,
    title,
)

VARIANTS = 3
REQUESTS = {
    "birth": ("đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH"),
    "marriage": ("đăng ký kết hôn", "ĐĂNG KÝ KẾT HÔN"),
    "diploma_copy": ("cấp bản sao bằng tốt nghiệp", "CẤP BẢN SAO BẰNG TỐT NGHIỆP"),
    "land": ("đăng ký đất đai, tài sản gắn liền với đất", "ĐĂNG KÝ ĐẤT ĐAI"),
    "certify": ("chứng thực bản sao", "CHỨNG THỰC BẢN SAO"),
}


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant
    other = world.spouse if rng.random() < 0.6 else world.stranger(rng)
    what, what_caps = REQUESTS[world.procedure]
    day = world.today - timedelta(days=rng.randint(0, 5))
    phone = format_phone(rng, p.phone)
    _, place, _, office_name = office(world, rng)
    style = rng.randrange(5)
    file_code = f"{rng.randint(100, 999)}.{rng.randint(10, 99)}.{rng.randint(10, 99)}.H{world.loc.code[1:]}"
    if variant == 0:
        labels = ("HỌ VÀ TÊN NGƯỜI KHAI", "SỐ THẺ CĂN CƯỚC", "NƠI CƯ TRÚ HIỆN NAY", "SỐ ĐIỆN THOẠI LIÊN LẠC",
                  "Ngày khai:")
    elif variant == 1:
        labels = ("HỌ VÀ TÊN ĐẦY ĐỦ", "MÃ ĐỊNH DANH CÁ NHÂN", "ĐỊA CHỈ THƯỜNG TRÚ", "ĐIỆN THOẠI LIÊN HỆ", "")
    else:
        labels = ("Họ tên", "CMND/CCCD số", "Nơi ĐKTT", pick(rng, ("ĐT", "SĐT", "ĐTDĐ")), "Ngày nộp")
    truth = Truth()
    truth.name("applicant_name", p.name, labels[0])
    truth.digits("applicant_id_number", p.id_number, labels[1])
    truth.add("applicant_address", p.residence.full(), labels[2])
    truth.digits("phone", p.phone, labels[3])
    truth.date("request_date", day, labels[4])
    to = pick(rng, (f"Kính gửi: {office_name}", f"Kính gửi: Trung tâm phục vụ hành chính công {world.ward}"))

    def v0(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        cv.text(g.right, g.top + 4.0, f"Mã hồ sơ: {file_code}   Trang 1/1", size=g.size - 2, style="italic",
                align="right")
        y = head(cv, g, (), None, style=1, form="Mẫu số 01")
        y = title(cv, g, y, [f"TỜ KHAI {what_caps}"], size=g.size + 3)
        cv.text(g.center, y, to, size=g.size, align="center", max_width=w)
        y += g.lead * 1.4
        y = cells(cv, g, x, y, w, [[(labels[0], upper(p.name))],
                                   [("NGÀY SINH", date_text(p.birth, 0)), ("GIỚI TÍNH", p.sex),
                                    ("DÂN TỘC", p.ethnicity)]], spans=[[1.0], [0.4, 0.25, 0.35]])
        y += g.lead * 1.1
        digit_boxes(cv, x, y, labels[1] + ":", p.id_number, size=g.size, label_style="bold")
        y += g.lead * 1.5
        y = cells(cv, g, x, y, w, [[(labels[2], p.residence.full())],
                                   [("NỘI DUNG YÊU CẦU", what[0].upper() + what[1:])]])
        y += g.lead * 1.1
        digit_boxes(cv, x, y, labels[3] + ":", p.phone, size=g.size, label_style="bold",
                    after=f"Email: {pick(rng_view, ('không', '.......'))}")
        y += g.lead * 1.6
        y = cv.paragraph(x, y, w, "Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
                         "pháp luật về cam đoan của mình.", size=g.size, leading=g.lead, indent=6)
        cv.text(x, y + g.lead * 0.3, f"{labels[4]} {date_text(day, 0)}", size=g.size)
        signer(cv, g, y + g.lead * 1.4, None, ("NGƯỜI KHAI",), upper(p.name), note="(ký, ghi rõ họ tên)")

    def v1(cv: Canvas) -> None:
        g = page(cv, 11.5)
        x, w = g.left, g.width
        y = head(cv, g, (), None, style=1)
        y = title(cv, g, y, ["PHIẾU ĐỀ NGHỊ", f"{what_caps}"], size=g.size + 3)
        cv.text(x + 10, y, to, size=g.size, max_width=w - 10)
        y += g.lead * 1.5
        half = w / 2 - 4
        heads = ("A. NGƯỜI ĐỀ NGHỊ", "B. NGƯỜI ĐƯỢC ỦY QUYỀN NHẬN KẾT QUẢ (nếu có)")
        cv.text(x, y, heads[0], size=g.size, style="bold", max_width=half, record=False)
        cv.text(x + half + 8, y, heads[1], size=g.size, style="bold", max_width=half, record=False)
        cv.record(" ".join(heads))
        y += g.lead * 1.3
        bottoms = []
        for i, q in enumerate((p, other)):
            xx, yy = x + i * (half + 8), y
            ph = phone if q is p else format_phone(cv.rng, q.phone)
            for label, value in ((labels[0], upper(q.name)), ("NGÀY SINH", date_text(q.birth, 0)),
                                 (labels[1], q.id_number), (labels[2], q.residence.full()), (labels[3], ph)):
                yy = label_over(cv, g, xx, yy, half, label, value, value_style="italic", value_color=PEN)
            bottoms.append(yy)
        y = max(bottoms) + g.lead * 0.5
        cv.text(x, y, f"Quan hệ với người đề nghị: {pick(rng_view, ('vợ/chồng', 'anh/chị/em', 'người quen'))}",
                size=g.size)
        y += g.lead * 1.4
        signer(cv, g, y, f"{place}, {date_text(day, 3 if style < 3 else style)}", ("NGƯỜI ĐỀ NGHỊ",), upper(p.name))

    def v2(cv: Canvas) -> None:
        g = page(cv, 12.5)
        x, w = g.left, g.width
        y = head(cv, g, (), None, style=0, extra=contact(cv.rng), form="Mẫu số 02/ĐN")
        y = title(cv, g, y, [f"ĐƠN ĐỀ NGHỊ {what_caps}"], size=g.size + 2.5)
        cv.text(x + 12, y, to, size=g.size, max_width=w - 12)
        y += g.lead * 1.4
        tab = cv.rng.uniform(32.0, 40.0)
        y = aligned(cv, g, x, y, w, [(labels[0], upper(p.name)), ("Ng. sinh", date_text(p.birth, 2)),
                                     (labels[1], p.id_number), ("Ngày cấp", date_text(issued_card, 0)),
                                     (labels[2], p.residence.full()), (labels[3], phone),
                                     ("Nội dung", f"Đề nghị {what}"),
                                     (labels[4], date_text(day, style if style < 3 else 0))],
                    tab=tab)
        y = cv.paragraph(x, y + g.lead * 0.4, w, "Kính mong Quý cơ quan xem xét, giải quyết. Xin chân thành cảm ơn.",
                         size=g.size, leading=g.lead, indent=8)
        signer(cv, g, y + g.lead * 0.5, f"{place}, {date_text(day, 4)}", ("NGƯỜI LÀM ĐƠN",),
               f"{upper(p.name)} (người khai)")
        page_number(cv, g, 1, 1)

    rng_view = random.Random(rng.random())
    issued_card = birthday_at(p.birth, min(30, world.today.year - 1 - p.birth.year))
    return truth.plan("application_form", ((v0, v1, v2)[variant],))
