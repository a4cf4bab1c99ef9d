"""Symbols are parsed and validated: every well-formed symbol round-trips, anything else is refused."""

import pytest
from hypothesis import given, settings, strategies as st

from secretariat.content.symbols import MalformedSymbol, Symbol, parse_symbol

positive = st.integers(min_value=1, max_value=999)
symbols = st.builds(
    Symbol,
    body=st.sampled_from(["A", "S", "E", "ST", "TD", "UNEP"]),
    organs=st.lists(st.sampled_from(["C.5", "C.1", "HRC", "CN.6", "AC.96", "CONF.1"]), max_size=2).map(tuple),
    series=st.sampled_from(["", "RES", "DEC", "PRST", "INF"]),
    session=st.one_of(st.integers(1, 2099).map(str), st.sampled_from(["ES-10", "S-27"])),
    prefix=st.sampled_from(["", "L", "PV", "SR", "CRP", "WP"]),
    number=st.integers(1, 99999).map(str),
    revision=st.none() | positive, addendum=st.none() | positive, corrigendum=st.none() | positive,
    qualifier=st.sampled_from(["", "2020", "Sect. 29A", "Part II"]),
)
# Bodies without sessions: the session is left out, an organ, series or record prefix remains.
sessionless = st.builds(
    Symbol,
    body=st.sampled_from(["S", "A", "TD", "CCPR", "UNEP"]),
    organs=st.lists(st.sampled_from(["CONF.62", "B", "C", "GC", "Sub.2", "Agenda", "EA.5"]), min_size=1,
                    max_size=2).map(tuple),
    prefix=st.sampled_from(["", "PV", "L"]), number=st.integers(1, 99999).map(str),
    revision=st.none() | positive,
) | st.builds(Symbol, body=st.just("S"), prefix=st.just("PV"), number=st.integers(1, 99999).map(str)) | st.builds(
    Symbol, body=st.just("S"), series=st.just("RES"), number=st.integers(1, 9999).map(str),
    qualifier=st.integers(1946, 2099).map(str))


@given(symbol=symbols | sessionless)
@settings(max_examples=80, deadline=None)
def test_every_well_formed_symbol_round_trips(symbol):
    assert parse_symbol(str(symbol)) == symbol


@given(text=st.text(alphabet="AS/RESC.0123456789LevAdorr-", max_size=25))
@settings(max_examples=50, deadline=None)
def test_anything_parsed_is_canonical_and_anything_else_refused(text):
    try:
        parsed = parse_symbol(text)
    except MalformedSymbol:
        return
    assert str(parsed) == text.strip()


@pytest.mark.parametrize(("text", "expected"), [
    ("A/62/510", Symbol(body="A", session="62", number="510")),
    ("A/RES/63/262", Symbol(body="A", series="RES", session="63", number="262")),
    ("A/C.5/63/24", Symbol(body="A", organs=("C.5",), session="63", number="24")),
    ("A/C.5/63/L.24/Rev.1/Add.2/Corr.1", Symbol(body="A", organs=("C.5",), session="63", prefix="L", number="24",
                                                revision=1, addendum=2, corrigendum=1)),
    ("S/PV.8000", Symbol(body="S", prefix="PV", number="8000")),
    ("A/RES/75/1", Symbol(body="A", series="RES", session="75", number="1")),
    ("E/CN.6/2021/L.3", Symbol(body="E", organs=("CN.6",), session="2021", prefix="L", number="3")),
    ("A/C.5/75/L.1", Symbol(body="A", organs=("C.5",), session="75", prefix="L", number="1")),
    ("S/RES/2532 (2020)", Symbol(body="S", series="RES", number="2532", qualifier="2020")),
    ("A/CONF.62/122", Symbol(body="A", organs=("CONF.62",), number="122")),
    ("E/CN.4/Sub.2/1999/1", Symbol(body="E", organs=("CN.4", "Sub.2"), session="1999", number="1")),
    ("CCPR/C/GC/36", Symbol(body="CCPR", organs=("C", "GC"), number="36")),
    ("A/75/6 (Sect. 29A)", Symbol(body="A", session="75", number="6", qualifier="Sect. 29A")),
    ("S/PV.8000/Rev.1", Symbol(body="S", prefix="PV", number="8000", revision=1)),
])
def test_known_symbols(text, expected):
    parsed = parse_symbol(text)
    assert parsed == expected
    assert (parsed.body, parsed.session, parsed.number) == (expected.body, expected.session, expected.number)


@pytest.mark.parametrize("text", ["", "a/62/510", "A//510", "A/62", "A/62/510/Corr.1/Rev.1", "A/62/0510",
                                  "A/62/510/Add.1/Add.2", "A/RES", "A 62 510", "A/62/510/", "S/8000",
                                  "A/Rev.1/1", "S/RES/2532 (20)", "A/75/6 (Sect.29A)", "A/RES/63"])
def test_malformed_symbols_are_refused(text):
    with pytest.raises(MalformedSymbol) as refusal:
        parse_symbol(text)
    assert str(refusal.value) == (f"“{text}” is not a valid document symbol (expected a form such as A/62/510 "
                                  "or A/RES/63/262).")
