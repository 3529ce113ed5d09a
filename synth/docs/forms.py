"""Forms citizens fill in: "Đơn đề nghị …" and "Tờ khai …", one or two pages."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, date_line, dmy, format_phone, upper, ward_name
from .base import DocPlan, FieldSet, Layout, header, layout, page_number, sign_block, tabbed, title, value_ink

VARIANTS = 3  # 0: "Đơn" with numbered lines, 1: "Tờ khai" with dotted leaders, 2: two-page "Đơn"

COMMITMENT = ("Tôi xin cam đoan những nội dung khai trên đây là đúng sự thật và chịu hoàn toàn trách nhiệm "
              "trước pháp luật về cam đoan của mình.")


def _topic(world: World, rng: random.Random) -> tuple[str, str, str, str, list[str]]:
    """(title for an "Đơn", title for a "Tờ khai", addressee, request, attachments)."""
    ward_body = f"Ủy ban nhân dân {world.ward}, {world.loc.province}"
    child, spouse = world.child, world.spouse
    proc = world.procedure
    if proc == "birth":
        return ("ĐƠN ĐỀ NGHỊ ĐĂNG KÝ KHAI SINH", "TỜ KHAI ĐĂNG KÝ KHAI SINH", ward_body,
                f"Đề nghị cơ quan đăng ký khai sinh cho người có tên dưới đây: {upper(child.name)}, "
                f"sinh ngày {dmy(child.birth)}, giới tính {child.sex}, nơi sinh {child.birth_loc.hospital}.",
                ["Giấy chứng sinh (bản chính)", "Bản sao Giấy chứng nhận kết hôn",
                 "Bản sao Căn cước công dân của cha, mẹ"])
    if proc == "marriage":
        return ("ĐƠN ĐỀ NGHỊ ĐĂNG KÝ KẾT HÔN", "TỜ KHAI ĐĂNG KÝ KẾT HÔN", ward_body,
                f"Đề nghị đăng ký kết hôn với Ông/Bà {upper(spouse.name)}, sinh ngày {dmy(spouse.birth)}, "
                f"số định danh cá nhân {spouse.id_number}, nơi cư trú {spouse.residence.full()}.",
                ["Bản sao Căn cước công dân của hai bên", "Giấy xác nhận tình trạng hôn nhân"])
    if proc == "diploma_copy":
        copies = rng.randint(1, 4)
        return ("ĐƠN ĐỀ NGHỊ CẤP BẢN SAO VĂN BẰNG, CHỨNG CHỈ TỪ SỔ GỐC",
                "TỜ KHAI ĐỀ NGHỊ CẤP BẢN SAO BẰNG TỐT NGHIỆP",
                f"Sở Giáo dục và Đào tạo {world.loc.card_province}",
                f"Đề nghị cấp bản sao Bằng tốt nghiệp trung học phổ thông từ sổ gốc. Số lượng bản sao đề nghị "
                f"cấp: {copies:02d} bản. Mục đích sử dụng: bổ sung hồ sơ xin việc.",
                ["Bản sao Căn cước công dân", "Bản sao Bằng tốt nghiệp (nếu có)"])
    if proc == "land":
        return ("ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
                "TỜ KHAI ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
                f"Văn phòng đăng ký đất đai {world.loc.province}",
                "Đề nghị đăng ký biến động quyền sử dụng đất do thay đổi thông tin về người sử dụng đất "
                "(cấp đổi từ Chứng minh nhân dân sang Căn cước công dân) và xác nhận nội dung biến động vào "
                "Giấy chứng nhận đã cấp.",
                ["Bản gốc Giấy chứng nhận quyền sử dụng đất đã cấp", "Bản sao Căn cước công dân",
                 "Bản sao Giấy chứng nhận kết hôn"])
    copies = rng.randint(2, 5)
    return ("ĐƠN ĐỀ NGHỊ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH", "TỜ KHAI YÊU CẦU CHỨNG THỰC BẢN SAO", ward_body,
            f"Đề nghị chứng thực bản sao từ bản chính các giấy tờ sau: Giấy khai sinh, Căn cước công dân. "
            f"Số lượng bản sao: {copies:02d} bản.",
            ["Bản chính Giấy khai sinh", "Bản chính Căn cước công dân"])


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    p = world.applicant
    day = world.today - timedelta(days=rng.randint(0, 6))
    phone_printed = format_phone(rng, p.phone)
    don_title, tokhai_title, addressee, request, attachments = _topic(world, rng)
    reason = rng.choice(("Để bổ sung hồ sơ theo quy định.", "Phục vụ nhu cầu cá nhân và gia đình.",
                         "Để hoàn thiện hồ sơ hành chính theo hướng dẫn của cơ quan tiếp nhận."))
    handwritten = rng.random() < 0.3
    two_pages = variant == 2 or (variant == 1 and rng.random() < 0.5)
    place = ward_name(world.ward) if rng.random() < 0.6 else world.loc.short
    date_text = date_line(place, day, pad=rng.random() < 0.6)
    sign_name = p.name if rng.random() < 0.6 else upper(p.name)
    occupation = rng.choice(("Công chức", "Kinh doanh", "Giáo viên", "Nội trợ", "Lao động tự do", "Công nhân",
                             "Kỹ sư", "Nhân viên văn phòng"))

    fields = FieldSet()
    fields.name("applicant_name", p.name)
    fields.digits("applicant_id_number", p.id_number)
    fields.digits("phone", p.phone)
    fields.add("applicant_address", p.residence.full())
    fields.date("request_date", day)

    def top(cv: Canvas, lay: Layout, heading: str) -> float:
        y = header(cv, lay, issuer=(), number=None, motto="center")
        y += lay.lead * 0.8
        parts = cv.wrap(heading, size=lay.size + 2, style="bold", first_width=lay.width * 0.9,
                        width=lay.width * 0.9)
        y = title(cv, lay, y, parts, size=lay.size + 2)
        y += lay.lead * 0.4
        kg = "Kính gửi:"
        kw = cv.width(kg + " ", lay.size, "bold")
        cv.text(lay.left + lay.width * 0.18, y, kg, size=lay.size, style="bold", record=False)
        parts = cv.wrap(addressee, size=lay.size, style="regular", first_width=lay.width * 0.78 - kw,
                        width=lay.width * 0.78 - kw)
        for i, part in enumerate(parts):
            cv.text(lay.left + lay.width * 0.18 + kw, y, part, size=lay.size, record=False)
            cv.record(f"{kg} {part}" if i == 0 else part)
            y += lay.lead
        return y + lay.lead * 0.5

    def closing(cv: Canvas, lay: Layout, y: float) -> None:
        y = cv.paragraph(lay.left, y, lay.width, COMMITMENT, size=lay.size, leading=lay.lead, indent=10)
        y += lay.lead * 0.5
        sign_block(cv, lay.left + lay.width * 0.7, y, size=lay.size, date_text=date_text,
                   office=["NGƯỜI LÀM ĐƠN" if variant != 1 else "NGƯỜI YÊU CẦU"],
                   note="(Ký, ghi rõ họ tên)", name=sign_name)

    def numbered_identity(cv: Canvas, lay: Layout, y: float) -> float:
        style, color = value_ink(cv, handwritten)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = cv.field(x, y, w, "1. Họ và tên người đề nghị:", upper(p.name), size=size, leading=lead,
                     value_style="bold" if not handwritten else style, value_color=color)
        tabbed(cv, y, [(x, "2. Ngày, tháng, năm sinh:", dmy(p.birth)), (x + w * 0.62, "Giới tính:", p.sex)],
               size=size, value_style=style, value_color=color)
        y += lead
        y = cv.field(x, y, w, "3. Số định danh cá nhân/CCCD:", p.id_number, size=size, leading=lead,
                     value_style=style, value_color=color)
        y = cv.field(x, y, w, "4. Nơi cư trú:", p.residence.full(), size=size, leading=lead, value_style=style,
                     value_color=color)
        y = cv.field(x, y, w, "5. Số điện thoại liên hệ:", phone_printed, size=size, leading=lead,
                     value_style=style, value_color=color)
        return y

    def page_don(cv: Canvas) -> None:
        lay = layout(cv, 13.0, spacing=cv.rng.uniform(1.45, 1.75))
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = top(cv, lay, don_title)
        y = numbered_identity(cv, lay, y)
        y = cv.field(x, y, w, "6. Nội dung đề nghị:", request, size=size, leading=lead)
        y = cv.field(x, y, w, "7. Lý do:", reason, size=size, leading=lead)
        cv.text(x, y, "8. Giấy tờ kèm theo:", size=size)
        y += lead
        for a in attachments:
            cv.text(x + 6, y, f"- {a}", size=size)
            y += lead
        y += lead * 0.3
        closing(cv, lay, y)

    def page_tokhai(cv: Canvas) -> None:
        lay = layout(cv, 13.0, spacing=cv.rng.uniform(1.45, 1.75))
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        style, color = value_ink(cv, handwritten)
        y = top(cv, lay, tokhai_title)
        for label, value in (("Họ, chữ đệm, tên người yêu cầu:", upper(p.name)),
                             ("Ngày, tháng, năm sinh:", dmy(p.birth)),
                             ("Giới tính:", p.sex), ("Dân tộc:", p.ethnicity), ("Nghề nghiệp:", occupation),
                             ("Nơi cư trú:", p.residence.full()),
                             ("Giấy tờ tùy thân:", f"Căn cước công dân số {p.id_number}"),
                             ("Điện thoại:", phone_printed)):
            y = cv.field(x, y, w, label, value, size=size, leading=lead, value_style=style, value_color=color,
                         leader=True)
        y = cv.field(x, y, w, "Nội dung yêu cầu:", request, size=size, leading=lead, value_style=style,
                     value_color=color)
        if two_pages:
            y = cv.field(x, y, w, "Lý do:", reason, size=size, leading=lead, value_style=style, value_color=color)
            page_number(cv, "1/2", size=size - 1)
            return
        y += lead * 0.3
        closing(cv, lay, y)

    def page_two(cv: Canvas) -> None:
        lay = layout(cv, 13.0, spacing=cv.rng.uniform(1.45, 1.75))
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = lay.top + 10
        if variant == 2:
            y = cv.field(x, y, w, "8. Lý do đề nghị:", reason, size=size, leading=lead)
            cv.text(x, y, "9. Giấy tờ kèm theo:", size=size)
        else:
            cv.text(x, y, "Giấy tờ kèm theo:", size=size)
        y += lead
        for a in attachments:
            cv.text(x + 6, y, f"- {a}", size=size)
            y += lead
        if variant == 2:
            y = cv.field(x, y, w, "10. Hình thức nhận kết quả:", "Nhận trực tiếp tại Trung tâm Phục vụ hành chính "
                         "công", size=size, leading=lead)
        y += lead * 0.4
        closing(cv, lay, y)
        page_number(cv, "2/2", size=size - 1)

    def page_don2(cv: Canvas) -> None:
        lay = layout(cv, 13.0, spacing=cv.rng.uniform(1.45, 1.75))
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = top(cv, lay, don_title)
        y = numbered_identity(cv, lay, y)
        y = cv.field(x, y, w, "6. Nghề nghiệp:", occupation, size=size, leading=lead)
        y = cv.field(x, y, w, "7. Nội dung đề nghị:", request, size=size, leading=lead)
        y += lead * 0.5
        cv.text(x, y, "Thông tin bổ sung (nếu có):", size=size, style="italic")
        y += lead
        for _ in range(3):
            cv.dotted(x, y, w, size=size)
            y += lead
        page_number(cv, "1/2", size=size - 1)

    pages: tuple[Callable[[Canvas], None], ...]
    if variant == 0:
        pages = (page_don,)
    elif variant == 1:
        pages = (page_tokhai, page_two) if two_pages else (page_tokhai,)
    else:
        pages = (page_don2, page_two)
    return DocPlan("application_form", fields.freeze(), pages)
