"""Tables as PDF documents to sign: A4 landscape, Chinese font, page numbers, signature block.

:func:`write_table_pdf` lays out any roster-like table with ReportLab as a 公文 attachment:
the GB/T 9704 margins turned with the page (版心 225 × 156 mm), a title (and a subtitle),
the table with its header repeated on every page and long cells wrapped, "第 x 页 共 y 页"
at the foot of each page, at the end a block for the reviewing (审核) and approving (审批)
signatures and the 落款 (issuing organisation and date), right-aligned. The font is the
bundled Chinese font (:mod:`matcher.model.io.fonts`), embedded as a subset so any reader
shows the same glyphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matcher.model.io.atomic import atomic_path
from matcher.model.io.fonts import cjk_font_path
from matcher.model.language import pick
from matcher.model.text import clean

FONT = "CJK"  # the name the font is registered under in ReportLab


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(cjk_font_path()), subfontIndex=0))


def _numbered_canvas(lang: str) -> Any:
    """A canvas class that writes "page x of y" once the page count is known."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    width, _ = landscape(A4)

    class Numbered(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 9)
                n = self._pageNumber
                text = pick(lang, f"第 {n} 页  共 {total} 页", f"page {n} of {total}")
                self.drawCentredString(width / 2, 20, text)
                super().showPage()
            super().save()

    return Numbered


def signature_block(lang: str) -> list[list[str]]:
    """Rows of the reviewing and approving block (opinion, signature, date)."""
    date = pick(lang, "______年____月____日", "date: __________")
    return [
        [
            pick(lang, "审核意见：", "Reviewed:"),
            "",
            pick(lang, "审核人（签字）：", "Signature:"),
            date,
        ],
        [
            pick(lang, "审批意见：", "Approved:"),
            "",
            pick(lang, "审批人（签字）：", "Signature:"),
            date,
        ],
    ]


def write_table_pdf(
    path: str | Path,
    *,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    subtitle: str = "",
    lang: str = "zh",
    signatures: bool = True,
    closing: Sequence[str] = (),
) -> None:
    """Write a table as a signed-off PDF document, atomically.

    ``widths`` are relative column widths (scaled to the page width); ``closing`` lines are
    set right-aligned below the table (a 落款 and its date).
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from matcher.model.io.document import MARGINS_MM

    _register_font()
    page_w, _ = landscape(A4)
    left, right = MARGINS_MM["left"] * mm, MARGINS_MM["right"] * mm
    usable = page_w - left - right
    scale = usable / float(sum(widths))
    col_w = [w * scale for w in widths]
    wrap = None if lang == "en" else "CJK"  # CJK breaks anywhere; English at spaces
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, wordWrap=wrap)
    head = ParagraphStyle("head", parent=cell, alignment=1)
    big = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
    small = ParagraphStyle("sub", fontName=FONT, fontSize=9, leading=12, alignment=1)

    def para(value: Any, style: ParagraphStyle) -> Paragraph:
        text = "" if value is None else clean(str(value))
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(text, style)

    data = [[para(h, head) for h in header]] + [[para(v, cell) for v in r] for r in rows]
    table = Table(data, colWidths=col_w, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story: list[Any] = [para(title, big)]
    if subtitle:
        story.append(para(subtitle, small))
    story += [Spacer(1, 4 * mm), table]
    if closing:
        flush = ParagraphStyle("closing", fontName=FONT, fontSize=11, leading=16, alignment=2)
        story += [Spacer(1, 10 * mm), *(para(line, flush) for line in closing)]
    if signatures:
        sign_style = ParagraphStyle("sign", fontName=FONT, fontSize=10, leading=14)
        block = Table(
            [[para(v, sign_style) for v in r] for r in signature_block(lang)],
            colWidths=[usable * f for f in (0.12, 0.38, 0.18, 0.32)],
            rowHeights=[18 * mm, 18 * mm],
        )
        block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 8 * mm), KeepTogether([block])]
    if closing:
        seal = ParagraphStyle("seal", fontName=FONT, fontSize=12, leading=20, alignment=2)
        story += [Spacer(1, 10 * mm), KeepTogether([para(line, seal) for line in closing])]
    with atomic_path(path) as temp:
        doc = SimpleDocTemplate(
            str(temp),
            pagesize=landscape(A4),
            leftMargin=left,
            rightMargin=right,
            topMargin=MARGINS_MM["top"] * mm,
            bottomMargin=MARGINS_MM["bottom"] * mm,
            title=title,
            author=pick(lang, "干部选派匹配系统", "cadre matcher"),
        )
        doc.build(story, canvasmaker=_numbered_canvas(lang))


__all__ = ["signature_block", "write_table_pdf"]
