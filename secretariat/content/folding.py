"""Text folding for search: what a reader types and what a document says meet in one form (ADR 0036).

The same folding runs on the indexed text and on the query, on both backends, before the
backend's own parser and stemmer (PostgreSQL's snowball configurations, SQLite's porter):

- case-folded and NFKC-normalised (full-width forms, ligatures);
- Latin letters lose their accents (``sécurité`` → ``securite``, ``educación`` → ``educacion``),
  ``œ``/``æ`` become ``oe``/``ae``; Cyrillic ``ё`` becomes ``е`` (Russian writers often omit it);
- Arabic: diacritics (harakat, dagger alef) and tatweel go, the alef forms (أ إ آ ٱ) become ا,
  taa marbuta ة becomes ه, alef maqsura ى becomes ي, the definite article (ال, with a leading
  و ف ب ك, or لل) is removed, and then one suffix of each kind (``light10``, Larkey et al.:
  ها ان ات ون ين يه ه ي), so ``مياه`` finds ``المياه`` and ``معاهدة`` finds ``المعاهدات``. PostgreSQL's
  arabic stemmer alone stems a word differently with and without its article (``مياه`` → ميا,
  ``المياه`` → مياه);
- a few English irregular plurals become their singular (``Children's`` is found by ``child``).

The folding does not depend on the document's language, so a query without a language folds
once and is matched against every language's entries.
"""

import re
import unicodedata

LATIN_LIMIT = 0x0250  # Basic Latin to Latin Extended-B: accents on these letters are folded
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ё": "е"})
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, Quranic marks, tatweel
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
ARABIC_WORD = re.compile(r"[\u0620-\u064a\u066e-\u06d3]+")
# The article and the one-letter particles written before it; "لل" is لِ + ال with the alef dropped.
ARTICLES = ("وال", "فال", "بال", "كال", "ال", "لل")
# Larkey's light10 suffixes, in the order they are tried (each removed at most once), after ة→ه, ى→ي.
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
ARABIC_MIN_STEM = 3
IRREGULAR_PLURALS = {"children": "child", "women": "woman", "men": "man", "crises": "crisis", "analyses": "analysis"}
WORD = re.compile(r"\w+")


def fold_latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept, base_is_latin = [], False
    for character in decomposed:
        if unicodedata.combining(character):
            if base_is_latin:
                continue
        else:
            base_is_latin = ord(character) < LATIN_LIMIT
        kept.append(character)
    return unicodedata.normalize("NFC", "".join(kept))


def strip_article(word: str) -> str:
    """The word without its article; repeated, so that a word beginning with the letters ال
    (التزام) folds the same with and without the article (الالتزام)."""
    stripped = True
    while stripped:
        stripped = False
        for article in ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= 2:
                word, stripped = word[len(article):], True
                break
    return word


def light_stem(word: str) -> str:
    """The Arabic word without its article and its suffixes (light10), at least three letters left."""
    word = strip_article(word)
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= ARABIC_MIN_STEM:
            word = word[:-len(suffix)]
    return word


def fold_arabic(text: str) -> str:
    text = ARABIC_MARKS.sub("", text).translate(ARABIC_LETTERS)
    return ARABIC_WORD.sub(lambda match: light_stem(match.group()), text)


def fold(text: str) -> str:
    """The searchable form of ``text`` (index and query alike)."""
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(LIGATURES)
    text = fold_arabic(fold_latin(text))
    return WORD.sub(lambda match: IRREGULAR_PLURALS.get(match.group(), match.group()), text)
