"""Every UI string is translated into the five other official languages, and the catalogues
are up to date with the code (a new untranslated string fails here)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PROJECT_DIR = LOCALE_DIR.parent
LANGUAGES = ["ar", "zh_Hans", "fr", "ru", "es"]


def catalogue(language: str, locale_dir: Path = LOCALE_DIR):
    with (locale_dir / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file, locale=language.replace("_Hans", "_Hans_CN") if language == "zh_Hans" else language)


def untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return message.fuzzy or not all(strings)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    missing = [message.id for message in catalogue(language) if message.id and untranslated(message)]
    assert missing == [], f"{len(missing)} untranslated strings in {language}: {missing[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]|\{\{ ?(\w+) ?\}\}")
    broken = []
    for message in catalogue(language):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = {match for source in sources for match in placeholder.findall(source)}
        for target in targets:
            if target and {m for m in placeholder.findall(target)} - expected:
                broken.append(message.id)
    assert broken == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (make system-deps) is not installed")
def test_catalogues_contain_every_string_in_the_code(tmp_path):
    # given: a copy of the code, so extraction never touches the working tree
    copy = tmp_path / "secretariat"
    shutil.copytree(PROJECT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (tmp_path / "extraction_settings.py").write_text(
        "from secretariat.test_settings import *  # noqa\n"
        f"LOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    # when
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "extraction_settings",
             "PYTHONPATH": os.pathsep.join([str(tmp_path), str(PROJECT_DIR.parent)])},
    )
    # then
    known = {message.id for message in catalogue("fr")}
    new = [message.id for message in catalogue("fr", copy / "locale") if message.id and message.id not in known]
    assert new == [], f"strings missing from the catalogues (run make messages): {new[:20]}"
