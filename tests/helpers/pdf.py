"""Reading PDFs back in tests: the text as a reader would copy it, the QR codes as a phone would scan them."""
import io

import pypdf
import pypdfium2 as pdfium
import zxingcpp


def flat(text: str) -> str:
    """Whitespace-insensitive: wrapped lines come out of the extractor with newlines."""
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def decode_qr_codes(pdf: bytes, page: int = 0, dpi: int = 200) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
