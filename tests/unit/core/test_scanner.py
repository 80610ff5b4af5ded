"""Keyboard-wedge scanner or person: fast bursts ending in the suffix are scans, the rest typing."""

from __future__ import annotations

import string
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.scanner import Scan, ScanAction, ScanDetector, ScannerConfig, Typed

FAST = 0.005      # a scanner: 5 ms per key
HUMAN = 0.150     # a person: 150 ms per key
ENTER = "\r"


def feed(detector: ScanDetector, keys: str, start: float, gap: float) -> tuple[list[ScanAction],
                                                                            float]:
    """Type ``keys`` one per ``gap`` seconds from ``start``; return the actions and the end time."""
    actions: list[ScanAction] = []
    now = start
    for n, key in enumerate(keys):
        now = start + n * gap
        actions += detector.key(key, now)
    return actions, now


def replay(actions: list[ScanAction], config: ScannerConfig) -> str:
    """The keystrokes the actions stand for, in order."""
    out = []
    for action in actions:
        if isinstance(action, Scan):
            out.append(config.prefix + action.code + config.suffix)
        else:
            out.append(action.text)
    return "".join(out)


# --- scans ---------------------------------------------------------------------------------------


def test_fast_burst_with_enter_is_a_scan() -> None:
    detector = ScanDetector()
    actions, _ = feed(detector, "1042-0017" + ENTER, start=10.0, gap=FAST)
    assert actions == [Scan("1042-0017")]
    assert detector.pending == ""


def test_keys_of_a_burst_are_held_until_the_suffix() -> None:
    detector = ScanDetector()
    actions, end = feed(detector, "4006381333931", start=1.0, gap=FAST)
    assert actions == []
    assert detector.pending == "4006381333931"
    assert detector.tick(end + 0.010) == []                   # still could be a scan
    assert detector.key(ENTER, end + FAST) == [Scan("4006381333931")]


def test_two_scans_back_to_back() -> None:
    detector = ScanDetector()
    first, end = feed(detector, "1042-0017" + ENTER, start=0.5, gap=FAST)
    second, _ = feed(detector, "1042-0018" + ENTER, start=end + 0.001, gap=FAST)
    assert first + second == [Scan("1042-0017"), Scan("1042-0018")]


def test_scan_right_after_human_typing() -> None:
    detector = ScanDetector()
    typed, end = feed(detector, "ab", start=0.0, gap=HUMAN)
    scanned, _ = feed(detector, "1042-0017" + ENTER, start=end + 0.100, gap=FAST)
    assert typed + scanned == [Typed("a"), Typed("b"), Scan("1042-0017")]


def test_min_length_is_a_scan_and_shorter_is_typed() -> None:
    detector = ScanDetector()
    actions, _ = feed(detector, "1234" + ENTER, start=0.0, gap=FAST)
    assert actions == [Scan("1234")]
    actions, _ = feed(detector, "123" + ENTER, start=5.0, gap=FAST)
    assert actions == [Typed("123" + ENTER)]


@pytest.mark.parametrize("code", ["", "1", "12", "123"])
def test_short_codes_are_typed(code: str) -> None:
    detector = ScanDetector()
    actions, _ = feed(detector, code + ENTER, start=1.0, gap=FAST)
    assert actions == [Typed(code + ENTER)]
    assert detector.pending == ""


# --- people --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["hello world", "1042-0017", "4006381333931", "12.50"])
def test_human_typing_is_typed_and_never_a_scan(text: str) -> None:
    detector = ScanDetector()
    actions, end = feed(detector, text + ENTER, start=3.0, gap=HUMAN)
    assert not any(isinstance(a, Scan) for a in actions)
    assert actions == [Typed(c) for c in text] + [Typed(ENTER)]
    assert detector.tick(end + 1.0) == []


@pytest.mark.parametrize("gap", [0.036, 0.080, 0.150, 0.500])
def test_typing_slower_than_max_gap_is_never_a_scan(gap: float) -> None:
    detector = ScanDetector()
    actions, end = feed(detector, "1042-0017" + ENTER, start=0.0, gap=gap)
    actions += detector.tick(end + 1.0)
    assert all(isinstance(a, Typed) for a in actions)
    assert replay(actions, detector.config) == "1042-0017" + ENTER


def test_lone_enter_is_typed() -> None:
    detector = ScanDetector()
    assert detector.key(ENTER, 2.0) == [Typed(ENTER)]


