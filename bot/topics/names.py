"""Story names in a text: proper names and acronyms, never wire-agency credits or bylines.

A fund, an agency, a joint venture: the names a storyline acquires let its later articles join
it (see ``assign``). Photo credits ("(AP Photo/Evan Vucci)", "Julia Nikhinson/AP"), bylines
("By John Smith") and the agencies themselves (AP, AFP, Reuters, Getty Images) appear in every
story's articles and in photo galleries alike, so they are stripped before names are read.
"""

from __future__ import annotations

import re

# Wire agencies and picture desks, as they appear in credits (case matters: "AP", not "ap").
_AGENCY = (
    r"(?:Associated Press|Agence France-Presse|AFP|AP|Reuters|Getty Images|Getty|EPA-EFE|EPA|EFE"
    r"|Bloomberg(?: News| via Getty Images)?|UPI|DPA|dpa|Xinhua|ANSA|Kyodo(?: News)?"
    r"|PA Media|PA Wire|Anadolu(?: Agency)?|Shutterstock|Alamy|NurPhoto|Sipa(?: USA)?|TASS"
    r"|Sputnik|Pool)"
)
_CAP = r"[A-Z][\w.'’-]*"
_CREDIT = re.compile(
    # "(AP Photo/Evan Vucci)", "(Reuters)", "(Photo by Jane Doe/Getty Images)"
    r"\((?:[^()]*\b(?:Photo|Photograph|Image|Picture|Credit|File)s?\b[^()]*"
    rf"|[^()]*\b{_AGENCY}\b[^()]*)\)"
    # "Photo: Jane Doe/AFP", "Image credit: NASA/Bill Ingalls"
    rf"|\b(?:Photo|Photograph|Image|Picture|Credit)s?(?: by| credit)?\s*[:|]\s*(?:{_CAP}\s*){{0,5}}"
    rf"(?:/\s*(?:{_CAP}\s*){{1,4}})?"
    # "Julia Demaree Nikhinson/AP", "Jim Watson / AFP via Getty Images"
    rf"|(?:{_CAP}\s+){{0,4}}{_CAP}\s*/\s*{_AGENCY}(?:\s+via\s+Getty Images)?"
    # the agency on its own: "AP", "AFP via Getty Images", "Reuters"
    rf"|\b{_AGENCY}(?:\s+(?:Photo|Images))?(?:\s+via\s+Getty Images)?(?![\w’'])"
)
_BYLINE = re.compile(
    rf"^\s*(?:By|BY)\s+{_CAP}(?:\s+{_CAP}){{0,3}}(?:\s*(?:,|and|&)\s*{_CAP}(?:\s+{_CAP}){{0,3}})*"
)

_NAME = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'.]*(?:[ –-]+(?:of )?[A-Z][\w’'.]*)+|[A-Z]{2,6})(?![\w’'])"
)
_NOT_NAMES = frozenset(
    {"the", "a", "an", "but", "and", "in", "on", "it", "he", "she", "they", "we", "i"}
)
# Lowercased words that mark a name as a credit even where the pattern missed its shape.
_AGENCY_WORDS = frozenset(
    {"ap", "afp", "reuters", "getty", "epa", "efe", "epa-efe", "bloomberg", "xinhua", "upi"}
)
AGENCIES = frozenset({"associated press", "agence france-presse", "getty images", "pa media"})


def strip_credits(text: str) -> str:
    """The text without photo credits, agency tags and a leading byline."""
    # Cheap tests first: a credit has a slash, a bracket or a colon, a byline starts with "By";
    # a bare agency name elsewhere is dropped by ``is_agency`` instead.
    if not any(c in text for c in "/(|:") and not text.lstrip().startswith(("By ", "BY ")):
        return text
    if len(text.split()) <= 8:  # a byline is a line of its own, not the start of a sentence
        text = _BYLINE.sub(" ", text)
    return _CREDIT.sub(" ", text)


def is_agency(name: str) -> bool:
    """Whether a lowercased name is a wire agency or picture desk ("ap photo", "reuters")."""
    if name in AGENCIES:
        return True
    if not any(c in name for c in " /–-"):
        return name in _AGENCY_WORDS
    return any(w in _AGENCY_WORDS for w in re.split(r"[ /–-]+", name))


def names_in(text: str) -> list[str]:
    """Proper names and acronyms in a text (multiword capitalised runs, ``DFC``), lowercased."""
    return names_in_stripped(strip_credits(text))


def names_in_stripped(text: str) -> list[str]:
    """``names_in`` of a text whose credits ``strip_credits`` has taken out already."""
    found = (m.group(0).lower().rstrip(".").removeprefix("the ") for m in _NAME.finditer(text))
    names = (n.removesuffix("’s").removesuffix("'s") for n in found if n not in _NOT_NAMES)
    return [n for n in names if not is_agency(n)]


_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_NUMBERED = re.compile(r"^(?P<head>[^\W\d_][\w'’]+)[ -](?P<num>\d{1,2}|[ivx]{1,4})$")


def _number(num: str) -> int | None:
    return int(num) if num.isdigit() else _ROMAN.get(num)


class Instances:
    """Numbered instances of a topic's name ("Artemis I") and their siblings ("Artemis II").

    An article about the next mission or the previous model shares every anchor with the topic
    but is another story: counting sibling mentions against the topic's own tells them apart.
    """

    def __init__(self, phrases: tuple[str, ...]) -> None:
        own: dict[str, set[int]] = {}
        for phrase in phrases:
            m = _NUMBERED.match(phrase.strip().lower())
            number = _number(m.group("num")) if m else None
            if m and number is not None:
                own.setdefault(m.group("head"), set()).add(number)
        self._own = own
        heads = "|".join(re.escape(h) for h in sorted(own))
        self._re = (
            re.compile(rf"(?<![^\W_])({heads})[ -](\d{{1,2}}|[ivx]{{1,4}})(?![^\W_])")
            if own
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._own)

    def counts(self, normalized: str) -> tuple[int, int]:
        """(own, sibling) instance mentions in an already normalised text."""
        own = sibling = 0
        for head, num in self._re.findall(normalized) if self._re else []:
            number = _number(num)
            if number is None:
                continue
            if number in self._own[head]:
                own += 1
            else:
                sibling += 1
        return own, sibling
