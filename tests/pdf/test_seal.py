"""The platform's PAdES seal on a rendered memorandum: it validates, it notices a changed byte or an
update appended afterwards, it trusts only its own certificate, and garbage never raises.

No app, no database.
"""
import io
import stat
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pypdf
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from app.pdf.memorandum import render_memorandum
from app.pdf.seal import SealIdentity, generate_identity, load_or_create_identity, seal_pdf, validate_seal
from tests.helpers.memoranda import sample_memorandum
from tests.helpers.pdf import page_texts

NOTHING = {"intact": False, "valid": False, "trusted": False, "signer": "", "signed_at": None}


@pytest.fixture(scope="module")
def identity() -> SealIdentity:
    return generate_identity()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_memorandum(sample_memorandum())


@pytest.fixture(scope="module")
def sealed(pdf, identity) -> bytes:
    return seal_pdf(pdf, identity, location="Атырау")


def test_the_certificate_is_for_signing_documents(identity):
    cert = x509.load_pem_x509_certificate(identity.cert_pem)
    usage = cert.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert cert.issuer == cert.subject and "Asar platform seal" in cert.subject.rfc4514_string()
    assert cert.not_valid_after_utc - cert.not_valid_before_utc > timedelta(days=3649)
    assert b"PRIVATE KEY" not in repr(identity).encode()


def test_a_sealed_memorandum_validates(pdf, sealed, identity):
    assert sealed.startswith(pdf)  # an incremental update: the rendered bytes are untouched
    result = validate_seal(sealed, identity.cert_pem)
    assert result["intact"] and result["valid"] and result["trusted"]
    assert "Asar platform seal" in result["signer"]
    assert abs(result["signed_at"] - datetime.now(timezone.utc)) < timedelta(minutes=5)
    signature = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Memorandum signed by all parties on Asar"
    assert signature.sig_object["/Location"] == "Атырау"
    assert page_texts(sealed) == page_texts(pdf)
    assert len(pypdf.PdfReader(io.BytesIO(sealed)).pages) == len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_one_changed_byte_in_the_signed_range_breaks_it(sealed, identity):
    at = sealed.index(b"/Author (Asar)") + len(b"/Author (A")
    tampered = sealed[:at] + b"z" + sealed[at + 1:]
    result = validate_seal(tampered, identity.cert_pem)
    assert not result["intact"] and not result["valid"] and not result["trusted"]


def test_an_update_appended_after_sealing_is_not_valid(sealed, identity):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = validate_seal(out.getvalue(), identity.cert_pem)
    assert result["intact"] and not result["valid"]


def test_another_seal_is_not_trusted(sealed):
    result = validate_seal(sealed, generate_identity(common_name="Someone else").cert_pem)
    assert result["intact"] and result["valid"] and not result["trusted"]


def test_garbage_never_raises(pdf, sealed, identity):
    assert validate_seal(b"not a pdf at all", identity.cert_pem) == NOTHING
    assert validate_seal(b"", identity.cert_pem) == NOTHING
    assert validate_seal(sealed[: len(sealed) // 2], identity.cert_pem)["intact"] is False
    assert validate_seal(pdf, identity.cert_pem) == NOTHING  # rendered, never sealed
    assert validate_seal(sealed, b"not a certificate") == NOTHING


def test_load_or_create_identity_creates_once_then_reuses(tmp_path, pdf):
    key, cert = tmp_path / "instance" / "seal" / "asar-seal.key", tmp_path / "instance" / "seal" / "asar-seal.crt"
    first = load_or_create_identity(str(key), str(cert))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_bytes() == first.key_pem and cert.read_bytes() == first.cert_pem
    again = load_or_create_identity(str(key), str(cert))
    assert again == first
    assert validate_seal(seal_pdf(pdf, again), first.cert_pem)["trusted"]


def test_first_use_from_many_workers_at_once_makes_one_identity(tmp_path):
    key, cert = tmp_path / "seal" / "asar-seal.key", tmp_path / "seal" / "asar-seal.crt"
    with ThreadPoolExecutor(max_workers=8) as pool:
        identities = list(pool.map(lambda _: load_or_create_identity(str(key), str(cert)), range(8)))
    assert all(identity == identities[0] for identity in identities)
    assert sorted(p.name for p in key.parent.iterdir()) == ["asar-seal.crt", "asar-seal.key"]


def test_half_an_identity_is_refused(tmp_path, identity):
    key, cert = tmp_path / "asar-seal.key", tmp_path / "asar-seal.crt"
    cert.write_bytes(identity.cert_pem)
    with pytest.raises(FileNotFoundError, match="asar-seal.key"):
        load_or_create_identity(str(key), str(cert))
    assert not key.exists()
    key.write_bytes(generate_identity().key_pem)  # a key, but not this certificate's
    with pytest.raises(ValueError, match="does not belong"):
        load_or_create_identity(str(key), str(cert))


def test_sealing_works_inside_a_running_event_loop():
    """Playwright's sync API (browser tests) and async servers run a loop in the calling thread; pyHanko's
    sync calls would refuse with "asyncio.run() cannot be called from a running event loop"."""
    import asyncio

    identity = generate_identity()

    async def inside_a_loop():
        sealed = seal_pdf(render_memorandum(sample_memorandum()), identity)
        return validate_seal(sealed, identity.cert_pem)

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread of its own: the browser tests' loop may run in this one
        result = pool.submit(asyncio.run, inside_a_loop()).result()
    assert result["intact"] and result["valid"] and result["trusted"]