def test_each_human_key_is_released_by_the_next_one() -> None:
    detector = ScanDetector()
    assert detector.key("a", 1.0) == []
    assert detector.pending == "a"
    assert detector.key("b", 1.0 + HUMAN) == [Typed("a")]
    assert detector.pending == "b"


# --- pauses and tick ------------------------------------------------------------------------------


def test_pause_mid_burst_splits_into_typing() -> None:
    detector = ScanDetector()
    first, end = feed(detector, "10", start=0.0, gap=FAST)
    second, _ = feed(detector, "420017" + ENTER, start=end + 0.200, gap=FAST)
    assert first + second == [Typed("10"), Scan("420017")]


def test_pause_before_enter_makes_it_typing() -> None:
    detector = ScanDetector()
    actions, end = feed(detector, "1042-0017", start=0.0, gap=FAST)
    actions += detector.key(ENTER, end + 0.100)
    assert actions == [Typed("1042-0017"), Typed(ENTER)]


def test_pause_mid_burst_with_short_tail_is_all_typing() -> None:
    detector = ScanDetector()
    first, end = feed(detector, "1042-00", start=0.0, gap=FAST)
    second, _ = feed(detector, "17" + ENTER, start=end + 0.200, gap=FAST)
    assert first + second == [Typed("1042-00"), Typed("17" + ENTER)]


def test_tick_releases_held_keys() -> None:
    detector = ScanDetector()
    assert detector.tick(0.0) == []                       # nothing held
    detector.key("x", 1.0)
    assert detector.tick(1.010) == []
    assert detector.tick(1.030) == []
    assert detector.tick(1.050) == [Typed("x")]
    assert detector.pending == ""
    assert detector.tick(5.0) == []


def test_tick_releases_an_unfinished_burst() -> None:
    detector = ScanDetector()
    _, end = feed(detector, "1042-0017", start=0.0, gap=FAST)
    assert detector.tick(end + 0.5) == [Typed("1042-0017")]
    assert detector.key(ENTER, end + 0.6) == [Typed(ENTER)]


# --- prefix and suffix ---------------------------------------------------------------------------


def test_prefix_marks_a_scan_whatever_its_speed() -> None:
    config = ScannerConfig(prefix="~")
    detector = ScanDetector(config)
    actions, _ = feed(detector, "~1042-0017" + ENTER, start=0.0, gap=0.200)
    assert actions == [Scan("1042-0017")]


def test_prefix_held_keys_wait_for_the_prefix_timeout() -> None:
    config = ScannerConfig(prefix="~", prefix_timeout_s=1.0)
    detector = ScanDetector(config)
    detector.key("~", 0.0)
    detector.key("1", 0.2)
    assert detector.tick(0.9) == []
    assert detector.tick(1.3) == [Typed("~1")]


def test_prefix_mode_human_typing_without_prefix_is_typed() -> None:
    detector = ScanDetector(ScannerConfig(prefix="~"))
    actions, _ = feed(detector, "1042-0017" + ENTER, start=0.0, gap=HUMAN)
    assert all(isinstance(a, Typed) for a in actions)
    assert replay(actions, detector.config) == "1042-0017" + ENTER


def test_prefix_mode_multi_character_prefix() -> None:
    detector = ScanDetector(ScannerConfig(prefix="]C1"))
    actions, _ = feed(detector, "]C11042-0017" + ENTER, start=0.0, gap=FAST)
    assert actions == [Scan("1042-0017")]


def test_custom_suffix_tab() -> None:
    config = ScannerConfig(suffix="\t")
    detector = ScanDetector(config)
    actions, _ = feed(detector, "1042-0017\t", start=0.0, gap=FAST)
    assert actions == [Scan("1042-0017")]
    # Enter is an ordinary key now: a burst ending in Enter is not a scan.
    actions, end = feed(detector, "1042-0018" + ENTER, start=5.0, gap=FAST)
    actions += detector.tick(end + 1.0)
    assert actions == [Typed("1042-0018" + ENTER)]
    # and a slow Tab is typing
    actions, end = feed(detector, "abcd", start=10.0, gap=FAST)
    actions += detector.key("\t", end + 0.2)
    assert actions == [Typed("abcd"), Typed("\t")]


