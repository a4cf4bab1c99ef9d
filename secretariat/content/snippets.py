"""The passage of a hit that matches the query, with the matching words marked (ADR 0036).

The text is the document's own (not the folded index), so the snippet reads as the document
does. A word of the text matches a query word when both fold to the same form (accents, Arabic
letter forms and article, ``folding.fold``) or share a stem: a common beginning of at least
three letters that leaves at most two letters of the shorter word and four of the longer
(``election``/``élections``, ``дети``/``детей``, ``treaty``/``treaties``). A Chinese run of the
query is marked wherever the text contains it.
"""

import re
from dataclasses import dataclass

from django.utils.translation import get_language_info

from secretariat.content.folding import fold
from secretariat.content.search import CJK_RUN

WORD = re.compile(r"[^\W\d_][\w\u0640\u064b-\u065f\u0670]*|\d+", re.UNICODE)
SNIPPET_LENGTH = 240
MIN_STEM = 3
MAX_SUFFIX = 2


@dataclass(frozen=True)
class Snippet:
    """``parts``: the passage as (text, marked) pieces; ``cut_before``/``cut_after``: the passage
    is taken from inside the text (the page shows an ellipsis)."""

    parts: tuple[tuple[str, bool], ...]
    language: str
    cut_before: bool = False
    cut_after: bool = False

    @property
    def direction(self) -> str:
        try:
            return "rtl" if get_language_info(self.language)["bidi"] else "ltr"
        except KeyError:
            return "ltr"

    @property
    def text(self) -> str:
        return "".join(text for text, _marked in self.parts)

    @property
    def highlights(self) -> list[tuple[int, int]]:
        """Start and end offsets of the marked pieces in ``text``."""
        spans, offset = [], 0
        for text, marked in self.parts:
            if marked:
                spans.append((offset, offset + len(text)))
            offset += len(text)
        return spans


def same_stem(word: str, term: str) -> bool:
    if word == term:
        return True
    common = 0
    for left, right in zip(word, term):
        if left != right:
            break
        common += 1
    shorter, longer = sorted((len(word), len(term)))
    return common >= max(MIN_STEM, shorter - MAX_SUFFIX, longer - 2 * MAX_SUFFIX)


def matches(text: str, query: str) -> list[tuple[int, int, str]]:
    """``(start, end, term)`` of every place in ``text`` that matches a word or Chinese run of ``query``."""
    folded_query = fold(query)
    runs = CJK_RUN.findall(folded_query)
    terms = WORD.findall(CJK_RUN.sub(" ", folded_query))
    found = []
    for match in WORD.finditer(text):
        if CJK_RUN.fullmatch(match.group()):
            continue
        word = fold(match.group())
        term = next((term for term in terms if same_stem(word, term)), None)
        if term is not None:
            found.append((match.start(), match.end(), term))
    for run in runs:
        found.extend((match.start(), match.end(), run) for match in re.finditer(re.escape(run), text))
    return sorted(found)


def snippet(text: str, query: str, *, language: str, length: int = SNIPPET_LENGTH) -> Snippet:
    """The passage of ``text`` (about ``length`` characters) holding the most different query terms."""
    text = " ".join((text or "").split())
    found = matches(text, query)
    start = 0
    if found:
        def terms_from(index):
            return len({term for begin, _end, term in found if found[index][0] <= begin < found[index][0] + length})
        best = max(range(len(found)), key=lambda index: (terms_from(index), -index))
        start = max(0, found[best][0] - length // 4)
        while start > 0 and not text[start - 1].isspace():  # begin on a word
            start -= 1
    end = min(len(text), start + length)
    while end < len(text) and not text[end].isspace() and end - start < length + 40:  # end on a word
        end += 1
    parts, position = [], start
    for begin, finish, _term in found:
        if begin < position or finish > end:
            continue
        if begin > position:
            parts.append((text[position:begin], False))
        parts.append((text[begin:finish], True))
        position = finish
    if position < end:
        parts.append((text[position:end], False))
    return Snippet(parts=tuple(parts), language=language, cut_before=start > 0, cut_after=end < len(text))
