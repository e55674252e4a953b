"""Boilerplate removal by position and shape, never by topic.

The cleaned text only ever *drops* lines or leading spans of the original (and folds whitespace):
no word is rewritten, so every quote cited from it is found verbatim in the raw file.
Dropped: photo credits ("Photo: AFP", "(AP Photo/Evan Vucci)", "Reuters/File") and captions,
bylines ("By Jane Doe | March 3", "Published by …", "Posted by …"), datelines ("WASHINGTON (AP) –",
"London [UK], May 7 (ANI):", "9 August 2022 -", "Lisbon:"; a date they write in full dates an
undated page), reporter bios, copyright lines,
all-caps subheads, share-button fragments, and lists of other stories ("More … News",
"Related", "Next In World", "ALSO READ", "You May Be Interested In"), wherever they sit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.ingest.dates import find_date, parse_date_line

_AGENCIES = r"(?:AP|AFP|Reuters|REUTERS|Getty Images|GETTY IMAGES|Getty|EPA|EPA-EFE|Bloomberg|Pool|POOL|Shutterstock|Sputnik|TASS|Anadolu|UPI|NurPhoto|SOPA Images|Alamy|Xinhua|XINHUA|dpa|ANP|Ukrinform)"
# An agency, possibly one of several ("Bloomberg/Getty Images", "Getty Images News/Getty Images").
_AGENCY_RUN = rf"{_AGENCIES}(?:\s+News)?(?:\s*/\s*{_AGENCIES}(?:\s+News)?)*"
_CREDIT = re.compile(
    rf"^\(?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}}\s*/\s*{_AGENCY_RUN}(?:\s+via\s+.+)?"
    rf"|{_AGENCIES}(?:\s+Photo)?(?:\s*/\s*[A-Z][\w.'’ -]+)?"
    r"|(?:Source:\s*)?(?:(?:File|Main|Top|Lead|Header|Featured) )?(?:[Pp]hoto|Photograph|Picture|[Ii]mage|Credit|Photo credit|Image credit|Illustration|Video)s?\s*(?:by\s+|via\s+|:|/|©).*"
    r"|\(?(?:AP |AFP |Reuters )?Photo(?:graph)?(?:\s+by|/)\s*.*\)?|©\s*.+)\)?$",
)
# A page's tag or category list ("Tags: mpox | monkeypox | who"), never its headline or news.
_TAGS = re.compile(
    r"^(?:tags?|topics?|filed under|categories|category|keywords|related topics)\s*:\s*\S",
    re.IGNORECASE,
)
# An agency's name signing a gallery caption after its credit: "… (AP Photo/Jane Doe) ASSOCIATED PRESS"
_AGENCY_SIGNATURE = re.compile(r"\)\s+(?:THE\s+)?(?:ASSOCIATED PRESS|AP|AFP|REUTERS)$")
_CAPTION_TAIL = re.compile(
    rf"\((?:(?:AP|AFP)\s+)?(?:Photo|Photograph|Image|Credit)\b[^)]*\)(?:[\w.'’ -]+\))?\s*$|\(\s*{_AGENCIES}(?:\s*/\s*[^)]+)?\)\s*$"
)
# A caption that ends in its credit ("… | Ina Fassbender/AFP via Getty Images", "…. Photo: Jane
# Doe/Globe", "… Credit:NASA via AP"), or opens as one ("In this July 3, 2014, file photo, …").
_CAPTION_SHAPE = re.compile(
    rf"(?:\|\s*|^)[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}}\s*/\s*{_AGENCY_RUN}(?:\s+via\s+.+)?$"
    r"|[.|]\s*(?:Photo|Picture|Image|Credit)s?\s*:\s*\S.{0,60}$"
    r"|^In this (?:[\w ,.]{0,40} )?(?:file )?(?:photo|image|picture)\b"
    r"|^An? (?:photo|image|picture|illustration) (?:of|shows)\b[^.!?]*$"
)
_CAPTION_WORDS = ("photo", "image", "picture", "credit", "illustration", "/")
_BYLINE = re.compile(
    r"^(?:By|BY|Written by|Words by|Reporting by|Story by|From|Published by|Posted by|Edited by)\s+[A-Z][\w.'’-]*"
    r"(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von|al-?\w*|staff|reporters?|correspondents?|writers?)){0,6}"
    r"\s*(?:$|,|\||·|•|-|–|—|\(|and\b|for\b|in\b|on\b)",
)
# "Em Luetkemeyer is a NOTUS reporter and …", "Jane Doe covers energy for …".
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,4}(?:(?:is|was)\s+(?:a|an|the)\s+(?:[\w.'’-]+\s+){0,5}?"
    r"(?:reporter|correspondent|journalist|editor|writer|fellow|contributor|columnist|producer|intern)s?\b"
    r"|(?:covers|writes about|reports on)\s)"
)
_REPORTING = re.compile(r"^\(?(?:Reporting|Additional reporting|Editing|Writing) by\b.*\)?$", re.I)
_COPYRIGHT = re.compile(
    r"^(?:copyright\b|©|\(c\)\s*\d)|all rights reserved|originally (?:published|appeared) (?:on|in)\b"
    r"|reproduced with permission|republished with permission",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"^(?:share(?: this| the)?(?: article| story| post| page)?(?: on \w+)?|tweet|email|e-mail|print|copy link|"
    r"copy the link|link copied|save|comment|comments|click to (?:share|email|print).*|share on .*|"
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|flipboard|threads|bluesky)"
    r"(?:\s*[,|/·•]\s*\w+)*|opens in (?:a )?new (?:window|tab)|follow us on .*|sign up for .*|"
    r"subscribe(?: now| to .*)?|advertisement|sponsored(?: content)?|listen to this article.*|"
    r"\d+ min(?:ute)? read|read more|show more|skip to (?:main )?content|\d+\s+comments?|"
    r"loading\.*|(?:image|photo|video) \d+ of \d+|enlarge this image|toggle caption)\s*[.:!]?$",
    re.IGNORECASE,
)
_NETWORKS = frozenset(
    """facebook twitter x linkedin whatsapp telegram reddit pinterest flipboard threads bluesky
    mastodon messenger email e-mail mail print sms pocket""".split()  # noqa: SIM905
)
_SHARE_WORDS = _NETWORKS | frozenset(
    """share shares this the article story post page on via copy link url tweet send""".split()  # noqa: SIM905
)
_LIST_HEADING = re.compile(
    r"^(?:more\b.{0,40}\b(?:news|stories|coverage|articles)|more (?:from|on|in|about)\b.{0,40}|"
    r"related(?: (?:articles?|stories|news|coverage|posts|content|topics|reading|links))?|"
    r"next in \w+(?: \w+)?|also read|read also|read next|read more|see also|further reading|"
    r"you (?:may|might) (?:also )?(?:be interested in|like|have missed)|recommended(?: for you| stories)?|"
    r"(?:editor'?s|editors’) picks?|trending(?: now| stories)?|most (?:read|popular|viewed|shared)|"
    r"latest(?: news| stories| headlines)?|top stories|popular(?: now)?|what to read next|"
    r"don['’]t miss|in other news|more to explore|keep reading)\s*[:»›>-]*$",
    re.IGNORECASE,
)
_LIST_INLINE = re.compile(
    r"^(?:also read|read also|read more|related|see also|read next)\s*[:|»›-]\s*\S", re.I
)
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)?)?)"
    r"(?:,\s*(?:\[[^\]]{1,20}\]|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?))?"
    r"\s*(?:\((?P<outlet>[^)]{2,40})\))?\s*[–—-]{1,2}\s+"
)
_PLACE = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
_MONTH_DAY = r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?"
# "London [UK], May 7 (ANI/Sputnik): ", "Geneva, June 14 (Reuters): " (an agency, then a colon)
_AGENCY_DATELINE = re.compile(
    rf"^{_PLACE}(?:\s*\[[^\]]{{1,20}}\])?,\s*{_MONTH_DAY}\s*"
    r"\((?P<outlet>[^)]{2,40})\)\s*[:–—-]{1,2}\s+"
)
# "WASHINGTON (UrduPoint News / Sputnik - 28th May, 2022) ": the date inside the parentheses
_DATED_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}\s*"
    r"\((?P<outlet>[^)]{2,40}?)\s*[–—-]\s*(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8},?\s+\d{4}|"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})\)\s*[:–—-]{0,2}\s*(?=[A-Z“\"])"
)
# "(RTTNews) - The U.K. Competition and Markets Authority …": an agency alone, then a dash
_AGENCY_ONLY = re.compile(r"^\((?P<outlet>[A-Z][^)]{1,39})\)\s*[–—-]{1,2}\s+(?=[A-Z“\"])")
# "Lisbon: Portuguese health authorities …", "Cape Canaveral, Florida: NASA's …"
_PLACE_DATELINE = re.compile(rf"^{_PLACE}(?:,\s+{_PLACE})?:\s+(?=[A-Z])")
# "9 August 2022 - Today, …", "July 6, 2022 — The department …": a date, then a dash
_DATE_FIRST = re.compile(
    r"^(?:\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})"
    r"\s+[–—-]{1,2}\s+(?=[A-Z“\"])"
)
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$|[\"”]$")
_EMPHASIS = re.compile(r"^([*_]{1,3})(\S(?:.*\S)?)\1$")
_MD_HEADING = re.compile(r"^#{1,6}\s")
_ITEM_MARK = re.compile(r"^(?:[-*•·▪►>]|\d{1,2}[.)])\s+")
# A tail list after a heading is cut to the end when it has at most this many lines.
MAX_TAIL_ITEMS = 15


@dataclass(slots=True)
class Cleaned:
    """The kept lines (whitespace folded), plus what the dropped lines told us."""

    lines: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    outlet: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The cleaned text, one paragraph a line."""
        return "\n".join(self.lines)