def test_custom_min_length_and_gap() -> None:
    detector = ScanDetector(ScannerConfig(max_gap_s=0.060, min_length=6))
    actions, _ = feed(detector, "12345" + ENTER, start=0.0, gap=0.050)
    assert actions == [Typed("12345" + ENTER)]
    actions, _ = feed(detector, "123456" + ENTER, start=5.0, gap=0.050)
    assert actions == [Scan("123456")]


# --- fuzz: random interleavings of people and scanners -------------------------------------------


@dataclass(frozen=True)
class Segment:
    keys: tuple[str, ...]
    gaps: tuple[float, ...]       # before each key
    burst: bool                   # a scanner burst (fast), else a person
    ends_with_suffix: bool


CONFIGS = [
    ScannerConfig(),
    ScannerConfig(suffix="\t"),
    ScannerConfig(max_gap_s=0.050, min_length=6),
]

SCANNER_CHARS = string.ascii_uppercase + string.digits + "-."
HUMAN_CHARS = string.ascii_letters + string.digits + " -.,$\r\t"


@st.composite
def segments(draw: st.DrawFn, config: ScannerConfig) -> list[Segment]:
    fast = st.floats(0.0005, config.max_gap_s * 0.6)
    slow_human = st.floats(config.max_gap_s * 2 + 0.01, 0.8)
    between = st.floats(config.max_gap_s + 0.005, 2.0)
    result = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            body = draw(st.text(SCANNER_CHARS, max_size=18))
            with_suffix = draw(st.integers(0, 9)) > 0
            keys = tuple(body) + ((config.suffix,) if with_suffix else ())
            if not keys:
                continue
            gaps = (draw(between), *(draw(fast) for _ in keys[1:]))
            result.append(Segment(keys, gaps, True, with_suffix))
        else:
            keys = tuple(draw(st.text(HUMAN_CHARS, min_size=1, max_size=10)))
            gaps = (draw(between), *(draw(slow_human) for _ in keys[1:]))
            result.append(Segment(keys, gaps, False, keys[-1] == config.suffix))
    return result


@settings(max_examples=400)
@given(st.data())
def test_detector_never_loses_or_invents_keys(data: st.DataObject) -> None:
    config = data.draw(st.sampled_from(CONFIGS))
    plan = data.draw(segments(config))
    detector = ScanDetector(config)
    actions: list[ScanAction] = []
    now = 100.0
    typed = []
    for segment in plan:
        for key, gap in zip(segment.keys, segment.gaps, strict=True):
            if data.draw(st.integers(0, 3)) == 0:          # the UI timer fires in between
                actions += detector.tick(now + data.draw(st.floats(0.0, gap)))
            now += gap
            actions += detector.key(key, now)
            typed.append(key)
    actions += detector.tick(now + 10.0)
    assert detector.pending == ""

    # nothing lost, nothing invented, nothing reordered
    assert replay(actions, config) == "".join(typed)

    # every fast burst of >= min_length followed by the suffix is a scan, and nothing else is
    expected = ["".join(s.keys[:-1]) for s in plan
                if s.burst and s.ends_with_suffix and len(s.keys) - 1 >= config.min_length]
    assert [a.code for a in actions if isinstance(a, Scan)] == expected
    assert all(a.text for a in actions if isinstance(a, Typed))


@settings(max_examples=200)
@given(st.lists(st.tuples(st.booleans(), st.text(SCANNER_CHARS, min_size=0, max_size=14),
                          st.floats(0.001, 0.9)), max_size=6),
       st.floats(0.05, 0.9))
def test_prefixed_scans_at_any_speed(
    parts: list[tuple[bool, str, float]], human_gap: float
) -> None:
    config = ScannerConfig(prefix="~", prefix_timeout_s=1.0)
    detector = ScanDetector(config)
    now, typed, actions, expected = 50.0, [], [], []
    for is_scan, text, key_gap in parts:
        keys = ["~", *text, ENTER] if is_scan else [*text.lower(), ENTER]
        gap = key_gap if is_scan else human_gap
        now += 1.5
        for n, key in enumerate(keys):
            now += gap if n else 0.0
            actions += detector.key(key, now)
            typed.append(key)
        if is_scan:
            expected.append(text)
    actions += detector.tick(now + 10.0)
    scans = [a.code for a in actions if isinstance(a, Scan)]
    assert scans == expected
    rebuilt = "".join("~" + a.code + ENTER if isinstance(a, Scan) else a.text for a in actions)
    assert rebuilt == "".join(typed)
