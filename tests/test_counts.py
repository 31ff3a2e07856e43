"""The count grammar: every form, its bounds, its wording and how a reader sees it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model.counts import (
    COUNT_JSON_SCHEMA,
    VAGUE_WORDS,
    Count,
    CountKind,
    CountSyntaxError,
    parse_count,
)
from sitrep.wording import counts as words
from sitrep.wording.french import grammar as french

PROPERTY = settings(max_examples=150, deadline=None)

# (text, low, high, kind, display) -- bounds from docs/records.md and ACLED's conventions.
FORMS = [
    ("30", 30, 30, CountKind.EXACT, "30"),
    (">30", 31, None, CountKind.MORE_THAN, "more than 30"),
    ("more than 30", 31, None, CountKind.MORE_THAN, "more than 30"),
    ("over 30", 31, None, CountKind.MORE_THAN, "more than 30"),
    (">=30", 30, None, CountKind.AT_LEAST, "at least 30"),
    ("≥30", 30, None, CountKind.AT_LEAST, "at least 30"),
    ("at least 30", 30, None, CountKind.AT_LEAST, "at least 30"),
    ("<10", 1, 9, CountKind.FEWER_THAN, "fewer than 10"),
    ("fewer than 10", 1, 9, CountKind.FEWER_THAN, "fewer than 10"),
    ("less than 10", 1, 9, CountKind.FEWER_THAN, "fewer than 10"),
    ("~30", 30, 30, CountKind.ABOUT, "about 30"),
    ("about 30", 30, 30, CountKind.ABOUT, "about 30"),
    ("around 30", 30, 30, CountKind.ABOUT, "around 30"),
    ("nearly 30", 30, 30, CountKind.ABOUT, "nearly 30"),
    ("30-40", 30, 40, CountKind.RANGE, "30 to 40"),
    ("30 - 40", 30, 40, CountKind.RANGE, "30 to 40"),
    ("30–40", 30, 40, CountKind.RANGE, "30 to 40"),
    ("30 to 40", 30, 40, CountKind.RANGE, "30 to 40"),
    ("tens", 10, None, CountKind.VAGUE, "tens"),
    ("dozens", 12, None, CountKind.VAGUE, "dozens"),
    ("scores", 40, None, CountKind.VAGUE, "scores"),
    ("hundreds", 100, None, CountKind.VAGUE, "hundreds"),
    ("several", 3, None, CountKind.VAGUE, "several"),
    ("many", 1, None, CountKind.VAGUE, "many"),
    ("heavy", 1, None, CountKind.VAGUE, "heavy"),
    ("numerous", 1, None, CountKind.VAGUE, "numerous"),
    ("none", 0, 0, CountKind.EXACT, "0"),
    ("0", 0, 0, CountKind.EXACT, "0"),
    ("1,200", 1200, 1200, CountKind.EXACT, "1,200"),
    ("more than 1,000", 1001, None, CountKind.MORE_THAN, "more than 1,000"),
    ("8-14 (best 10)", 8, 14, CountKind.RANGE, "best 10, 8-14"),
    ("best 10, 8-14", 8, 14, CountKind.RANGE, "best 10, 8-14"),
    ("between 8 and 14 (best estimate 8)", 8, 14, CountKind.RANGE, "best 8, 8-14"),
    ("1,000-1,500 (best 1,200)", 1000, 1500, CountKind.RANGE, "best 1,200, 1,000-1,500"),
]


@pytest.mark.parametrize(("text", "low", "high", "kind", "shown"), FORMS)
def test_every_form_has_its_bounds_wording_and_display(
    text: str, low: int, high: int | None, kind: CountKind, shown: str
) -> None:
    count = parse_count(text)
    assert (count.low, count.high, count.kind) == (low, high, kind)
    assert count.text == text  # the wording is kept exactly as coded
    assert words.count(count) == shown
    assert count.open_ended is (high is None)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("More Than 30", 31, None),
        ("OVER 30", 31, None),
        ("At Least 30", 30, None),
        ("Fewer Than 10", 1, 9),
        ("ABOUT 30", 30, 30),
        ("30 TO 40", 30, 40),
        ("Dozens", 12, None),
        ("HUNDREDS", 100, None),
        ("None", 0, 0),
        ("  more   than 30  ", 31, None),
    ],
)
def test_case_and_spacing_do_not_matter_but_wording_is_kept(
    text: str, low: int, high: int | None
) -> None:
    count = parse_count(text)
    assert (count.low, count.high) == (low, high)
    assert count.text == text


def test_display_is_what_a_reader_expects_never_plus_notation() -> None:
    assert words.count(parse_count(">30")) == "more than 30"
    assert words.count(parse_count("Dozens")) == "dozens"
    assert words.count(parse_count("~30")) == "about 30"
    for text, *_ in FORMS:
        assert "+" not in words.count(parse_count(text))


@pytest.mark.parametrize(
    ("value", "low", "high", "kind"),
    [
        ("twenty-five", 25, 25, CountKind.EXACT),
        ("Ninety  nine", 99, 99, CountKind.EXACT),
        ("more than forty-one", 42, None, CountKind.MORE_THAN),
        ("about sixty-six", 66, 66, CountKind.ABOUT),
        ("between twenty-one and thirty-two", 21, 32, CountKind.RANGE),
        ("twenty-one-thirty", 21, 30, CountKind.RANGE),  # the compound first, then the range
        ("twenty-five (best twenty-two), twenty-one", None, None, None),
    ],
)
def test_compound_number_words_in_every_form(
    value: str, low: int | None, high: int | None, kind: CountKind | None
) -> None:
    """Tens and units as one number ('twenty-five', 'twenty five') wherever a number goes."""
    if kind is None:
        with pytest.raises(CountSyntaxError):
            parse_count(value)
        return
    c = parse_count(value)
    assert (c.low, c.high, c.kind) == (low, high, kind)


@pytest.mark.parametrize("value", ["twentyfive", "twenty-", "-five", "twenty-ten", "ten-five-"])
def test_broken_compound_number_words_are_errors(value: str) -> None:
    with pytest.raises(CountSyntaxError):
        parse_count(value)


def test_integers_and_whole_floats_are_exact() -> None:
    assert parse_count(13) == Count(13, 13, CountKind.EXACT, "13")
    assert parse_count(0).high == 0
    assert (parse_count(14.0).low, parse_count(14.0).high) == (14, 14)


def test_a_range_carries_its_own_best_estimate_within_its_bounds() -> None:
    count = parse_count("8-14 (best 10)")
    assert (count.low, count.best, count.high) == (8, 10, 14)
    assert count.point == 10  # the number a reader quotes: UCDP's best
    assert parse_count("8 à 14 (meilleure estimation 10)").best == 10
    assert parse_count("Best: 10, 8 to 14").best == 10
    assert parse_count("8-14").best is None and parse_count(13).best is None
    assert french.count(count) == "meilleure estimation 10, 8 à 14"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("8-14 (best 20)", "best 20 is outside its range 8-14"),
        ("8-14 (best 7)", "best 7 is outside its range 8-14"),
        ("best 15, 8-14", "best 15 is outside its range 8-14"),
        ("more than 8 (best 10)", "a best estimate goes with a range around it"),
        ("10 (best 10)", "a best estimate goes with a range around it"),
        ("dozens (best 20)", "a best estimate goes with a range around it"),
        ("8-x (best 10)", "a best estimate goes with a range around it"),
    ],
)
def test_a_best_outside_its_range_or_without_one_is_an_error(value: str, problem: str) -> None:
    with pytest.raises(CountSyntaxError) as info:
        parse_count(value)
    assert problem in str(info.value) and "expected" in str(info.value)


def test_point_is_the_number_a_reader_would_quote() -> None:
    assert parse_count("14").point == 14
    assert parse_count("about 30").point == 30
    assert parse_count("more than 30").point is None
    assert parse_count("30-40").point is None
    assert parse_count("dozens").point is None
    assert parse_count("14").exact and not parse_count("about 14").exact


@pytest.mark.parametrize(
    "value",
    [
        "thirtyish",
        "fortyish",
        "",
        "   ",
        "30ish",
        "more than",
        "-5",
        "30-",
        "fewer than 0",
        "<0",
        "1,2",
        "3.5",
        "over thirtyish",
        "30 40",
    ],
)
def test_text_outside_the_grammar_is_an_error_that_says_what_is_expected(value: str) -> None:
    with pytest.raises(CountSyntaxError) as info:
        parse_count(value)
    assert "expected" in str(info.value)


@pytest.mark.parametrize("value", [-1, -30, True, False, 3.5, -2.0, None, [30], {"n": 30}])
def test_non_counts_are_errors(value: object) -> None:
    with pytest.raises(CountSyntaxError) as info:
        parse_count(value)
    assert "expected" in str(info.value)


def test_negative_integer_message_says_negative() -> None:
    with pytest.raises(CountSyntaxError, match="negative"):
        parse_count(-3)


def test_bool_is_not_taken_for_one_or_zero() -> None:
    # bool is a subclass of int: True must not silently become "1 killed".
    with pytest.raises(CountSyntaxError):
        parse_count(True)


@pytest.mark.parametrize("value", ["40-30", "40 to 30", "40–30"])
def test_backwards_range_is_an_error(value: str) -> None:
    with pytest.raises(CountSyntaxError, match="backwards"):
        parse_count(value)


def test_count_error_is_a_value_error() -> None:
    # pydantic turns ValueError into a validation problem for the field.
    assert issubclass(CountSyntaxError, ValueError)


# --- properties -------------------------------------------------------------------------

BOUNDED_TEMPLATES = [
    "{n}",
    "~{n}",
    "about {n}",
    "around {n}",
    "nearly {n}",
    "fewer than {p}",
    "<{p}",
    "less than {p}",
]
OPEN_TEMPLATES = [">{n}", "more than {n}", "over {n}", ">={n}", "at least {n}", "≥{n}"]


def _forms() -> st.SearchStrategy[str]:
    n = st.integers(min_value=0, max_value=10**6)
    templated = st.builds(
        lambda t, k: t.format(n=k, p=k + 1), st.sampled_from(BOUNDED_TEMPLATES + OPEN_TEMPLATES), n
    )
    ranges = st.builds(
        lambda a, d, sep: f"{a}{sep}{a + d}",
        n,
        st.integers(0, 1000),
        st.sampled_from(["-", " - ", "–", " to "]),
    )
    vague = st.sampled_from([*sorted(VAGUE_WORDS), "none"])
    carried = st.builds(
        lambda a, d, share, before: (f"best {a + share * d // 100}, {a}-{a + d}" if before
                                     else f"{a}-{a + d} (best {a + share * d // 100})"),
        n, st.integers(0, 1000), st.integers(0, 100), st.booleans(),
    )  # fmt: skip
    return st.one_of(templated, ranges, vague, n.map(str), carried)


@PROPERTY
@given(_forms())
def test_property_bounds_are_ordered_and_display_round_trips(text: str) -> None:
    count = parse_count(text)
    assert count.low >= 0
    if count.high is not None:
        assert count.low <= count.high
    again = parse_count(words.count(count))
    assert (again.low, again.high, again.best) == (count.low, count.high, count.best)
    assert count.best is None or count.low <= count.best <= (count.high or 0)
    assert count.text == text


@PROPERTY
@given(st.sampled_from(OPEN_TEMPLATES), st.integers(min_value=0, max_value=10**6))
def test_property_open_ended_forms_have_no_upper_bound(template: str, n: int) -> None:
    count = parse_count(template.format(n=n))
    assert count.high is None and count.open_ended
    assert count.low in (n, n + 1)


@PROPERTY
@given(st.sampled_from(sorted(VAGUE_WORDS)))
def test_property_vague_words_are_open_ended(word: str) -> None:
    count = parse_count(word)
    assert count.high is None
    assert count.low == VAGUE_WORDS[word] >= 1


@PROPERTY
@given(st.integers(0, 10**5), st.integers(0, 10**5))
def test_property_ranges_parse_in_order_and_fail_backwards(a: int, b: int) -> None:
    if a <= b:
        count = parse_count(f"{a}-{b}")
        assert (count.low, count.high) == (a, b)
    else:
        with pytest.raises(CountSyntaxError):
            parse_count(f"{a}-{b}")


@PROPERTY
@given(_forms(), st.sampled_from([str.upper, str.title, str.lower]))
def test_property_case_insensitive(text: str, change: object) -> None:
    assert callable(change)
    a, b = parse_count(text), parse_count(change(text))
    assert (a.low, a.high, a.kind) == (b.low, b.high, b.kind)


@PROPERTY
@given(st.integers(min_value=0, max_value=10**9))
def test_property_integers_are_exact(n: int) -> None:
    count = parse_count(n)
    assert (count.low, count.high, count.kind, count.text) == (n, n, CountKind.EXACT, str(n))


@PROPERTY
@given(st.text(max_size=20))
def test_property_any_text_parses_or_raises_count_syntax_error(text: str) -> None:
    try:
        count = parse_count(text)
    except CountSyntaxError:
        return
    assert count.low >= 0
    assert count.high is None or count.low <= count.high


@PROPERTY
@given(_forms())
def test_property_json_schema_pattern_accepts_every_valid_form(text: str) -> None:
    pattern = next(
        alt["pattern"]
        for alt in COUNT_JSON_SCHEMA["anyOf"]  # type: ignore[attr-defined]
        if "pattern" in alt
    )
    assert re.search(pattern, text), text


def test_json_schema_pattern_rejects_words_outside_the_grammar() -> None:
    pattern = next(
        alt["pattern"]
        for alt in COUNT_JSON_SCHEMA["anyOf"]  # type: ignore[attr-defined]
        if "pattern" in alt
    )
    for text in ["thirtyish", "fortyish", "over thirtyish", "30ish"]:
        assert not re.search(pattern, text)