def fold(line: str) -> str:
    """Fold runs of whitespace (including no-break spaces) into single spaces."""
    return " ".join(line.split())


def clean_lines(raw_lines: list[str]) -> Cleaned:
    """Drop boilerplate lines and spans from an article body, top to bottom."""
    lines = [_unwrap(fold(line)) for line in raw_lines]
    out = Cleaned()
    out.dropped.extend(("rule", line) for line in lines if line and not _has_word(line))
    lines = [line for line in lines if _has_word(line)]
    keep = _drop_lists(lines, out)
    keep = _drop_captions(lines, keep, out)
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        kind = _line_kind(line, i, len(lines))
        if kind:
            out.dropped.append((kind, line))
            if kind in {"byline", "date"}:
                _note_date(line, out)
            continue
        out.lines.append(_strip_dateline(line, out) if len(out.lines) < 3 else line)
    return out


def _has_word(line: str) -> bool:
    """Whether a line holds a letter or a digit (not a rule such as ``---`` or ``* * *``)."""
    return any(c.isalnum() for c in line)


def _unwrap(line: str) -> str:
    """Drop Markdown emphasis wrapping a whole line (``*Photo: …*``) and list bullets' stars."""
    m = _EMPHASIS.match(line)
    return m.group(2) if m else line


def _note_date(line: str, out: Cleaned) -> None:
    """Remember the date written on a dropped byline or date line."""
    found = parse_date_line(line) or _byline_date(line)
    if found:
        out.dates.append(found)


