"""Layout analysis: text → blocks (headings, paragraphs, bullets, sub-items) → segments.

The text is what a reader produced (plain text from a PDF, markdown-ish text from DOCX or
HTML). This module

* drops page furniture: UN document symbols (``A/C.2/65/2``), job numbers
  (``10-60686 4``), page numbers, running headers repeated on many pages, separator lines
  and the footnote bodies that follow them, tables of contents;
* joins the lines of a paragraph, undoing end-of-line hyphenation and paragraphs split by
  a page break (a block starting in lower case continues the previous one);
* recognises headings (markdown ``#``, roman-numbered and lettered section titles,
  numbered titles, short title lines), numbered paragraphs (``71.``/``71``), lettered and
  roman sub-items (``a)``, ``(iv)``), bullets (``-``, ``•``, ``–``…);
* keeps, for every character of a block's cleaned text, where it came from, so that
  sentence spans can be reported as offsets into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# --- line classification ----------------------------------------------------------------

_UN_SYMBOL = re.compile(r"^(?:[A-Z]{1,6}(?:/[A-Z0-9][A-Za-z0-9.\-*]*){1,6})(?:\s+\(?[A-Z]\)?)?$")
_JOB_NUMBER = re.compile(
    r"^(?:\d{1,3}(?:/\d{1,3})?\s+)?(?:GE\.)?\d{2}-\d{4,6}(?:\s*\d{1,3})?(?:\s*\([A-Z]\))?"
    r"(?:\s+\d{1,3}(?:/\d{1,3})?|\s+\d{6}){0,3}$"
    r"|^\*\d{6,8}\*$"  # bar code of UN job numbers
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?(?:\s*[-–—])?$", re.I
)
_SEPARATOR = re.compile(r"^[_]{5,}$|^[-–—=*]{10,}$")
_TOC_LINE = re.compile(r"^\S.{2,150}?(?:\t+|\.{3,}\s*|\s{3,})\d{1,4}$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_ROMAN_HEADING = re.compile(r"^([IVXLC]{1,6})(?:\.|\t|\s{2,}|\s*[-–—]\s+|\s+(?=[A-ZÀ-Ý]))\s*(\S.*)$")
_LETTER_HEADING = re.compile(r"^([A-H])[.\t]\s+(\S.*)$")
_NUM_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*[a-z]?\)?)\s+(\S.*)$")
_NUM_PARA = re.compile(r"^(\[?)(\d{1,3})(\.?)(?:\s+|\t)(?=\S)")
_SUB_ITEM = re.compile(r"^(\[?)(\(?(?:[a-z]|[ivx]{1,6})\))(?:\s+|\t)(?=\S)")  # label as written
_BULLET = re.compile(r"^(?:[-*•‣◦▪▫●○■□–—➢➤✓✔►]|\d{1,2}\))(?:\s+|\t)(?=\S)")
_MARKER_ONLY = re.compile(r"^\[?(?:\d{1,3}\.|\(?(?:[a-z]|[ivx]{1,6})\))$")
_MONTH = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\s+\d{4}\b",
    re.I,
)
_FOOTNOTE_START = re.compile(r"^(?:\d{1,3}|[a-z]|\*{1,3})\s+(?=\S)")
_TERMINAL = re.compile(r"[.;:!?»\"”)\]]\s*$")
_MARK_LINE = re.compile(r"^\(\s*(?:adopt|agreed|approuv|convenu)[^)]{0,20}\)\s*\.?$", re.I)
_MD_EMPH = re.compile(r"\*{1,3}|_{2,3}")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")


@dataclass
class Line:
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str  # stripped text
    kind: str = "text"  # text | blank | furniture | heading | para | sub | bullet
    level: int = 0
    label: str = ""  # paragraph number, sub-item letter, heading text
    body_start: int = 0  # offset where the content after the marker starts


@dataclass
class Block:
    kind: str  # heading | para | bullet | sub
    text: str  # cleaned text (markers removed, lines joined)
    pieces: list[tuple[int, int]]  # (clean offset, original offset) at each piece start
    label: str = ""  # § number for numbered paragraphs, letter for sub-items
    level: int = 0
    heading_path: tuple[str, ...] = ()
    para_num: str = ""  # the numbered paragraph this block belongs to
    bullet_index: int = 0  # nth bullet (or paragraph) under the current heading
    locator: str = ""
    ends_open: bool = False  # does not end with terminal punctuation
    group: int = 0  # index of the numbered paragraph / top block the block belongs to
    children: list[int] = field(default_factory=list)

    def orig(self, i: int) -> int:
        """Original offset of the clean-text position ``i``."""
        k = bisect_right(self.pieces, (i, 1 << 62)) - 1
        if k < 0:
            return self.pieces[0][1]
        cs, os_ = self.pieces[k]
        return os_ + (i - cs)


def _strip_line(text: str, start: int) -> tuple[int, int, str]:
    left = len(text) - len(text.lstrip())
    s = text.strip()
    return start + left, start + left + len(s), s


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        s, e, t = _strip_line(raw.replace("\f", " "), pos)
        lines.append(Line(s, e, t, "blank" if not t else "text"))
        if "\f" in raw:
            lines[-1].kind = "blank" if not t else lines[-1].kind
        pos += len(raw) + 1
    return lines


def _is_furniture(t: str) -> bool:
    if _UN_SYMBOL.match(t) or _JOB_NUMBER.match(t) or _PAGE_NUMBER.match(t):
        return True
    if t in ("---", "***", "* * *"):
        return True
    return False


@dataclass
class _Reading:
    """What classifying a line needs to know about the lines before it."""

    repeated: set[str]
    in_footnotes: bool = False  # between a separator line and the next page's furniture
    footnote_open: bool = False  # the last footnote line did not end its sentence
    last_num: int | None = None  # the last numbered paragraph
    prev_kind: str = "blank"
    prev_text: str = ""
    marker: str = ""  # a paragraph number or sub-item letter alone on the line before


def classify_lines(lines: list[Line]) -> None:
    """Set ``kind`` on every line: furniture, heading, para, sub, bullet, marker or text."""
    st = _Reading(_running_lines(lines))
    for i, ln in enumerate(lines):
        if not ln.text:
            ln.kind = "blank"
            if not st.marker:
                st.prev_kind = "blank"
            continue
        if _furniture_or_footnote(ln.text, st):
            ln.kind = "furniture"
            continue
        if _MARKER_ONLY.match(ln.text) and _next_text(lines, i) is not None:
            # PDF text puts « 6. » or « (a) » alone on its line, the paragraph on the next
            ln.kind, st.marker = "marker", ln.text
            continue
        _classify_content_line(lines, i, st)
        st.marker = ""
        st.prev_kind, st.prev_text = ln.kind, ln.text


def _running_lines(lines: list[Line]) -> set[str]:
    """Running headers and footers: short lines repeated on many pages, or on every page
    next to the page furniture (a running title over two lines, in a short document)."""
    where: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.text and len(ln.text) < 80:
            where.setdefault(ln.text, []).append(i)
    out = set()
    for t, places in where.items():
        if len(places) < 2 or _MARK_LINE.match(t) or _MARKER_ONLY.match(t):
            continue  # « (Adopté) » and « (a) » alone on their line recur, and are content
        if len(places) >= 3 and not _looks_like_content(t):
            out.add(t)
        elif all(_near_furniture(lines, i) for i in places):
            out.add(t)
    return out


def _near_furniture(lines: list[Line], i: int) -> bool:
    near = lines[max(0, i - 4) : i] + lines[i + 1 : i + 5]
    return any(ln.text and _is_furniture(ln.text) for ln in near)


def _furniture_or_footnote(t: str, st: _Reading) -> bool:
    """Page furniture, or a footnote body between a separator line and the next page."""
    if _SEPARATOR.match(t):
        st.in_footnotes, st.footnote_open = True, False
        return True
    if _is_furniture(t) or t in st.repeated or _TOC_LINE.match(t):
        st.in_footnotes = False  # the next page starts: what follows is body text again
        return True
    if not st.in_footnotes:
        return False
    if (_FOOTNOTE_START.match(t) and not _NUM_PARA_CONTINUES(t, st.last_num)) or st.footnote_open:
        st.footnote_open = not _TERMINAL.search(t)
        return True
    st.in_footnotes = False
    return False


def _next_text(lines: list[Line], i: int) -> Line | None:
    """The next non-blank line after ``i`` when it is not furniture (within two lines)."""
    for ln in lines[i + 1 : i + 4]:
        if ln.text:
            return None if _is_furniture(ln.text) or _SEPARATOR.match(ln.text) else ln
    return None


def _classify_content_line(lines: list[Line], i: int, st: _Reading) -> None:
    ln = lines[i]
    t = f"{st.marker} {ln.text}" if st.marker else ln.text
    shift = len(t) - len(ln.text)  # the marker is not in this line's text
    m = _MD_HEADING.match(t)
    if m and not st.marker:
        ln.kind, ln.level, ln.label = "heading", len(m.group(1)), _clean_heading(m.group(2))
        ln.body_start = ln.end - len(m.group(2)) if m.group(2) else ln.end
        return
    block_start = (
        st.prev_kind in ("blank", "heading", "furniture")
        or bool(_TERMINAL.search(st.prev_text))
        or (st.prev_kind == "text" and len(st.prev_text) < 60 and _is_title_text(st.prev_text))
    )
    if block_start and _numbered_paragraph(lines, i, t, shift, st):
        return
    if block_start and not st.marker and _section_heading(lines, i, t):
        return
    for kind, rx in (("sub", _SUB_ITEM), ("bullet", _BULLET)):
        m = rx.match(t)
        if m:
            ln.kind, ln.label = kind, m.group(2) if kind == "sub" else ""
            ln.body_start = ln.start + max(0, m.end() - shift)
            return
    ln.kind, ln.body_start = "text", ln.start


def _numbered_paragraph(lines: list[Line], i: int, t: str, shift: int, st: _Reading) -> bool:
    """``71. Text`` (or ``71 Text`` in drafts) that follows the running paragraph sequence."""
    ln = lines[i]
    m = _NUM_PARA.match(t)
    if not m:
        return False
    n, dotted, rest = int(m.group(2)), bool(m.group(3)), t[m.end() :]
    last = st.last_num
    seq_ok = last is None or n == last + 1 or n == 1 or (dotted and last < n <= last + 3)
    short_title = _is_title_text(rest) and _next_is_block_start(lines, i) and not st.marker
    if not seq_ok or short_title or not (dotted or rest[:1].isupper() or rest[:1] in '«"['):
        return False
    if not dotted and _MONTH.match(rest):
        return False  # « 14 October 2025 », the date under a document's symbol
    ln.kind, ln.label = "para", str(n)
    ln.body_start = ln.start + max(0, m.end() - shift)
    st.last_num = n
    return True


def _section_heading(lines: list[Line], i: int, t: str) -> bool:
    """Roman (``IV.``), lettered (``A.``) and numbered (``3.2``) section titles."""
    ln = lines[i]
    m = _ROMAN_HEADING.match(t)
    if m and (
        _is_title_text(m.group(2))
        or ("\t" in t[: m.start(2)] and len(t) < 300 and not _TERMINAL.search(t) and m.group(2)[:1].isupper())
    ):
        ln.kind, ln.level, ln.label = "heading", 2, f"{m.group(1)}. {_clean_heading(m.group(2))}"
        return True
    m = _LETTER_HEADING.match(t)
    if m and _is_title_text(m.group(2)):
        ln.kind, ln.level, ln.label = "heading", 3, f"{m.group(1)}. {_clean_heading(m.group(2))}"
        return True
    m = _NUM_HEADING.match(t)
    if m and _is_title_text(m.group(2)) and _next_is_block_start(lines, i):
        ln.kind, ln.level = "heading", 2 + m.group(1).count(".") + (1 if m.group(1)[-1:].isalpha() else 0)
        ln.label = f"{m.group(1)} {_clean_heading(m.group(2))}"
        return True
    return False


def _NUM_PARA_CONTINUES(t: str, last_num: int | None) -> bool:
    """A numbered paragraph right after footnotes (the body text resuming)."""
    m = _NUM_PARA.match(t)
    return bool(m and last_num is not None and int(m.group(2)) == last_num + 1 and m.group(3))


def _looks_like_content(t: str) -> bool:
    return len(t.split()) > 8 or t.startswith(("#", "-", "•"))


def _clean_heading(t: str) -> str:
    t = _MD_LINK.sub(r"\1", t)
    t = _MD_EMPH.sub("", t)
    t = re.sub(r"^\[[^\]]{1,30}\]\s*", "", t)  # icon placeholders such as "[Building]"
    return " ".join(t.split()).strip()


def _is_title_text(t: str) -> bool:
    t = _clean_heading(t)
    if not t or len(t) > 160 or len(t.split()) > 22:
        return False
    if _MARK_LINE.search(t) or re.search(r"\(\s*(?:adopt|agreed)", t, re.I):
        return False
    core = t.rstrip(' ]»"”)*')
    if not core or (core[-1] in ".;,!?:" and not core.endswith("...")):
        return False
    if t[-1] in ".;,!?:" and not t.endswith("..."):
        return False
    return t[0].isupper() or t[0].isdigit() or t[0] in "«\"'"


def _next_is_block_start(lines: list[Line], i: int) -> bool:
    """The line after ``i`` is blank or opens a new block (so line ``i`` stands alone)."""
    for ln in lines[i + 1 : i + 4]:
        if ln.kind == "furniture" or _is_furniture(ln.text) or _SEPARATOR.match(ln.text or "_"):
            if ln.text:
                continue
        if not ln.text:
            return True
        t = ln.text
        return bool(
            _MARKER_ONLY.match(t)
            or _NUM_PARA.match(t)
            or _BULLET.match(t)
            or _SUB_ITEM.match(t)
            or _MD_HEADING.match(t)
            or _ROMAN_HEADING.match(t)
        )
    return True


# --- blocks -----------------------------------------------------------------------------


def build_blocks(text: str) -> list[Block]:
    lines = split_lines(text)
    classify_lines(lines)
    blocks = [_make_block(group) for group in _group_lines(lines)]
    _promote_title_lines(blocks)
    _assign_locators(blocks)
    return blocks


@dataclass
class _Grouping:
    """Lines gathered into blocks so far, and what lay between the last line and the next."""

    median: int  # median length of text lines: a shorter line may end its paragraph
    raw: list[list[Line]] = field(default_factory=list)
    prev: Line | None = None
    gap: bool = False  # a blank line since ``prev``
    page_break: bool = False  # page furniture since ``prev``


_FOOTNOTE_MARK_END = re.compile(r"(?<=[\w,;.:”\"»)])\s?\d{1,3}$")


def _group_lines(lines: list[Line]) -> list[list[Line]]:
    lengths = sorted(len(ln.text) for ln in lines if ln.kind == "text" and len(ln.text) > 20)
    g = _Grouping(lengths[len(lengths) // 2] if lengths else 80)
    for li, ln in enumerate(lines):
        if ln.kind == "blank":
            g.gap = True
            continue
        if ln.kind in ("furniture", "marker"):
            g.page_break = g.page_break or ln.kind == "furniture"
            continue
        if g.raw and _MARK_LINE.match(ln.text):
            g.raw[-1].append(ln)  # « (Adopté) » alone on its line belongs to the paragraph above
        elif ln.kind == "text" and g.raw and _continues_across_page(g):
            g.raw[-1].append(ln)
        elif not _place_line(lines, li, g):
            g.gap = g.page_break = False
            continue
        g.prev = ln
        g.gap = g.page_break = False
    return g.raw


def _continues_across_page(g: _Grouping) -> bool:
    """A page break inside a sentence: the block before it stops on a word, not on the
    punctuation that ends resolution paragraphs (« , » « ; » « . »), footnote marks aside."""
    last = g.raw[-1]
    if not g.page_break or last[0].kind in ("heading", "bullet"):
        return False  # bullets often end without punctuation
    end = _FOOTNOTE_MARK_END.sub("", last[-1].text).rstrip()
    return end[-1:].isalnum() or end.endswith("-")


def _place_line(lines: list[Line], li: int, g: _Grouping) -> bool:
    """Start a block with line ``li`` or add it to the last one; False when it went to an
    earlier block (the end of a paragraph interrupted by a heading)."""
    ln = lines[li]
    if ln.kind == "text" and g.prev is not None and not g.gap and g.raw and ln.text[:1].isupper():
        g.gap = _line_ends_paragraph(lines, li, g)
    starts = ln.kind in ("heading", "para", "sub", "bullet") or not g.raw or g.prev is None
    if ln.kind == "text" and g.raw and g.prev is not None:
        cont_lower = ln.text[:1].islower() or ln.text[:1] in ",;)"
        if not g.gap:
            starts = False
        elif cont_lower and g.raw[-1][0].kind != "heading":
            starts = False  # paragraph split by a page break or a stray blank line
        elif cont_lower:
            # continuation of the paragraph before the heading (PDF page break)
            for group in reversed(g.raw):
                if group[0].kind != "heading":
                    if not _TERMINAL.search(group[-1].text):
                        group.append(ln)
                        return False
                    break
            starts = True
        else:
            starts = True
    if starts or g.raw[-1][0].kind == "heading":
        g.raw.append([ln])
    else:
        g.raw[-1].append(ln)
    return True


def _line_ends_paragraph(lines: list[Line], li: int, g: _Grouping) -> bool:
    """No blank line before ``li``: does the previous line end its paragraph?"""
    assert g.prev is not None  # the caller asks only when there is a previous line
    ln, pt = lines[li], g.prev.text
    if g.median > 200:
        return True  # one paragraph a line
    if len(ln.text) < 60 and _is_title_text(ln.text) and _next_is_block_start(lines, li):
        return True  # a title line between two blocks
    if _TERMINAL.search(pt) and pt[-1] in ".!?:»)" and len(pt) < 0.7 * g.median:
        return True
    return (
        not _TERMINAL.search(pt)
        and pt[-1:] not in ",-"
        and len(pt) < 0.6 * g.median
        and len(g.raw[-1]) == 1
        and _is_title_text(pt)
    )


def _make_block(group: list[Line]) -> Block:
    first = group[0]
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    for k, ln in enumerate(group):
        start = ln.body_start if k == 0 and ln.kind != "heading" else ln.start
        if k == 0 and ln.kind == "heading":
            start = ln.body_start or ln.start
        seg = ln.text[start - ln.start :] if start >= ln.start else ln.text
        if not seg:
            continue
        if parts:
            prev_part = parts[-1]
            if re.search(r"[^\W\d_]-$", prev_part) and seg[:1].islower():
                parts[-1] = prev_part[:-1]  # end-of-line hyphenation
                length -= 1
            else:
                parts.append(" ")
                length += 1
        pieces.append((length, start))
        parts.append(seg)
        length += len(seg)
    text = "".join(parts)
    kind = first.kind if first.kind in ("heading", "para", "sub", "bullet") else "para_text"
    blk = Block(
        kind=kind, text=text, pieces=pieces or [(0, first.start)], label=first.label, level=first.level
    )
    if kind == "heading":
        blk.text = first.label or _clean_heading(text)
    blk.ends_open = not _TERMINAL.search(text)
    return blk


def _promote_title_lines(blocks: list[Block]) -> None:
    """A short single-line unnumbered block without final punctuation is a title."""
    for i, b in enumerate(blocks):
        if b.kind != "para_text" or len(b.pieces) != 1:
            continue
        t = _clean_heading(b.text)
        if not _is_title_text(t) or len(t.split()) > 14:
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is None:
            continue
        if nxt.kind in ("bullet", "sub") and t.endswith(":"):
            continue
        if t.rstrip().endswith(":"):
            continue
        b.kind = "heading"
        b.level = 9
        b.text = t


def _assign_locators(blocks: list[Block]) -> None:
    path: list[tuple[int, str]] = []
    para_num = ""
    counter = 0
    group = -1
    sub_parent = -1
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            level = b.level or 9
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, b.text))
            para_num = ""
            counter = 0
            group = i
            sub_parent = -1
            b.heading_path = tuple(t for _, t in path)
            continue
        b.heading_path = tuple(t for _, t in path)
        if b.kind == "para":
            para_num = b.label
            group = i
            sub_parent = i
            b.locator = f"§{para_num}"
        elif b.kind == "sub":
            if sub_parent >= 0:
                blocks[sub_parent].children.append(i)
            base = f"§{para_num} " if para_num else _path_locator(b.heading_path, counter, "¶")
            over = lettered_item_over(blocks, i)
            b.locator = f"{base.rstrip()} {over.label + ' ' if over else ''}{b.label}"
        elif b.kind == "bullet":
            counter += 1
            if sub_parent >= 0 and blocks[sub_parent].text.rstrip().endswith(":"):
                blocks[sub_parent].children.append(i)
            b.bullet_index = counter
            if para_num:
                b.locator = f"§{para_num} •{counter}"
            else:
                b.locator = _path_locator(b.heading_path, counter, "#")
        else:  # unnumbered paragraph
            counter += 1
            if para_num and blocks[group].kind == "para":
                # text continuing a numbered paragraph after a list
                b.locator = f"§{para_num}"
            else:
                group = i
                sub_parent = i
                b.locator = _path_locator(b.heading_path, counter, "¶")
        b.para_num = para_num
        b.group = group if group >= 0 else i


_ROMAN_LABEL = re.compile(r"^\(?[ivx]{1,6}\)$")


def lettered_item_over(blocks: list[Block], i: int) -> Block | None:
    """The lettered sub-item ending with a colon that a roman sub-item ``i`` stands under."""
    if not _ROMAN_LABEL.match(blocks[i].label):
        return None
    for b in reversed(blocks[:i]):
        if b.kind != "sub":
            return None
        if not _ROMAN_LABEL.match(b.label):
            return b if b.text.rstrip().endswith(":") else None
    return None


def _path_locator(path: tuple[str, ...], n: int, mark: str) -> str:
    head = " > ".join(path[-2:]) if path else ""
    return f"{head} {mark}{n}".strip()


# --- sentences --------------------------------------------------------------------------

_ABBREV = {
    "m",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "dr",
    "pr",
    "st",
    "ste",
    "p",
    "pp",
    "art",
    "al",
    "cf",
    "etc",
    "ex",
    "no",
    "nos",
    "n°",
    "vol",
    "chap",
    "fig",
    "réf",
    "rév",
    "rev",
    "éd",
    "ed",
    "eds",
    "dir",
    "coord",
    "mr",
    "mrs",
    "ms",
    "prof",
    "sr",
    "jr",
    "vs",
    "e.g",
    "i.e",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "univ",
    "gen",
    "gov",
    "sen",
    "rep",
    "hon",
    "res",
    "para",
    "paras",
    "op",
    "cit",
    "ibid",
    "viz",
    "approx",
    "env",
    "ca",
    "s",
    "ss",
    "jan",
    "fév",
    "feb",
    "mar",
    "avr",
    "apr",
    "jun",
    "jul",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "déc",
    "dec",
    "u.s",
    "u.n",
    "a.m",
    "p.m",
}
_SENT_END = re.compile(r"([.!?…]+)([»\"”’')\]]*)(\s+)(?=[«\"“(\[]?\s*[A-ZÀ-ÝŒ0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text``; abbreviations and initials do not end one."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end(2)
        before = text[start : m.start(1)]
        word = re.search(r"([\w.°]+)$", before)
        if m.group(1) == "." and word:
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREV or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):
                continue
        if end - start < 2:
            continue
        spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_INLINE_SUB = re.compile(r"(?:(?<=\s)|^)\(((?:[ivx]{1,6})|[a-h])\)\s+")
_ROMAN_ORDER = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def split_inline_items(text: str) -> tuple[tuple[int, int] | None, list[tuple[str, int, int]]]:
    """``lead-in (i) first; (ii) second`` → lead-in span and [(label, start, end)]."""
    marks = list(_INLINE_SUB.finditer(text))
    if len(marks) < 2:
        return None, []
    labels = [m.group(1) for m in marks]
    seq = _ROMAN_ORDER if labels[0] == "i" else [chr(c) for c in range(ord("a"), ord("i"))]
    if labels != seq[: len(labels)]:
        return None, []
    items = []
    for k, m in enumerate(marks):
        s = m.end()
        e = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        seg = text[s:e].rstrip()
        seg = re.sub(r"\s*(?:[;,]\s*(?:et|and|ou|or)?|et|and)\s*$", "", seg)
        items.append((m.group(1), s, s + len(seg)))
    lead_end = marks[0].start()
    lead = text[:lead_end].rstrip(" :;,")
    return ((0, len(lead)) if lead.strip() else None), items
