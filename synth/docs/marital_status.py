"""The confirmation of marital status (Giấy xác nhận tình trạng hôn nhân) a commune issues, which a marriage
registration may require of a party living elsewhere."""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, dmy, official_name, upper
from .base import DocPlan, FieldSet, Layout, header, layout, sign_block, signer_date, tabbed, title, ward_committee

VARIANTS = 3  # 0: labelled lines, 1: "XÁC NHẬN:" then numbered items, 2: a ruled table, "TRÍCH LỤC" wording

STATUSES = (
    "Chưa đăng ký kết hôn với ai",
    "Hiện tại chưa đăng ký kết hôn với ai",
    "Đã đăng ký kết hôn, nhưng đã ly hôn theo Bản án số 12/2019/HNGĐ-ST",
)


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    p = world.applicant if role != 1 else world.spouse
    committee = ward_committee(world, rng)
    number = rng.randint(1, 480)
    day = world.today - timedelta(days=rng.randint(3, 120))
    status = rng.choice(STATUSES)
    partner = world.spouse if p is world.applicant else world.applicant
    signer = official_name(rng)

    fields = FieldSet()
    fields.name("full_name", p.name)
    fields.date("date_of_birth", p.birth)
    fields.digits("personal_id", p.id_number)
    fields.add("marital_status", status)
    fields.date("issue_date", day)

    def signature(cv: Canvas, lay: Layout, y: float) -> None:
        when = signer_date(committee, day, cv.rng)
        sign_block(cv, lay.left + lay.width * 0.7, y, size=lay.size - 0.5, date_text=when, office=committee.office,
                   name=signer, seal_ring=committee.seal_ring if seal else None)  # fmt: skip

    def labelled(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(cv, lay, issuer=committee.header, number=f"Số: {number}/XNTTHN")
        y += lead * 0.6
        y = title(cv, lay, y, ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], size=size + 3)
        y += lead * 0.2
        y = cv.paragraph(x, y, w, f"{committee.name} xác nhận:", size=size, leading=lead, indent=8)
        y = cv.field(x, y, w, "Họ, chữ đệm, tên:", upper(p.name), size=size, leading=lead, value_style="bold")
        y = cv.field(x, y, w, "Ngày, tháng, năm sinh:", dmy(p.birth), size=size, leading=lead)
        tabbed(
            cv,
            y,
            [
                (x, "Giới tính:", p.sex),
                (x + w * 0.35, "Dân tộc:", p.ethnicity),
                (x + w * 0.66, "Quốc tịch:", "Việt Nam"),
            ],
            size=size,
        )
        y += lead
        y = cv.field(x, y, w, "Số định danh cá nhân:", p.id_number, size=size, leading=lead)
        y = cv.field(x, y, w, "Nơi cư trú:", p.residence.full(), size=size, leading=lead)
        y = cv.field(x, y, w, "Tình trạng hôn nhân:", status, size=size, leading=lead)
        y = cv.field(
            x,
            y,
            w,
            "Giấy này được cấp để:",
            f"làm thủ tục đăng ký kết hôn với {upper(partner.name)}",
            size=size,
            leading=lead,
        )
        y = cv.paragraph(
            x,
            y,
            w,
            "Giấy này có giá trị sử dụng trong thời hạn 06 tháng, kể từ ngày cấp.",
            size=size,
            style="italic",
            leading=lead,
            indent=8,
        )
        y += lead * 0.4
        signature(cv, lay, y)

    def numbered(cv: Canvas) -> None:
        lay = layout(cv, 12.5)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(cv, lay, issuer=committee.header, number=f"Số: {number}/{day.year}/XNTTHN")
        y += lead * 0.6
        y = title(cv, lay, y, ["GIẤY XÁC NHẬN", "TÌNH TRẠNG HÔN NHÂN"], size=size + 3)
        y = cv.paragraph(
            x,
            y,
            w,
            f"Xét đề nghị của ông/bà {upper(p.name)} về việc xác nhận tình trạng hôn nhân,",
            size=size,
            leading=lead,
            indent=8,
        )
        cv.text(lay.center, y, "XÁC NHẬN:", size=size, style="bold", align="center")
        y += lead
        y = cv.field(x, y, w, "1. Họ và tên:", upper(p.name), size=size, leading=lead, value_style="bold")
        y = cv.field(x, y, w, "2. Ngày sinh:", dmy(p.birth), size=size, leading=lead)
        y = cv.field(x, y, w, "3. Số định danh cá nhân:", p.id_number, size=size, leading=lead)
        y = cv.field(x, y, w, "4. Nơi cư trú:", p.residence.full(), size=size, leading=lead)
        y = cv.field(x, y, w, "5. Tình trạng hôn nhân:", status, size=size, leading=lead)
        y = cv.field(x, y, w, "6. Mục đích sử dụng:", "Đăng ký kết hôn", size=size, leading=lead)
        y += lead * 0.4
        signature(cv, lay, y)

    def table(cv: Canvas) -> None:
        lay = layout(cv, 12.5)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(cv, lay, issuer=committee.header, number=f"Số: {number}/UBND-TP")
        y += lead * 0.6
        y = title(cv, lay, y, ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], size=size + 2)
        y = cv.paragraph(x, y, w, f"Căn cứ Sổ hộ tịch lưu tại {committee.name}, xác nhận người có tên dưới đây:",
                         size=size, leading=lead, indent=8)  # fmt: skip
        rows = [
            ["Họ và tên", upper(p.name)],
            ["Ngày sinh", dmy(p.birth)],
            ["Số định danh cá nhân", p.id_number],
            ["Nơi cư trú", p.residence.full()],
            ["Tình trạng hôn nhân", status],
        ]
        y = cv.table(x, y, [w * 0.34, w * 0.66], rows, size=size - 0.5) + lead
        y = cv.paragraph(x, y, w, "Giấy xác nhận có giá trị 06 tháng kể từ ngày cấp, dùng để đăng ký kết hôn.",
                         size=size, style="italic", leading=lead, indent=8)  # fmt: skip
        signature(cv, lay, y + lead * 0.3)

    return DocPlan("marital_status_confirmation", fields.freeze(), ((labelled, numbered, table)[variant],))
