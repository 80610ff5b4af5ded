"""Backoff: exponential, jittered, capped, and reset after a success."""

from pos_app.sync.backoff import Backoff


def test_delays_double_up_to_the_cap_with_full_jitter() -> None:
    backoff = Backoff(base_s=0.5, cap_s=10.0, rand=lambda: 1.0)
    assert [backoff.next_delay() for _ in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_jitter_scales_the_delay_down() -> None:
    backoff = Backoff(base_s=2.0, cap_s=60.0, rand=lambda: 0.25)
    assert backoff.next_delay() == 0.5


def test_reset_starts_over() -> None:
    backoff = Backoff(base_s=1.0, cap_s=60.0, rand=lambda: 1.0)
    backoff.next_delay()
    backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() == 1.0


def test_many_failures_do_not_overflow() -> None:
    backoff = Backoff(base_s=1.0, cap_s=30.0, rand=lambda: 1.0)
    for _ in range(2_000):
        delay = backoff.next_delay()
    assert delay == 30.0
