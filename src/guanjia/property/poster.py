"""The QR code on the printed 公示 poster: scanning it opens the compound's disclosure page."""

from __future__ import annotations

import io


def qr_svg(url: str, *, scale: int = 6) -> str:
    """An inline SVG (no <?xml?> header) of the URL as a QR code, error correction M."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title="二维码", nl=False
    )
    return out.getvalue().decode("utf-8")
