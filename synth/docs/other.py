"""Other papers found in dossiers (no fields): residence confirmation, hospital discharge, power of attorney.
(The medical birth notice that was variant 3 is a type of its own: synth/docs/birth_notice.py.)"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import Canvas
from ..vn import World, date_line, dmy, official_name, upper, ward_name
from .base import DocPlan, header, layout, sign_block, tabbed, title, ward_committee

VARIANTS = 3  # 0: Xác nhận thông tin về cư trú, 1: Giấy ra viện, 2: Giấy ủy quyền

DIAGNOSES = ("Viêm phổi", "Sốt xuất huyết Dengue", "Viêm ruột thừa cấp đã phẫu thuật", "Tăng huyết áp",
             "Viêm dạ dày cấp", "Gãy kín xương cẳng tay trái")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    p = world.applicant if role != 1 else world.spouse
    loc = world.loc
    wname = upper(ward_name(world.ward))
    level = "PHƯỜNG" if world.ward.startswith("phường") else "XÃ"
    day = world.today - timedelta(days=rng.randint(1, 90))
    number = rng.randint(10, 999)
    signer = official_name(rng)
    ward_committee(world, rng)  # drawn still, so that the seeds give the other papers as before
    members = [(world.applicant, "Chủ hộ"), (world.spouse, "Vợ" if world.spouse.sex == "Nữ" else "Chồng"),
               (world.child, "Con")]
    admitted = day - timedelta(days=rng.randint(2, 12))
    diagnosis = rng.choice(DIAGNOSES)
    doctor = official_name(rng)
    # drawn still (they were the birth notice's), so that the seeds give the other papers as before
    rng.randint(26, 40), rng.randint(0, 23), rng.randint(0, 59)

    def residence(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(cv, lay, issuer=(f"CÔNG AN {upper(loc.province)}".replace("THÀNH PHỐ", "TP."),
                                    f"CÔNG AN {level} {wname}"), number=f"Số: {number}/XN-CAP")
        y += lead
        y = title(cv, lay, y, ["GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ"], size=size + 2)
        y += lead * 0.3
        y = cv.paragraph(x, y, w, f"Công an {world.ward} xác nhận thông tin về cư trú của công dân như sau:",
                         size=size, leading=lead, indent=8)
        y = cv.field(x, y, w, "Họ, chữ đệm và tên:", upper(p.name), size=size, leading=lead, value_style="bold")
        y = cv.field(x, y, w, "Ngày, tháng, năm sinh:", dmy(p.birth), size=size, leading=lead)
        y = cv.field(x, y, w, "Số định danh cá nhân:", p.id_number, size=size, leading=lead)
        y = cv.field(x, y, w, "Nơi thường trú:", p.residence.full(), size=size, leading=lead)
        y = cv.field(x, y, w, "Họ, chữ đệm và tên chủ hộ:", upper(world.applicant.name), size=size, leading=lead)
        cv.text(x, y, "Thông tin các thành viên trong hộ gia đình:", size=size)
        y += lead * 0.4
        rows = [["TT", "Họ, chữ đệm và tên", "Ngày sinh", "Giới tính", "Quan hệ với chủ hộ"]]
        rows += [[str(i + 1), upper(m.name), dmy(m.birth), m.sex, rel] for i, (m, rel) in enumerate(members)]
        y = cv.table(x, y, [w * 0.07, w * 0.38, w * 0.18, w * 0.14, w * 0.23], rows, size=size - 1.5,
                     header_rows=1) + lead
        y = cv.paragraph(x, y, w, "Giấy xác nhận này có giá trị 06 tháng kể từ ngày cấp.", size=size,
                         style="italic", leading=lead, indent=8)
        sign_block(cv, x + w * 0.68, y + lead * 0.3, size=size - 0.5, date_text=date_line(ward_name(world.ward), day),
                   office=[f"TRƯỞNG CÔNG AN {level}"], name=signer,
                   seal_ring=f"CÔNG AN {level} {wname} * {upper(loc.short)} *" if seal else None)

    def discharge(cv: Canvas) -> None:
        lay = layout(cv, 12.5)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        y = header(cv, lay, issuer=(f"SỞ Y TẾ {upper(loc.card_province)}", upper(loc.hospital)),
                   number=f"Số lưu trữ: {rng_id}", sub=(f"Mã y tế: {rng_code}",))
        y += lead
        y = title(cv, lay, y, ["GIẤY RA VIỆN"], size=size + 4)
        y += lead * 0.3
        y = cv.field(x, y, w, "Họ tên người bệnh:", upper(p.name), size=size, leading=lead, value_style="bold")
        tab = x + w * 0.55
        tabbed(cv, y, [(x, "Ngày sinh:", dmy(p.birth)), (tab, "Giới tính:", p.sex)], size=size)
        y += lead
        tabbed(cv, y, [(x, "Dân tộc:", p.ethnicity), (tab, "Nghề nghiệp:", "Tự do")], size=size)
        y += lead
        y = cv.field(x, y, w, "Địa chỉ:", p.residence.full(), size=size, leading=lead)
        y = cv.field(x, y, w, "Vào viện lúc:", f"08 giờ 30 phút, ngày {dmy(admitted)}", size=size, leading=lead)
        y = cv.field(x, y, w, "Ra viện lúc:", f"09 giờ 00 phút, ngày {dmy(day)}", size=size, leading=lead)
        y = cv.field(x, y, w, "Chẩn đoán:", diagnosis, size=size, leading=lead)
        y = cv.field(x, y, w, "Phương pháp điều trị:", "Điều trị nội khoa, theo dõi và chăm sóc cấp II",
                     size=size, leading=lead)
        y = cv.field(x, y, w, "Ghi chú:", "Tái khám sau 01 tuần hoặc khi có dấu hiệu bất thường", size=size,
                     leading=lead)
        y += lead * 0.5
        sign_block(cv, x + w * 0.22, y + lead, size=size - 0.5, date_text=None, office=["TRƯỞNG KHOA"],
                   name=f"BS. {doctor}")
        sign_block(cv, x + w * 0.72, y, size=size - 0.5, date_text=date_line(loc.short, day),
                   office=["GIÁM ĐỐC"], name=signer,
                   seal_ring=f"{upper(loc.hospital)} *" if seal else None)

    def attorney(cv: Canvas) -> None:
        # A citizen's paper (the notice that was here is an official_document now: synth/docs/official.py).
        lay = layout(cv, 13.0)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        agent = world.spouse if p is world.applicant else world.applicant
        y = header(cv, lay, issuer=(), number=None, motto="center")
        y += lead * 0.5
        y = title(cv, lay, y, ["GIẤY ỦY QUYỀN"], size=size + 3)
        y += lead * 0.3
        cv.text(x, y, "Bên ủy quyền:", size=size, style="bold")
        y += lead
        y = cv.field(x, y, w, "Họ và tên:", upper(p.name), size=size, leading=lead, value_style="bold")
        y = cv.field(x, y, w, "Số định danh cá nhân:", p.id_number, size=size, leading=lead)
        y = cv.field(x, y, w, "Nơi cư trú:", p.residence.full(), size=size, leading=lead)
        cv.text(x, y, "Bên được ủy quyền:", size=size, style="bold")
        y += lead
        y = cv.field(x, y, w, "Họ và tên:", upper(agent.name), size=size, leading=lead, value_style="bold")
        y = cv.field(x, y, w, "Số định danh cá nhân:", agent.id_number, size=size, leading=lead)
        y = cv.paragraph(x, y, w, "Nội dung ủy quyền: thay mặt bên ủy quyền nộp hồ sơ, nhận kết quả giải quyết thủ "
                         "tục hành chính tại Trung tâm Phục vụ hành chính công.", size=size, leading=lead, indent=8)
        y = cv.paragraph(x, y, w, f"Thời hạn ủy quyền: từ ngày {dmy(day)} đến khi hoàn thành công việc.", size=size,
                         leading=lead, indent=8)
        y += lead * 0.5
        sign_block(cv, x + w * 0.22, y + lead, size=size - 0.5, date_text=None, office=["BÊN ĐƯỢC ỦY QUYỀN"],
                   note="(Ký, ghi rõ họ tên)", name=upper(agent.name))
        sign_block(cv, x + w * 0.72, y, size=size - 0.5, date_text=date_line(loc.short, day),
                   office=["BÊN ỦY QUYỀN"], note="(Ký, ghi rõ họ tên)", name=upper(p.name))

    rng_id = f"{rng.randint(1000, 99999)}"
    rng_code = f"{rng.randint(10000000, 99999999)}"
    render = (residence, discharge, attorney)[variant]
    return DocPlan("other", (), (render,))