def _byline_date(line: str) -> date | None:
    """A date written after a separator on a byline ("By Jane Doe | Feb. 26, 2025")."""
    for part in re.split(r"\s[|·•–—-]\s", line)[1:]:
        found = parse_date_line(part)
        if found:
            return found
    return None


def _line_kind(line: str, index: int, total: int) -> str | None:
    """The kind of boilerplate a single line is, or None when it is content."""
    size = len(line)
    if size < 160 and (kind := _short_kind(line, size)):
        return kind
    if size < 300 and _has_copyright(line):
        return "copyright"
    signed = _AGENCY_SIGNATURE.search(line)
    tail = line[: signed.start() + 1] if signed else line
    if tail.endswith(")") and size < 400 and _CAPTION_TAIL.search(tail):
        return "caption"
    if size < 300 and _is_captioned(line):
        return "caption"
    if index >= total - 3 and size < 400 and _BIO.match(line):
        return "bio"
    if index < 8 and size < 160 and parse_date_line(line):
        return "date"
    return None


def _is_captioned(line: str) -> bool:
    """A caption ending in its photo credit, or opening as an AP caption (substring test first)."""
    low = line.lower()
    return any(k in low for k in _CAPTION_WORDS) and bool(_CAPTION_SHAPE.search(line))


def _short_kind(line: str, size: int) -> str | None:
    """Kinds of boilerplate that only short lines can be."""
    if size < 90 and (_SHARE.match(line) or _share_buttons(line)):
        return "share"
    if _MD_HEADING.match(line):
        return "subhead"
    if _REPORTING.match(line):
        return "byline"
    terminal = _TERMINAL.search(line)
    if not terminal and _BYLINE.match(line):
        return "byline"
    if size < 120 and _CREDIT.match(line):
        return "credit"
    if not terminal and _TAGS.match(line):
        return "tags"
    if not terminal and _is_subhead(line):
        return "subhead"
    return None


