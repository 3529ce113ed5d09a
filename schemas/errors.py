"""One exception family. Each class says what the user should do and how it is translated.

Translation happens in three places only: the CLI (``exit_code``), the actors (``retry``: transient errors
are retried with backoff, permanent ones are not) and the web API (``http_status``).
"""

from __future__ import annotations

# What a bug (any exception that is not a HosoError) becomes at those places: never a user error's code or
# advice. The bug itself is logged there with its traceback.
INTERNAL_EXIT_CODE = 70  # EX_SOFTWARE
INTERNAL_HTTP_STATUS = 500
INTERNAL_MESSAGE = "internal error: this is a bug in hoso; the log has its details"


class HosoError(Exception):
    """Root of every error hoso raises on purpose."""

    exit_code = 1
    retry = False
    http_status = 500
    advice = "See the log for details."

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file

    @property
    def kind(self) -> str:
        return type(self).__name__

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}{self.message}. {self.advice}"


# --- bad input: permanent, never retried; the original is kept and the reason recorded -----------------


class InputError(HosoError):
    exit_code = 2
    http_status = 422
    advice = "Rescan the paper or export the file again; the original has been kept."


class EmptyFile(InputError):
    advice = "The file has no content: save the scan again."


class MissingFile(InputError):
    advice = "Check the path: the file does not exist or cannot be read."


class NotADocument(InputError):
    advice = "Give a PDF, TIFF, JPEG or PNG scan."


class TruncatedFile(InputError):
    advice = "The file is cut short or damaged: copy or export it again from the scanner."


class NotARegularFile(InputError):
    advice = "Put the scan itself in the folder (a file, not a link, pipe or device)."


class UndecodableImage(InputError):
    advice = (
        "An image in the file cannot be decoded (damaged, or a coding hoso's PDF reader cannot read): export the "
        "scan again, as a PDF of JPEG or CCITT images, or as TIFF."
    )


class PasswordProtected(InputError):
    advice = "Remove the password (print to a new PDF) and submit again."


class TooManyPixels(InputError):
    advice = "Scan at 300 dpi or less, or raise the pixel limit (HOSO_MAX_PIXELS) if the image is genuine."


class TooManyPages(InputError):
    advice = "Split the file into smaller dossiers, or raise the page limit (HOSO_MAX_PAGES)."


class PagesNotRead(InputError):
    advice = "The rest of the file is recorded: rescan the pages named and put the new file in the watch folder."


class NoText(InputError):
    """Recorded, not raised: a page was read and nothing legible was on it."""

    advice = (
        "Nothing could be read on the page (a photo, or a scan too faint): check it and rescan it if it is a paper."
    )


class UnreadablePdf(InputError):
    advice = "The file is not a PDF that can be read, or it is damaged: ask for the exported file again."


class DuplicateFile(InputError):
    advice = "Nothing to do: the same file (same SHA-256) was taken before and its record exists."


# --- not found / usage ---------------------------------------------------------------------------------


class DossierNotFound(HosoError):
    exit_code = 3
    http_status = 404
    advice = "Check the dossier code."


class DeliveryNotFound(HosoError):
    exit_code = 3
    http_status = 404
    advice = "Check the change's number in the outbox (`hoso outbox list`)."


class ConfigError(HosoError):
    exit_code = 4
    http_status = 500
    advice = "Fix the configuration (environment variables or command-line options)."


class MissingExtra(ConfigError):
    advice = "Install the extra named (pip install 'hoso[EXTRA]'), or use an image that has it."


class AdminUnitsMissing(ConfigError):
    advice = "Install hoso again (pip install hoso): the administrative-units dataset (vietnamadminunits) is missing."


class WatchFolderMissing(ConfigError):
    advice = "Create the folder, or give `hoso watch` the path of the folder the scanners save to."


class WatchFolderBusy(ConfigError):
    advice = "Another `hoso watch` is taking files from this folder: stop it first (one watcher per folder)."


class SigningCertificateError(ConfigError):
    advice = (
        "Check HOSO_SIGNING_P12 (a readable PKCS#12 file with the centre's certificate and its private key) and "
        "HOSO_SIGNING_PASSWORD (that file's password); unset HOSO_SIGNING_P12 to export without signing."
    )


class ExportResourceMissing(ConfigError):
    advice = (
        "Install what PDF/A files embed: Debian's libgs-common (the sRGB profile) and tesseract-ocr (pdf.ttf), "
        "or run scripts/setup.sh."
    )


# --- requests to the web API: refused as they stand ----------------------------------------------------------


class RequestError(HosoError):
    exit_code = 2
    http_status = 422
    advice = "Check the request against the API description (/docs)."


