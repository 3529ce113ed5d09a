"""What the pages say, in Vietnamese (the staff's language) and English (chosen per user); dates as dd/mm/yyyy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from schemas.doctypes import load_catalog

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    "vi": {
        "app": "Hồ sơ",
        "nav_counter": "Tiếp nhận",
        "nav_review": "Duyệt hồ sơ",
        "nav_search": "Tra cứu",
        "nav_users": "Người dùng",
        "nav_dossiers": "Danh sách hồ sơ",
        "nav_trash": "Thùng rác",
        "trash_hint": "Hồ sơ quản trị viên đã xoá được giữ {days} ngày, rồi xoá hẳn (ảnh, bản gốc, kết quả).",
        "trash_off": "Hồ sơ bị xoá được xoá hẳn ngay (HOSO_DELETE_GRACE_DAYS=0).",
        "trash_empty": "Thùng rác trống.",
        "deleted_by": "Người xoá",
        "deleted_on": "Ngày xoá",
        "purge_on": "Xoá hẳn vào",
        "restore": "Khôi phục",
        "add_files": "Bổ sung tệp",
        "add_files_hint": "Giấy tờ công dân nộp thêm, hoặc bản quét đọc được thay cho tệp bị từ chối: "
        "hồ sơ sẽ được đọc lại.",
        "replace_file": "Thay tệp {name}",
        "too_large": "Tổng dung lượng {size} MB vượt giới hạn {limit} MB mỗi lần gửi ({files}). "
        "Hãy gửi làm nhiều lần, hoặc quét ở độ phân giải thấp hơn.",
        "upload_pct": "Đang gửi {pct}% ({sent}/{total} MB)",
        "session_expired_kept": "Phiên đăng nhập đã hết. Hãy đăng nhập lại ở thẻ mới (liên kết bên dưới), rồi bấm "
        "«Tiếp nhận và xử lý» lần nữa: họ tên, thủ tục và các tệp vẫn còn nguyên ở đây.",
        "sign_in_again": "Đăng nhập lại (thẻ mới)",
        "duplicate_confirm": "Các tệp sau đã được tiếp nhận trước đây:\n{list}\n\nVẫn tiếp nhận thành hồ sơ mới?",
        "duplicate_kept": "Chưa tiếp nhận: tệp đã có trong hồ sơ {codes}.",
        "file_received": "đã nhận",
        "file_refused": "không đọc được",
        "slip_files": "Các tệp đã nhận",
        "slip_papers": "Giấy tờ đã nhận",
        "any": "— Tất cả —",
        "received_from": "Tiếp nhận từ ngày",
        "received_until": "đến ngày",
        "received_by": "Người tiếp nhận",
        "filter": "Lọc",
        "clear_filters": "Bỏ lọc",
        "prev_page": "Trang trước",
        "next_page": "Trang sau",
        "users_title": "Tài khoản cán bộ",
        "role": "Vai trò",
        "tokens": "Mã API",
        "centres": "Trung tâm",
        "all_centres": "mọi trung tâm",
        "created_on": "Ngày tạo",
        "user_active": "Đang dùng",
        "user_disabled": "Đã khoá",
        "user_disable": "Khoá",
        "user_enable": "Mở khoá",
        "user_password": "Đặt mật khẩu",
        "user_token": "Cấp mã API",
        "user_revoke": "Thu hồi mã API",
        "user_add": "Thêm người dùng",
        "user_add_hint": "Mật khẩu từ 12 ký tự, không phải mật khẩu phổ biến. Để trống: chỉ dùng mã API.",
        "token_once": "Mã API chỉ hiện một lần: sao chép và trao cho người dùng.",
        "user_password_prompt": "Mật khẩu mới cho {name} (từ 12 ký tự):",
        "user_revoke_confirm": "Thu hồi mọi mã API của {name}?",
        "delete_dossier": "Xoá hồ sơ",
        "delete_confirm": "Xoá hẳn hồ sơ {code} (ảnh, bản gốc, kết quả)? Gõ lại mã hồ sơ để xác nhận:",
        "deleted": "Đã xoá hồ sơ",
        "logout": "Đăng xuất",
        "other_lang": "English",
        "login_title": "Đăng nhập",
        "username": "Tên đăng nhập",
        "password": "Mật khẩu",
        "login": "Đăng nhập",
        "login_failed": "Sai tên đăng nhập hoặc mật khẩu.",
        "login_throttled": "Quá nhiều lần đăng nhập sai. Hãy thử lại sau {seconds} giây.",
        "login_locked": "Tài khoản hoặc máy này đã bị khoá sau nhiều lần đăng nhập sai. Hãy nhờ quản trị viên mở khoá.",
        "login_busy": "Máy chủ đang bận. Hãy thử lại sau vài giây.",
        "role_counter": "Cán bộ tiếp nhận",
        "role_reviewer": "Cán bộ duyệt",
        "role_admin": "Quản trị",
        "new_dossier": "Tiếp nhận hồ sơ mới",
        "citizen_name": "Họ và tên người nộp",
        "procedure": "Thủ tục",
        "code_optional": "Mã hồ sơ (không bắt buộc)",
        "code_hint": "Để trống để hệ thống tự cấp mã",
        "scans": "Bản quét",
        "drop_here": "Kéo thả các tệp bản quét vào đây",
        "or": "hoặc",
        "choose_files": "Chọn tệp",
        "choose_folder": "Chọn cả thư mục",
        "file_types": "PDF, TIFF, JPEG, PNG · tối đa {mb} MB mỗi lần gửi · loại tệp được kiểm tra theo nội dung",
        "no_files": "Chưa chọn tệp nào.",
        "remove": "Bỏ",
        "submit_upload": "Tiếp nhận và xử lý",
        "uploading": "Đang gửi tệp…",
        "dossier_code": "Mã hồ sơ",
        "copy": "Sao chép",
        "copied": "Đã sao chép",
        "print": "In mã hồ sơ",
        "status": "Trạng thái",
        "st_received": "Đã tiếp nhận",
        "st_processing": "Đang xử lý",
        "st_processed": "Đã xử lý xong",
        "st_needs_review": "Cần duyệt",
        "st_reviewed": "Đã duyệt",
        "st_failed": "Lỗi",
        "pg_pending": "chờ",
        "pg_running": "đang đọc",
        "pg_done": "xong",
        "pg_failed": "lỗi",
        "pages_progress": "Đã xử lý {done}/{total} trang",
        "page": "Trang",
        "pages": "trang",
        "documents": "Giấy tờ trong hồ sơ",
        "document": "Giấy tờ",
        "doc_type": "Loại giấy tờ",
        "fields": "Thông tin trích xuất",
        "field": "Trường",
        "value": "Giá trị",
        "confidence": "Độ tin cậy",
        "no_documents": "Chưa nhận dạng được giấy tờ nào.",
        "needs_review": "Cần duyệt",
        "low_conf": "Độ tin cậy thấp",
        "missing": "Chưa có",
        "corrected": "Đã sửa",
        "today_unit": "Nay thuộc",  # an old address's ward and province on today's map
        "problems": "Tệp không đọc được",
        "find_dossier": "Tìm hồ sơ",
        "search_placeholder": "Mã hồ sơ, họ tên hoặc từ bất kỳ (có dấu hoặc không dấu)",
        "search": "Tìm",
        "results": "{n} hồ sơ",
        "no_results": "Không tìm thấy hồ sơ nào.",
        "recent": "Hồ sơ tiếp nhận gần đây",
        "no_dossiers": "Chưa có hồ sơ nào.",
        "received_on": "Ngày tiếp nhận",
        "open": "Mở",
        "queue_title": "Hồ sơ cần duyệt",
        "queue_hint": "Độ tin cậy thấp nhất lên trước.",
        "queue_empty": "Không còn hồ sơ nào cần duyệt.",
        "review": "Duyệt",
        "mark_reviewed": "Đánh dấu đã duyệt",
        "next_dossier": "Hồ sơ tiếp theo",
        "split_from": "Tách thành giấy tờ mới từ trang",
        "split": "Tách",
        "merge_prev": "Gộp với giấy tờ phía trên",
        "apply": "Áp dụng",
        "history": "Lịch sử chỉnh sửa",
        "no_history": "Chưa có chỉnh sửa nào.",
        "who": "Người sửa",
        "when": "Thời gian",
        "what": "Nội dung",
        "old": "Giá trị cũ",
        "new": "Giá trị mới",
        "t_field": "Sửa trường",
        "t_document_type": "Đổi loại giấy tờ",
        "t_word": "Sửa chữ",
        "t_line": "Sửa dòng",
        "t_split": "Tách giấy tờ",
        "t_merge": "Gộp giấy tờ",
        "t_status": "Trạng thái",
        "accepted": "xác nhận",
        "keys_help": "Tab: trường tiếp theo · Enter: xác nhận · Esc: hoàn tác · Alt+PgUp/PgDn: đổi trang · "
        "Alt+D: đã duyệt · Alt+N: hồ sơ tiếp theo · Nhấp vào chữ trên ảnh để sửa (Shift+nhấp: cả dòng), Alt+W: sửa chữ "
        "bằng bàn phím · Alt+=/Alt+−/Alt+0, Ctrl+cuộn: phóng to/thu nhỏ; kéo ảnh để di chuyển",
        "edit_word": "Sửa chữ nhận dạng",
        "zoom": "Phóng to, thu nhỏ",
        "zoom_in": "Phóng to",
        "zoom_out": "Thu nhỏ",
        "zoom_fit": "Vừa khung",
        "edit_words_kbd": "Sửa chữ bằng bàn phím",
        "sheet_keys": "Ảnh trang: mũi tên chọn chữ, Enter sửa chữ, Shift+Enter sửa cả dòng, Esc quay lại trường",
        "edit_line": "Sửa cả dòng",
        "save": "Lưu",
        "cancel": "Hủy",
        "saved": "Đã lưu",
        "unsaved": "Có ô chưa lưu được. Vẫn rời trang?",
        "claimed_by": "{name} đang duyệt",
        "to_complete": "Cần bổ sung",
        "to_complete_hint": "Hồ sơ có tệp bị từ chối hoặc trang không xử lý được: báo công dân, bổ sung tệp.",
        "none_to_complete": "Không có hồ sơ nào cần bổ sung.",
        "problem_default": "Tệp không đọc được",
        "problem_PasswordProtected": "Tệp PDF có mật khẩu, không mở được",
        "problem_NotADocument": "Tệp không phải bản quét PDF, TIFF, JPEG hoặc PNG",
        "problem_EmptyFile": "Tệp rỗng",
        "problem_TruncatedFile": "Tệp bị cắt ngắn hoặc bị hỏng",
        "problem_UndecodableImage": "Ảnh trong tệp không giải mã được",
        "problem_TooManyPixels": "Ảnh quét quá lớn",
        "problem_TooManyPages": "Tệp có quá nhiều trang",
        "problem_PagesNotRead": "Có trang trong tệp không đọc được",
        "problem_NoText": "Trang {page} không có chữ đọc được",
        "problem_PageFailed": "Trang {page} không xử lý được",
        "problem_DuplicateFile": "Tệp này đã được tiếp nhận trước đây",
        "advice_default": "Quét lại giấy tờ hoặc xuất lại tệp rồi bổ sung; bản gốc vẫn được lưu.",
        "advice_PasswordProtected": "Gỡ mật khẩu (in ra một tệp PDF mới) rồi bổ sung lại tệp.",
        "advice_NotADocument": "Gửi bản quét dạng PDF, TIFF, JPEG hoặc PNG.",
        "advice_EmptyFile": "Tệp không có nội dung: lưu lại bản quét rồi gửi lại.",
        "advice_TruncatedFile": "Sao chép hoặc xuất lại tệp từ máy quét rồi gửi lại.",
        "advice_UndecodableImage": "Xuất lại bản quét dưới dạng PDF (ảnh JPEG) hoặc TIFF rồi gửi lại.",
        "advice_TooManyPixels": "Quét lại ở độ phân giải 300 dpi trở xuống.",
        "advice_TooManyPages": "Chia tệp thành các hồ sơ nhỏ hơn.",
        "advice_PagesNotRead": "Quét lại các trang được nêu và bổ sung vào hồ sơ.",
        "advice_NoText": "Kiểm tra trang: nếu là giấy tờ, quét lại rõ hơn và bổ sung.",
        "advice_PageFailed": "Quét lại trang này và bổ sung vào hồ sơ.",
        "advice_DuplicateFile": "Không cần làm gì: hồ sơ của tệp này đã có.",
        "unconfirmed": "Các ô được đánh dấu chưa được xác nhận:\n{fields}\n\nVẫn đánh dấu đã duyệt?",
        "err_StaleEdit": "Người khác đã sửa hồ sơ này trước bạn; giá trị hiện tại",
        "download_pdf": "PDF có thể tìm kiếm",
        "json": "Bản ghi JSON",
        "back": "Quay lại",
        "error_title": "Không thực hiện được",
        "not_found": "Không tìm thấy hồ sơ.",
        "forbidden": "Bạn không có quyền thực hiện thao tác này.",
        "no_pages": "Hồ sơ chưa có trang nào được xử lý.",
        "words_low": "chữ có độ tin cậy thấp",
        "err_NotADocument": "Tệp không phải bản quét PDF, TIFF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)",
        "err_EmptyFile": "Tệp rỗng",
        "err_UploadTooLarge": "Dung lượng gửi lên vượt quá giới hạn",
        "err_DossierExists": "Mã hồ sơ này đã tồn tại",
        "err_DossierBusy": "Hồ sơ đang được xử lý, vui lòng chờ",
        "err_NotARefusedFile": "Tệp được thay không phải tệp bị từ chối của hồ sơ này",
        "err_BadCorrection": "Giá trị không hợp lệ",
        "err_NotAuthenticated": "Phiên đăng nhập đã hết, vui lòng đăng nhập lại",
        "err_NotAllowed": "Bạn không có quyền thực hiện thao tác này",
        "err_RequestError": "Yêu cầu không hợp lệ",
        "err_other": "Có lỗi xảy ra, vui lòng thử lại",
        "err_bad_parameter": "Địa chỉ trang có tham số không hợp lệ: {names}",
        "advice_bad_parameter": "Quay lại trang trước hoặc mở lại trang từ trình đơn.",
        "advice_DossierNotFound": "Kiểm tra lại mã hồ sơ.",
        "advice_NotAllowed": "Vai trò của bạn không được phép làm việc này; hãy hỏi quản trị viên.",
        # --- status changes to the portal (the outbox; admins) ---
        "nav_outbox": "Gửi Cổng DVC",
        "outbox_title": "Trạng thái gửi Cổng dịch vụ công",
        "outbox_hint": (
            "Mỗi lần hồ sơ đổi trạng thái, hệ thống gửi thông báo lên Cổng. Thông báo gửi không được sau nhiều lần "
            "thử nằm ở đây và chỉ được gửi lại khi quản trị viên bấm «Gửi lại»; các thông báo sau của cùng hồ sơ "
            "chờ đến khi thông báo này được nhận."
        ),
        "outbox_no_portal": (
            "Chưa cấu hình địa chỉ Cổng (HOSO_PORTAL_URL): các thay đổi được lưu lại và sẽ gửi khi có cấu hình."
        ),
        "outbox_counts": (
            "Đang chờ gửi: {pending} ({waiting} chờ sau thông báo lỗi) · Lỗi: {failed} · Đã gửi: {delivered}"
        ),
        "outbox_failed": "Gửi không thành công",
        "outbox_none_failed": "Không có thông báo nào gửi lỗi.",
        "outbox_pending": "Đang chờ gửi lại",
        "outbox_number": "Số",
        "outbox_status": "Trạng thái báo lên",
        "outbox_changed_at": "Thời điểm đổi",
        "outbox_attempts": "Số lần thử",
        "outbox_error": "Lỗi lần cuối",
        "outbox_next": "Thử lại lúc",
        "outbox_resend": "Gửi lại",
        "outbox_resend_all": "Gửi lại tất cả",
        "outbox_resent": "Đã đưa lại vào hàng gửi.",
        "st_deleted": "Đã xoá",
        # completeness at the counter (issue 17)
        "choose_procedure": "— Chọn thủ tục —",
        "papers": "Thành phần hồ sơ",
        "papers_complete": "Đủ thành phần hồ sơ",
        "papers_reading": "Đang đọc các trang…",
        "paper_missing": "Thiếu",
        "paper_found": "Có",
        "paper_if": "Nếu",
        "paper_unsure": "cần kiểm tra loại giấy",
        "papers_other": "Giấy tờ khác trong hồ sơ",
        "err_DossierIncomplete": "Hồ sơ còn thiếu giấy tờ theo thủ tục",
        "err_UnknownProcedure": "Không có thủ tục này",
        "incomplete_reason": "Ghi lý do để vẫn đánh dấu đã duyệt (Hủy: bổ sung giấy tờ trước):",
        "audit_incomplete": "Đánh dấu đã duyệt khi còn thiếu {missing}; lý do: {reason}",
    },
    "en": {
        "app": "Dossiers",
        "nav_counter": "Intake",
        "nav_review": "Review",
        "nav_search": "Search",
        "nav_users": "Users",
        "nav_dossiers": "Dossiers",
        "nav_trash": "Trash",
        "trash_hint": "Dossiers an admin deleted are kept {days} days, then removed for good "
        "(images, originals, results).",
        "trash_off": "Deleted dossiers are removed for good at once (HOSO_DELETE_GRACE_DAYS=0).",
        "trash_empty": "The trash is empty.",
        "deleted_by": "Deleted by",
        "deleted_on": "Deleted on",
        "purge_on": "Removed for good on",
        "restore": "Restore",
        "add_files": "Add files",
        "add_files_hint": "Papers the citizen brings later, or a readable scan for a refused file: "
        "the dossier is read again.",
        "replace_file": "Replace {name}",
        "too_large": "{size} MB in all is over the limit of {limit} MB a sending ({files}). "
        "Send them in several goes, or scan at a lower resolution.",
        "upload_pct": "Sending {pct}% ({sent}/{total} MB)",
        "session_expired_kept": "Your session has ended. Sign in again in a new tab (link below), then press "
        "Receive again: the name, procedure and files are still here.",
        "sign_in_again": "Sign in again (new tab)",
        "duplicate_confirm": "These files were received before:\n{list}\n\nReceive them as a new dossier anyway?",
        "duplicate_kept": "Not received: the file is in dossier {codes} already.",
        "file_received": "received",
        "file_refused": "not readable",
        "slip_files": "Files received",
        "slip_papers": "Papers received",
        "any": "— Any —",
        "received_from": "Received from",
        "received_until": "until",
        "received_by": "Received by",
        "filter": "Filter",
        "clear_filters": "Clear",
        "prev_page": "Previous page",
        "next_page": "Next page",
        "users_title": "Staff accounts",
        "role": "Role",
        "tokens": "API tokens",
        "centres": "Centres",
        "all_centres": "every centre",
        "created_on": "Created",
        "user_active": "Active",
        "user_disabled": "Disabled",
        "user_disable": "Disable",
        "user_enable": "Enable",
        "user_password": "Set password",
        "user_token": "Issue API token",
        "user_revoke": "Revoke API tokens",
        "user_add": "Add a user",
        "user_add_hint": "Passwords: 12 characters or more, not a common one. Empty: API token only.",
        "token_once": "The API token is shown once: copy it and give it to the user.",
        "user_password_prompt": "New password for {name} (12 characters or more):",
        "user_revoke_confirm": "Revoke every API token of {name}?",
        "delete_dossier": "Delete dossier",
        "delete_confirm": "Delete dossier {code} for good (images, originals, results)? Type its code to confirm:",
        "deleted": "Dossier deleted",
        "logout": "Sign out",
        "other_lang": "Tiếng Việt",
        "login_title": "Sign in",
        "username": "User name",
        "password": "Password",
        "login": "Sign in",
        "login_failed": "Wrong user name or password.",
        "login_throttled": "Too many failed sign-ins. Try again in {seconds} seconds.",
        "login_locked": "This account or computer is locked after too many failed sign-ins. Ask an admin to unlock it.",
        "login_busy": "The server is busy. Try again in a few seconds.",
        "role_counter": "Counter staff",
        "role_reviewer": "Reviewer",
        "role_admin": "Administrator",
        "new_dossier": "New dossier",
        "citizen_name": "Citizen's full name",
        "procedure": "Procedure",
        "code_optional": "Dossier code (optional)",
        "code_hint": "Leave empty to get a new code",
        "scans": "Scans",
        "drop_here": "Drop the scanned files here",
        "or": "or",
        "choose_files": "Choose files",
        "choose_folder": "Choose a folder",
        "file_types": "PDF, TIFF, JPEG, PNG · up to {mb} MB per upload · file types are checked by content",
        "no_files": "No file chosen.",
        "remove": "Remove",
        "submit_upload": "Receive and process",
        "uploading": "Uploading…",
        "dossier_code": "Dossier code",
        "copy": "Copy",
        "copied": "Copied",
        "print": "Print the code",
        "status": "Status",
        "st_received": "Received",
        "st_processing": "Processing",
        "st_processed": "Processed",
        "st_needs_review": "Needs review",
        "st_reviewed": "Reviewed",
        "st_failed": "Failed",
        "pg_pending": "waiting",
        "pg_running": "reading",
        "pg_done": "done",
        "pg_failed": "failed",
        "pages_progress": "{done} of {total} pages processed",
        "page": "Page",
        "pages": "pages",
        "documents": "Documents in the dossier",
        "document": "Document",
        "doc_type": "Document type",
        "fields": "Extracted fields",
        "field": "Field",
        "value": "Value",
        "confidence": "Confidence",
        "no_documents": "No documents recognised yet.",
        "needs_review": "Needs review",
        "low_conf": "Low confidence",
        "missing": "Missing",
        "corrected": "Corrected",
        "today_unit": "Now in",
        "problems": "Files that could not be read",
        "find_dossier": "Find a dossier",
        "search_placeholder": "Code, name or any word (with or without diacritics)",
        "search": "Search",
        "results": "{n} dossiers",
        "no_results": "No dossier found.",
        "recent": "Recently received",
        "no_dossiers": "No dossiers yet.",
        "received_on": "Received on",
        "open": "Open",
        "queue_title": "Dossiers to review",
        "queue_hint": "Lowest confidence first.",
        "queue_empty": "Nothing left to review.",
        "review": "Review",
        "mark_reviewed": "Mark reviewed",
        "next_dossier": "Next dossier",
        "split_from": "Split into a new document from page",
        "split": "Split",
        "merge_prev": "Merge with the document above",
        "apply": "Apply",
        "history": "Correction history",
        "no_history": "No corrections yet.",
        "who": "Who",
        "when": "When",
        "what": "What",
        "old": "Old value",
        "new": "New value",
        "t_field": "Field",
        "t_document_type": "Document type",
        "t_word": "Word",
        "t_line": "Line",
        "t_split": "Split",
        "t_merge": "Merge",
        "t_status": "Status",
        "accepted": "accepted",
        "keys_help": "Tab: next field · Enter: accept · Esc: undo · Alt+PgUp/PgDn: page · Alt+D: reviewed · "
        "Alt+N: next dossier · Click a word on the image to correct it (Shift+click: the whole line), "
        "Alt+W: by keyboard · Alt+=/Alt+−/Alt+0, Ctrl+wheel: zoom; drag the image to pan",
        "edit_word": "Correct the recognised word",
        "zoom": "Zoom",
        "zoom_in": "Zoom in",
        "zoom_out": "Zoom out",
        "zoom_fit": "Fit",
        "edit_words_kbd": "Correct words by keyboard",
        "sheet_keys": "Page image: arrows choose a word, Enter corrects it, Shift+Enter the whole line, "
        "Esc back to the field",
        "edit_line": "Correct the whole line",
        "save": "Save",
        "cancel": "Cancel",
        "saved": "Saved",
        "unsaved": "Some fields could not be saved. Leave the page anyway?",
        "claimed_by": "{name} is reviewing",
        "to_complete": "To complete",
        "to_complete_hint": "Dossiers with a refused file or a page that failed: tell the citizen, add the file.",
        "none_to_complete": "No dossier to complete.",
        "problem_default": "The file could not be read",
        "problem_PasswordProtected": "The PDF has a password and cannot be opened",
        "problem_NotADocument": "Not a PDF, TIFF, JPEG or PNG scan",
        "problem_EmptyFile": "The file is empty",
        "problem_TruncatedFile": "The file is cut short or damaged",
        "problem_UndecodableImage": "An image in the file cannot be decoded",
        "problem_TooManyPixels": "The scan is too large",
        "problem_TooManyPages": "The file has too many pages",
        "problem_PagesNotRead": "Some pages of the file could not be read",
        "problem_NoText": "Nothing legible on page {page}",
        "problem_PageFailed": "Page {page} could not be processed",
        "problem_DuplicateFile": "The same file was received before",
        "advice_PageFailed": "Rescan the page and add it to the dossier.",
        "unconfirmed": "These flagged fields were never confirmed:\n{fields}\n\nMark reviewed anyway?",
        "err_StaleEdit": "Someone else changed this dossier before you; the current value",
        "download_pdf": "Searchable PDF",
        "json": "JSON record",
        "back": "Back",
        "error_title": "That did not work",
        "not_found": "No such dossier.",
        "forbidden": "Your role does not allow this.",
        "no_pages": "No page of this dossier has been processed yet.",
        "words_low": "low-confidence words",
        "err_NotADocument": "The file is not a PDF, TIFF, JPEG or PNG scan (checked by its content)",
        "err_EmptyFile": "The file is empty",
        "err_UploadTooLarge": "The upload is larger than allowed",
        "err_DossierExists": "This dossier code exists already",
        "err_DossierBusy": "The dossier is still being processed; please wait",
        "err_NotARefusedFile": "The file to replace is not a refused file of this dossier",
        "err_BadCorrection": "The value is not valid",
        "err_NotAuthenticated": "Your session has ended; please sign in again",
        "err_NotAllowed": "Your role does not allow this",
        "err_RequestError": "The request is not valid",
        "err_other": "Something went wrong; please try again",
        "err_bad_parameter": "The page address has an invalid parameter: {names}",
        "advice_bad_parameter": "Go back, or open the page again from the menu.",
        "advice_DossierNotFound": "Check the dossier code.",
        "advice_NotAllowed": "Your role does not allow this; ask an administrator.",
        "nav_outbox": "Portal",
        "outbox_title": "Status changes sent to the public service portal",
        "outbox_hint": (
            "Every change of a dossier's status is sent to the portal. A change that could not be sent after many "
            "attempts is listed here and goes again only when an admin presses Resend; the same dossier's later "
            "changes wait until it is taken."
        ),
        "outbox_no_portal": "No portal configured (HOSO_PORTAL_URL): changes are kept and will be sent once it is.",
        "outbox_counts": (
            "Waiting: {pending} ({waiting} behind a failed change) · Failed: {failed} · Sent: {delivered}"
        ),
        "outbox_failed": "Not delivered",
        "outbox_none_failed": "No change failed.",
        "outbox_pending": "Waiting to be tried again",
        "outbox_number": "No.",
        "outbox_status": "Status sent",
        "outbox_changed_at": "Changed at",
        "outbox_attempts": "Attempts",
        "outbox_error": "Last error",
        "outbox_next": "Next attempt",
        "outbox_resend": "Resend",
        "outbox_resend_all": "Resend all",
        "outbox_resent": "Put back in the queue.",
        "st_deleted": "Deleted",
        "choose_procedure": "— Choose a procedure —",
        "papers": "Papers of the dossier",
        "papers_complete": "All papers present",
        "papers_reading": "Reading the pages…",
        "paper_missing": "Missing",
        "paper_found": "Found",
        "paper_if": "If",
        "paper_unsure": "check the paper's type",
        "papers_other": "Other papers in the dossier",
        "err_DossierIncomplete": "The dossier lacks papers its procedure requires",
        "err_UnknownProcedure": "No such procedure",
        "incomplete_reason": "Give a reason to mark it reviewed anyway (Cancel: add the papers first):",
        "audit_incomplete": "Marked reviewed while lacking {missing}; reason: {reason}",
    },
}

# Field names as staff say them; the printed labels in doctypes.json are for finding values, not for display.
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def has_message(lang: str, key: str) -> bool:
    """The language (or the default one) has a text for `key`."""
    return key in MESSAGES[lang_or_default(lang)] or key in MESSAGES[DEFAULT_LANG]


def t(lang: str, key: str, **values: object) -> str:
    """The message `key` in `lang` (else Vietnamese, else the key itself)."""
    return t_or(lang, key, key, **values)


def t_or(lang: str, key: str, default: str, **values: object) -> str:
    """The message `key` in `lang` (else Vietnamese); `default` when neither has it."""
    text = MESSAGES[lang_or_default(lang)].get(key) or MESSAGES[DEFAULT_LANG].get(key) or default
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def doc_type_name(lang: str, key: str) -> str:
    try:
        spec = load_catalog().get(key)
    except KeyError:
        return key
    return spec.name_en if lang == "en" else spec.name_vi


def doc_type_choices(lang: str) -> list[tuple[str, str]]:
    return [(s.key, s.name_en if lang == "en" else s.name_vi) for s in load_catalog().types]


def field_label(lang: str, key: str, doc_type: str | None = None) -> str:
    """A field's name on screen, from the type data (schemas/doctypes.json): the document type's own name for
    it ("Ngày ban hành" on an official paper, "Ngày cấp" on a land certificate), else the first type's."""
    catalog = load_catalog()
    types = [catalog.get(doc_type)] if doc_type and doc_type in {s.key for s in catalog.types} else []
    for spec in [*types, *catalog.types]:
        for f in spec.fields:
            if f.key == key and f.name_vi:
                return f.name_en if lang == "en" and f.name_en else f.name_vi
    return key.replace("_", " ").capitalize()


# --- dates and numbers as Vietnamese write them ------------------------------------------------------------


@lru_cache(maxsize=1)
def local_zone() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # no tz database on the machine: Vietnam keeps UTC+7 all year
        return timezone(timedelta(hours=7))


def day_start(day: str) -> float | None:
    """The epoch of 00:00 in Vietnam of `day` (yyyy-mm-dd, as a date input sends it); None for '' or a bad date."""
    try:
        d = datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return None
    return d.replace(tzinfo=local_zone()).timestamp()


def fmt_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).astimezone(local_zone()).strftime("%d/%m/%Y %H:%M")


def fmt_day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).astimezone(local_zone()).strftime("%d/%m/%Y")


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def fmt_value(kind: str, value: str) -> str:
    """A record value as staff read and type it: dates dd/mm/yyyy, areas with a decimal comma."""
    if kind == "date":
        m = _ISO.match(value)
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else value
    if kind == "area":
        return value.replace(".", ",")
    return value