def _share_buttons(line: str) -> bool:
    """A row of share buttons ("Share this article: Facebook Twitter Email")."""
    words = re.findall(r"[\w'-]+", line.lower())
    return bool(words) and set(words) <= _SHARE_WORDS and bool(set(words) & _NETWORKS)


def _has_copyright(line: str) -> bool:
    """A copyright or "originally published" line (cheap substring test first)."""
    low = line.lower()
    if not any(
        k in low for k in ("copyright", "©", "(c)", "rights reserved", "originally", "permission")
    ):
        return False
    return bool(_COPYRIGHT.search(line))


def _is_subhead(line: str) -> bool:
    """An all-caps line of a few words without a full stop ("MAJOR DEAL")."""
    if len(line) > 90 or _TERMINAL.search(line) or len(line.split()) > 10:
        return False
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 3:
        return False
    return sum(c.isupper() for c in letters) / len(letters) > 0.9


def _strip_dateline(line: str, out: Cleaned) -> str:
    """Drop a leading dateline ("WASHINGTON (Worthy News) – ", "London [UK], May 7 (ANI): ",
    "9 August 2022 - ") and note its outlet, and the date it writes in full."""
    for regex in (
        _DATELINE,
        _AGENCY_DATELINE,
        _DATED_DATELINE,
        _AGENCY_ONLY,
        _DATE_FIRST,
        _PLACE_DATELINE,
    ):
        m = regex.match(line)
        if m is not None and len(line) - m.end() >= 20:
            break
    else:
        return line
    outlet = m.groupdict().get("outlet")
    if outlet and not out.outlet:
        out.outlet = outlet.strip()
    head = line[: m.end()]
    out.dropped.append(("dateline", head))
    found = find_date(head)
    if found is not None:
        out.dates.append(found[0])
    return line[m.end() :]


def is_headline_like(line: str) -> bool:
    """A short line without a closing full stop (a headline, a caption, a list item)."""
    words = line.split()
    return 0 < len(words) <= 25 and not _TERMINAL.search(line)


def is_title_case(line: str) -> bool:
    """Whether most words of a short line start with a capital (a caption or a headline)."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.75


def _drop_lists(lines: list[str], out: Cleaned) -> list[bool]:
    """Mark "More … News" / "Related" / "ALSO READ" blocks (heading plus items) for removal."""
    keep = [True] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_list_heading(line) or (len(line) < 120 and _LIST_INLINE.match(line)):
            end = _list_end(lines, i)
            for j in range(i, end):
                keep[j] = False
                out.dropped.append(("list", lines[j]))
            i = end
            continue
        i += 1
    return keep


def _is_list_heading(line: str) -> bool:
    """A short heading over a list of other stories ("More Worthy News", "Next In World")."""
    return len(line) < 60 and len(line.split()) <= 6 and bool(_LIST_HEADING.match(line))


def _list_end(lines: list[str], heading: int) -> int:
    """Where the block of items after a list heading ends (exclusive).

    Headline-shaped items (no full stop, or bulleted) end at the first line that reads like
    prose again: the block sat in the middle of the article. When the first item is itself a
    sentence-shaped teaser, the block is a tail list and everything to the end goes, provided
    it is short (at most ``MAX_TAIL_ITEMS`` lines of teaser length).
    """
    end = heading + 1
    while end < len(lines) and _item_like(lines[end]):
        end += 1
    if end > heading + 1 or not _is_list_heading(lines[heading]):
        return end
    rest = lines[heading + 1 :]
    if 0 < len(rest) <= MAX_TAIL_ITEMS and _tail_like(rest):
        return len(lines)
    return end


def _tail_like(items: list[str]) -> bool:
    """Whether the lines after a heading look like teasers, not the article resuming."""
    return all(len(item.split()) <= 70 for item in items)


def _item_like(line: str) -> bool:
    """A list item: a bullet, or a headline-shaped line."""
    return bool(_ITEM_MARK.match(line)) or (is_headline_like(line) and len(line.split()) >= 3)


def _drop_captions(lines: list[str], keep: list[bool], out: Cleaned) -> list[bool]:
    """Drop a short caption line (no full stop) that sits right before a photo credit."""
    for i in range(len(lines) - 1):
        nxt = lines[i + 1]
        if keep[i] and len(nxt) < 120 and _CREDIT.match(nxt):
            line = lines[i]
            if is_headline_like(line) and (len(line.split()) <= 16 or is_title_case(line)):
                keep[i] = False
                out.dropped.append(("caption", line))
    return keep
