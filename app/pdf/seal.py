"""The platform's electronic seal on finished memoranda: a PAdES B-B signature made with pyHanko.

The seal says "this is the file Asar issued, unchanged since": anyone can check it in a PDF reader or
with `validate_seal`. The key and its self-signed certificate live in two PEM files (by default under
the instance folder, see config.MEMORANDUM_SEAL_KEY / MEMORANDUM_SEAL_CERT), made on first use; the
certificate is published so verifiers can trust it. Sealing appends an incremental update, so the
bytes of the rendered memorandum stay as they were, in front.
"""
import asyncio
import fcntl
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

__all__ = ["SealIdentity", "generate_identity", "load_or_create_identity", "seal_pdf", "validate_seal"]

FIELD_NAME = "AsarSeal"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SealIdentity:
    key_pem: bytes = field(repr=False)  # PKCS #8, unencrypted: never in a log line or a traceback
    cert_pem: bytes


def generate_identity(common_name: str = "Asar platform seal", days: int = 3650) -> SealIdentity:
    """A fresh EC P-256 key and a self-signed certificate for it, good for sealing documents.

    P-256 rather than RSA-2048: every current PDF reader checks ECDSA, and loading an RSA key is slow
    (the key's consistency check costs ~35 ms, and pyHanko loads the key three times per seal).
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Asar")])
    now = datetime.now(timezone.utc).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # a verifier whose clock runs a little behind
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SealIdentity(
        key_pem=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
    )


def load_or_create_identity(key_path: str, cert_path: str) -> SealIdentity:
    """The seal's key and certificate from their files; made and written on first use.

    Only one of the two files present means something went wrong (a lost key, a half-copied
    deployment): that is refused rather than silently replaced by a new seal nobody trusts yet.
    First use may come from several workers at once: creation is serialised by a lock on the key's
    folder, and each file appears complete (written aside, then renamed), the key before the cert.
    """
    key_file, cert_file = Path(key_path), Path(cert_path)
    if not (key_file.exists() and cert_file.exists()):
        cert_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _locked(key_file.parent):
            _create_if_missing(key_file, cert_file)
    identity = SealIdentity(key_file.read_bytes(), cert_file.read_bytes())
    _check_pair(identity, key_file, cert_file)
    return identity


@contextmanager
def _locked(folder: Path):
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _create_if_missing(key_file: Path, cert_file: Path) -> None:
    if key_file.exists() and cert_file.exists():
        return  # another worker made them while this one waited for the lock
    if key_file.exists() or cert_file.exists():
        present, missing = (key_file, cert_file) if key_file.exists() else (cert_file, key_file)
        raise FileNotFoundError(f"Memorandum seal: {present} exists but {missing} does not. Restore the missing "
                                f"file, or remove both to create a new seal (documents sealed before will no "
                                f"longer validate against the new certificate).")
    identity = generate_identity()
    _write(key_file, identity.key_pem, 0o600)
    _write(cert_file, identity.cert_pem, 0o644)
    log.info("Created a new memorandum seal: %s, %s", key_file, cert_file)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write aside with `mode` from the start (the key is never world-readable), then rename into place."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(aside, mode)  # the umask may have taken bits away from the cert's mode
    os.replace(aside, path)


def _check_pair(identity: SealIdentity, key_file: Path, cert_file: Path) -> None:
    key = serialization.load_pem_private_key(identity.key_pem, password=None)
    cert = x509.load_pem_x509_certificate(identity.cert_pem)
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.PEM, public) != \
            cert.public_key().public_bytes(serialization.Encoding.PEM, public):
        raise ValueError(f"Memorandum seal: the key in {key_file} does not belong to the certificate in {cert_file}")


def _certificate(pem: bytes):
    """The first certificate in PEM (or DER) bytes, as pyHanko wants it."""
    return next(iter(load_certs_from_pemder_data(pem)))


def _signer(identity: SealIdentity) -> signers.SimpleSigner:
    cert = _certificate(identity.cert_pem)
    key = load_private_key_from_pemder_data(identity.key_pem, passphrase=None)
    return signers.SimpleSigner(signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore())


def _outside_event_loop(work):
    """pyHanko's sync API calls asyncio.run(); where a loop already runs in this thread, do the work in another."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def seal_pdf(pdf: bytes, identity: SealIdentity, *, reason: str = "Memorandum signed by all parties on Asar",
             location: str | None = None) -> bytes:
    """`pdf` with the platform's PAdES B-B signature appended as an incremental update (invisible field)."""
    return _outside_event_loop(lambda: _seal(pdf, identity, reason, location))


def _seal(pdf: bytes, identity: SealIdentity, reason: str, location: str | None) -> bytes:
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, location=location,
                                        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    out = signers.PdfSigner(meta, signer=_signer(identity)).sign_pdf(writer)
    return out.getvalue()


def validate_seal(pdf: bytes, trusted_cert_pem: bytes) -> dict:
    """Check the last signature in `pdf` against one trusted certificate. Never raises.

    intact: the signed bytes hash to what was signed; valid: intact, the signature itself checks out and
    it covers the whole file (nothing appended after sealing); trusted: the signer's certificate chains
    to `trusted_cert_pem`. Garbage, an unsigned PDF or any failure give all three False.
    """
    return _outside_event_loop(lambda: _validate(pdf, trusted_cert_pem))


def _validate(pdf: bytes, trusted_cert_pem: bytes) -> dict:
    result = {"intact": False, "valid": False, "trusted": False, "signer": "", "signed_at": None}
    try:
        root = _certificate(trusted_cert_pem)
        signatures = PdfFileReader(BytesIO(pdf)).embedded_signatures
        if not signatures:
            return result
        embedded = signatures[-1]
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        result.update(
            intact=bool(status.intact),
            valid=bool(status.intact and status.valid and whole),
            trusted=bool(status.trusted),
            signer=status.signing_cert.subject.human_friendly,
            signed_at=status.signer_reported_dt or embedded.self_reported_timestamp,
        )
    except Exception:  # noqa: BLE001 — a verification page must answer "not valid", not fail
        log.debug("Seal validation failed", exc_info=True)
    return result
