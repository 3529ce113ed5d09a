"""The centre's digital signature on exported PDFs (PAdES, pyHanko), and checking one (`hoso verify`).

Nghị định 45/2020/NĐ-CP makes the centre's signature what turns a scan into a valid electronic copy. The
certificate and its key come from a PKCS#12 file (HOSO_SIGNING_P12, HOSO_SIGNING_PASSWORD); each PDF is signed
in an incremental update (the PDF/A file before it is kept byte for byte), with an invisible signature field
whose widget is printable, as PDF/A wants. pyHanko is the [sign] extra: imported only when signing or checking.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

from schemas.errors import SigningCertificateError, UnreadablePdf
from workers.settings import ExportSettings

FIELD_NAME = "HosoSignature"


@dataclass(frozen=True)
class CentreSigner:
    """The loaded certificate: who signs, and pyHanko's signer holding the key."""

    common_name: str
    organisation: str
    signer: Any  # pyhanko.sign.signers.SimpleSigner

    @property
    def who(self) -> str:
        return ", ".join(p for p in (self.common_name, self.organisation) if p)


def _name_part(name: Any, oid: Any) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def load_signer(settings: ExportSettings) -> CentreSigner | None:
    """The centre's signer from its PKCS#12 file; None when no file is configured (exports are not signed).
    SigningCertificateError when the file cannot be read, the password is wrong or it holds no key."""
    if settings.signing_p12 is None:
        return None
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    path = Path(settings.signing_p12)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningCertificateError(f"the signing certificate {path} cannot be read ({exc.strerror})") from None
    password = settings.signing_password.encode("utf-8") if settings.signing_password else None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        hint = "no password given (HOSO_SIGNING_PASSWORD)" if password is None else "wrong password, or not PKCS#12"
        raise SigningCertificateError(f"the signing certificate {path} cannot be opened: {hint}") from None
    if key is None or cert is None:
        raise SigningCertificateError(f"the signing certificate {path} holds no certificate with its private key")

    from asn1crypto import keys, x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    signer = signers.SimpleSigner(
        signing_cert=x509.Certificate.load(cert.public_bytes(der)),
        signing_key=keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ),
        cert_registry=SimpleCertificateStore.from_certs([x509.Certificate.load(c.public_bytes(der)) for c in chain]),
    )
    return CentreSigner(
        common_name=_name_part(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_part(cert.subject, NameOID.ORGANIZATION_NAME),
        signer=signer,
    )


def sign_pdf(data: bytes, signer: CentreSigner, *, reason: str) -> bytes:
    """The PDF with the centre's PAdES signature appended (an incremental update covering the whole file)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers import constants

    class PdfaSigner(signers.PdfSigner):
        """PAdES's extension (ESIC, PDF 1.7) only: pyHanko would declare PDF 2.0 for an ECDSA key (ISO/TS 32002),
        which is no longer PDF/A-2; readers check ECDSA signatures in PDF 1.7 files all the same."""

        def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
            pdf_out.ensure_output_version(version=(1, 7))
            pdf_out.register_extension(constants.ESIC_EXTENSION_1)

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", reason=reason
    )
    out = PdfaSigner(meta, signer=signer.signer).sign_pdf(writer)
    return bytes(out.getbuffer())


# --- checking a signature -------------------------------------------------------------------------------


class Outcome(IntEnum):
    """What `hoso verify` found; the value is its exit code."""

    valid = 0  # signed, unchanged since, by a certificate that chains to a trusted root
    untrusted = 10  # signed and unchanged, but the chain is not trusted (or no trust root was given)
    changed = 11  # the signature does not cover the file as it is: changed since signing
    unsigned = 12  # no signature


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    signer_cn: str = ""
    signer_org: str = ""
    signed_at: datetime | None = None
    intact: bool = False  # the signed bytes hash to what was signed, and the signature over them is valid
    whole_file: bool = False  # the signed byte range covers the whole file: nothing added since
    trusted: bool | None = None  # None: no trust root given
    detail: str = ""

    def report(self, name: str) -> str:
        if self.outcome is Outcome.unsigned:
            return f"{name}: not signed"
        who = ", ".join(p for p in (self.signer_cn, self.signer_org) if p) or "(no name)"
        when = self.signed_at.isoformat(timespec="seconds") if self.signed_at else "(no time given)"
        lines = [f"{name}: signed by {who} at {when}"]
        if self.intact and self.whole_file:
            lines.append("  unchanged since signing (the signature covers the whole file)")
        elif not self.intact:
            lines.append("  CHANGED since signing: the signed bytes no longer match the signature")
        else:
            lines.append("  CHANGED since signing: bytes were added or modified after the signature")
        if self.trusted is None:
            lines.append("  chain not checked: no trust root given (--trust or HOSO_SIGNING_TRUST)")
        else:
            lines.append(
                "  chain trusted" if self.trusted else f"  chain NOT trusted{': ' + self.detail if self.detail else ''}"
            )
        return "\n".join(lines)


def load_trust_roots(paths: Sequence[Path]) -> list[Any]:
    """Certificates (PEM, several in a file, or DER) to trust as roots; ConfigError-family when unreadable."""
    from asn1crypto import pem, x509

    roots = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SigningCertificateError(f"the trust root {path} cannot be read ({exc.strerror})") from None
        try:
            blobs = [der for _t, _h, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            for der in blobs:
                cert = x509.Certificate.load(der)
                _ = cert.subject.native  # parsed now: a broken file fails here, not deep in the validation
                roots.append(cert)
        except ValueError:
            raise SigningCertificateError(f"the trust root {path} is not a certificate (PEM or DER)") from None
    return roots


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def verify_pdf(data: bytes, trust_roots: Sequence[Any] | None) -> Verification:
    """Check the file's last signature: intact, covering the whole file, and (with trust roots) trusted."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise UnreadablePdf(f"the file cannot be read as a PDF ({exc})") from None
    if not signatures:
        return Verification(Outcome.unsigned)
    sig = signatures[-1]
    context = ValidationContext(trust_roots=list(trust_roots or []), allow_fetching=False)
    try:
        with _quiet("pyhanko", "pyhanko_certvalidator"):  # an untrusted chain is an outcome, not a traceback
            status = validate_pdf_signature(sig, signer_validation_context=context)
    except (PdfError, ValueError) as exc:
        return Verification(Outcome.changed, detail=f"the signature cannot be checked ({exc})")
    from cryptography import x509 as cx509
    from cryptography.x509.oid import NameOID

    subject = cx509.load_der_x509_certificate(status.signing_cert.dump()).subject
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    trusted = bool(status.trusted) if trust_roots else None
    if not (intact and whole):
        outcome = Outcome.changed
    else:
        outcome = Outcome.valid if trusted else Outcome.untrusted
    indic = status.trust_problem_indic
    return Verification(
        outcome=outcome,
        signer_cn=_name_part(subject, NameOID.COMMON_NAME),
        signer_org=_name_part(subject, NameOID.ORGANIZATION_NAME),
        signed_at=sig.self_reported_timestamp,
        intact=intact,
        whole_file=whole,
        trusted=trusted,
        detail=str(indic.standard_name) if indic is not None and trusted is False else "",
    )
