"""Legacy-font text in Word files: runs typed in TCVN3 (".VnTime") or VNI ("VNI-Times") fonts.

Word stores such text as the font's byte codes; it only looks right with the old font. Each
run's effective font is resolved (run properties, character style, paragraph style with its
basedOn chain, document defaults); runs in a legacy font are converted to Unicode, one
decision per font for the whole document.
"""
from __future__ import annotations

from docx.oxml.ns import qn
from docx.text.run import Run

from normalize.legacy import font_encoding, from_font_name, is_uppercase_font, to_unicode


def _rfonts_name(rpr) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        return None
    return fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))


class LegacyFonts:
    """Resolves run fonts and converts legacy-font runs of one document."""

    def __init__(self, document) -> None:
        styles_el = document.styles.element
        self._style_font: dict[str, str | None] = {}
        self._based_on: dict[str, str] = {}
        self._default_para_style: str | None = None
        for style in styles_el.findall(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            self._style_font[sid] = _rfonts_name(style.find(qn("w:rPr")))
            based = style.find(qn("w:basedOn"))
            if based is not None:
                self._based_on[sid] = based.get(qn("w:val"))
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                self._default_para_style = sid
        defaults = styles_el.find(qn("w:docDefaults"))
        rpr_default = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self._default_font = _rfonts_name(rpr_default)
        names = set(filter(None, self._style_font.values())) | {self._default_font}
        body = document.element.body
        names |= {_rfonts_name(r) for r in body.iter(qn("w:rPr"))}
        self.active = any(from_font_name(n) for n in names if n)
        self._decided: dict[str, str | None] = {}
        self.converted = False
        if self.active:
            self._decide(body)

    def _style_chain_font(self, sid: str | None) -> str | None:
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            if self._style_font.get(sid):
                return self._style_font[sid]
            sid = self._based_on.get(sid)
        return None

    def run_font(self, r, paragraph_style: str | None) -> str | None:
        rpr = r.find(qn("w:rPr"))
        font = _rfonts_name(rpr)
        if font:
            return font
        if rpr is not None:
            rstyle = rpr.find(qn("w:rStyle"))
            if rstyle is not None:
                font = self._style_chain_font(rstyle.get(qn("w:val")))
                if font:
                    return font
        return self._style_chain_font(paragraph_style or self._default_para_style) or self._default_font

    @staticmethod
    def _paragraph_style(p) -> str | None:
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return style.get(qn("w:val")) if style is not None else None

    def _runs(self, p):
        style = self._paragraph_style(p)
        for r in p.xpath("./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:sdt/w:sdtContent/w:r"
                         " | ./w:fldSimple/w:r | ./w:ins/w:hyperlink/w:r"):   # as docx._TEXT_NODES
            yield Run(r, None).text, self.run_font(r, style)

    def _decide(self, body) -> None:
        samples: dict[str, list[str]] = {}
        for p in body.iter(qn("w:p")):
            for text, font in self._runs(p):
                if font and from_font_name(font):
                    samples.setdefault(font, []).append(text)
        for font, texts in samples.items():
            self._decided[font] = font_encoding(font, "".join(texts)[:50000])

    def paragraph_text(self, p) -> str:
        """The paragraph's text with legacy-font runs converted (consecutive runs of one
        font are converted together: a VNI letter may be split over two runs)."""
        out: list[str] = []
        group: list[str] = []
        group_font: str | None = None

        def flush() -> None:
            if not group:
                return
            text = "".join(group)
            encoding = self._decided.get(group_font) if group_font else None
            if encoding:
                text = to_unicode(text, encoding, uppercase_font=is_uppercase_font(group_font))
                self.converted = True
            out.append(text)
            group.clear()

        for text, font in self._runs(p):
            if font != group_font:
                flush()
                group_font = font
            group.append(text)
        flush()
        return "".join(out)
