"""Certificate documents: the QR code linking to the public check, and the printable PDF.

The PDF uses reportlab's built-in CJK font (STSong-Light, an Adobe CID font every PDF reader
has), so no font file is downloaded or shipped.
"""

import io
import re

import qrcode
import qrcode.image.svg

from django.utils import timezone

CID_FONT = "STSong-Light"


def normalise_code(value: str) -> str:
    """A verification code as typed: case, spaces and dashes do not matter."""
    raw = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    if len(raw) != 12:
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def certificate_qr_svg(url: str) -> str:
    """An inline SVG QR code for ``url``, made on the server."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    return svg.replace("<svg ", '<svg role="img" aria-label="证书验证二维码" ', 1)


def _qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(url, box_size=10, border=2).save(buffer, format="PNG")
    return buffer.getvalue()


def certificate_pdf_bytes(certificate, verify_url: str) -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"合格证书 {certificate.code}")
    red = HexColor("#9e1b1b")
    pdf.setStrokeColor(red)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(1)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    pdf.setFillColor(red)
    pdf.setFont(CID_FONT, 36)
    pdf.drawCentredString(width / 2, height - 50 * mm, "合 格 证 书")
    pdf.setFillColor(HexColor("#1f2328"))
    pdf.setFont(CID_FONT, 16)
    lines = [
        f"{certificate.holder_name}" + (f"（{certificate.department_name}）" if certificate.department_name else ""),
        f"参加“{certificate.exam.title}”，",
        f"成绩 {certificate.score:g} 分（满分 {certificate.max_score:g} 分），考试合格，特发此证。",
    ]
    y = height - 80 * mm
    for line in lines:
        pdf.drawCentredString(width / 2, y, line)
        y -= 12 * mm
    pdf.setFont(CID_FONT, 12)
    issued = timezone.localtime(certificate.issued_at)
    pdf.drawString(30 * mm, 40 * mm, f"发证日期：{issued:%Y年%m月%d日}")
    pdf.drawString(30 * mm, 32 * mm, f"验证码：{certificate.code}")
    pdf.drawString(30 * mm, 24 * mm, f"验证网址：{verify_url}")
    if certificate.revoked_at:
        pdf.setFillColor(red)
        pdf.setFont(CID_FONT, 20)
        pdf.drawCentredString(width / 2, 55 * mm, "本证书已撤销")
    size = 40 * mm
    pdf.drawImage(ImageReader(io.BytesIO(_qr_png(verify_url))), width - 30 * mm - size, 22 * mm, size, size)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
