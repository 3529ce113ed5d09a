"""A certificate authority and a centre's signing certificate made at test time (cryptography; nothing fetched)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

CENTRE_CN = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
CENTRE_O = "UBND xã Thử Nghiệm"


@dataclass(frozen=True)
class Pki:
    p12: Path  # the centre's certificate, key and CA, PKCS#12 with `password`
    password: str
    root: Path  # the CA's certificate (PEM): the trust root
    other_root: Path  # a CA that signed nothing here


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])


def _ca(cn: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, "Hoso test CA"))
        .issuer_name(_name(cn, "Hoso test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # key_cert_sign, crl_sign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_pki(folder: Path, password: str = "mat-khau-chung-thu", *, rsa_key: bool = False) -> Pki:
    """A CA, the centre's certificate it issued (digital signature, non-repudiation; an ECDSA P-256 key, or RSA
    2048 as most Vietnamese CAs issue), as files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = _ca("Hoso Test Root CA")
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if rsa_key
        else ec.generate_private_key(ec.SECP256R1())
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(CENTRE_CN, CENTRE_O))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digital_signature, content_commitment (non-repudiation)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = folder / "centre.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"centre", key, cert, [ca_cert], serialization.BestAvailableEncryption(password.encode())
        )
    )
    root = folder / "root.pem"
    root.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    other = folder / "other-root.pem"
    other.write_bytes(_ca("Some Other CA")[1].public_bytes(serialization.Encoding.PEM))
    return Pki(p12=p12, password=password, root=root, other_root=other)
