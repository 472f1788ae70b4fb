"""PDF receipts (收据) for confirmed payments. Chinese text uses reportlab's built-in CID font
STSong-Light, which needs no font file on the machine."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from guanjia.property.models import Payment

FONT = "STSong-Light"
DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿")


def _four(n: int) -> str:
    out, zero = "", False
    for i in range(3, -1, -1):
        d = n // 10**i % 10
        if d:
            out += ("零" if zero and out else "") + DIGITS[d] + UNITS[i]
            zero = False
        else:
            zero = True
    return out


def rmb_upper(amount: Decimal) -> str:
    """The amount in Chinese capital numerals as written on receipts: 120.50 → 壹佰贰拾元伍角整."""
    fen_total = int((amount * 100).to_integral_value())
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    text = ""
    if yuan:
        groups, g = [], 0
        while yuan:
            groups.append((yuan % 10000, g))
            yuan //= 10000
            g += 1
        for i, (value, g) in enumerate(reversed(groups)):
            if value:
                if i and value < 1000:
                    text += "零"
                text += _four(value) + GROUPS[g]
        text += "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += "零"
    return text + (DIGITS[fen] + "分" if fen else "整")


def receipt_pdf(payment: Payment) -> bytes:
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    width, height = landscape(A5)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=True)
    pdf.setTitle(f"收据 {payment.receipt_number}")
    contract, dwelling = payment.contract, payment.dwelling
    pdf.setFont(FONT, 18)
    pdf.drawCentredString(width / 2, height - 50, "物业服务费收据")
    pdf.setFont(FONT, 10)
    pdf.drawRightString(width - 40, height - 72, f"No. {payment.receipt_number}")
    building = dwelling.entrance.building
    rows = [
        ("收款单位", contract.company.name),
        ("房屋", f"{payment.compound.name} {building.name} {dwelling.entrance.name} {dwelling.number}"),
        ("金额（小写）", f"¥ {payment.amount:,.2f}"),
        ("金额（大写）", rmb_upper(payment.amount)),
        ("缴费方式", f"{payment.get_method_display()}  {payment.reference}".strip()),
        ("缴费日期", f"{payment.paid_on:%Y-%m-%d}"),
        (
            "确认时间",
            f"{timezone.localtime(payment.confirmed_at):%Y-%m-%d %H:%M}" if payment.confirmed_at else "",
        ),
        ("服务电话", contract.service_phone),
    ]
    y = height - 105
    pdf.setFont(FONT, 12)
    for label, value in rows:
        pdf.drawString(60, y, label)
        pdf.drawString(170, y, value)
        pdf.line(165, y - 4, width - 60, y - 4)
        y -= 28
    pdf.setFont(FONT, 9)
    pdf.drawString(60, 40, "本收据由管家平台生成；如有疑问请凭收据号向物业服务中心查询。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