class BadDossierCode(RequestError):
    advice = "Give a code like HS-20261202-1A2B3C or 000.00.28.H57-250338-1306, or leave it out to get a new one."


class NotAuthenticated(RequestError):
    http_status = 401
    advice = "Sign in, or send an API token (Authorization: Bearer ...); `hoso user add` makes one."


class NotAllowed(RequestError):
    http_status = 403
    advice = "Your role does not allow this; ask an administrator."


class DossierExists(RequestError):
    http_status = 409
    advice = "Choose another dossier code, or leave it out to get a new one."


class DossierBusy(RequestError):
    http_status = 409
    advice = "Wait until the dossier's pages are processed, then try again."


class NotARefusedFile(RequestError):
    """Files sent to replace one (`replace=`) that is not a refused file of the dossier."""

    advice = "Name a file of this dossier that was refused (its problem is on the dossier), or send no `replace`."


class NoPagesToExport(RequestError):
    """A dossier whose every file was refused: nothing to put in a PDF."""

    http_status = 409
    advice = "Add a readable scan to the dossier (POST /api/dossiers/{code}/files, or 'Bổ sung tệp'), then export."


class StaleEdit(RequestError):
    """A write made from an older version of the dossier than the stored one: another reviewer wrote first."""

    http_status = 409
    advice = "Someone else changed the dossier after you opened it: look at the current value, then save again."

    def __init__(
        self, message: str, *, version: int, current: dict[str, object] | None = None, file: str | None = None
    ) -> None:
        super().__init__(message, file=file)
        self.version = version
        self.current = current


class UnknownProcedure(RequestError):
    advice = "Name one of the procedures hoso knows (schemas/procedures.json and HOSO_PROCEDURES_FILE), by its key."


class DossierIncomplete(RequestError):
    """Marking reviewed a dossier that lacks a paper its procedure requires, without saying why."""

    http_status = 409
    advice = (
        "Bổ sung giấy tờ còn thiếu vào hồ sơ, hoặc ghi lý do (reason) để đánh dấu đã kiểm tra "
        "(Add the missing papers, or give a reason to mark it reviewed anyway)."
    )


class PageLimitReached(RequestError):
    http_status = 429
    advice = "Wait until the hour has passed, or ask an administrator to raise HOSO_MAX_PAGES_PER_HOUR."


class BadCorrection(RequestError):
    advice = "The correction does not fit the record as it is now: reload the dossier and try again."


class DeliveryNotFailed(RequestError):
    http_status = 409
    advice = "A pending change is on its way and a delivered one was acknowledged: only a failed one is sent again."


class DuplicateUpload(RequestError):
    """Files sent for a new dossier that dossiers already hold: nothing is created until the clerk says so."""

    http_status = 409
    advice = "Open the dossier that has the file; to receive it again anyway, send it without check_duplicates."

    def __init__(self, message: str, *, duplicates: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.duplicates = duplicates


class UploadTooLarge(InputError):
    http_status = 413
    advice = "Send fewer or smaller files at once, or raise the limit (HOSO_MAX_UPLOAD_MB)."


# --- transient: retried with backoff ---------------------------------------------------------------------


class TransientError(HosoError):
    exit_code = 75  # EX_TEMPFAIL
    retry = True
    http_status = 503
    advice = "Try again shortly; if it persists, check that the service is running."


class StorageUnavailable(TransientError):
    advice = "Object storage did not answer: check that it is running; the work will be retried."


class DatabaseUnavailable(TransientError):
    advice = "The record database did not answer: check that it is running; the work will be retried."


class PortalUnavailable(TransientError):
    advice = (
        "The portal did not acknowledge the status change: it is sent again with backoff; check HOSO_PORTAL_URL and "
        "the portal, and resend what failed (`hoso outbox resend`)."
    )


# --- engine ------------------------------------------------------------------------------------------------


class OcrEngineError(HosoError):
    exit_code = 5
    retry = True
    advice = "Check that Tesseract and its language data (tesseract-ocr-vie, -osd) are installed."


class MissingLanguage(OcrEngineError):
    retry = False
    advice = "Install the language data (apt-get install tesseract-ocr-<lang>) or choose another language."


def advice_of(kind: str) -> str:
    """The advice of the error class named `kind` (as recorded with a refused file), else the input errors'."""

    def classes(root: type[HosoError]) -> list[type[HosoError]]:
        return [root, *(c for sub in root.__subclasses__() for c in classes(sub))]

    found = next((c for c in classes(HosoError) if c.__name__ == kind), InputError)
    return found.advice
