"""The tender presenter: what the payment dialog shows and says, without any widget."""

from __future__ import annotations

from pos_app.core.tender import TenderKind
from pos_app.ui.tender_presenter import TenderPresenter, describe_tender


def test_cash_over_the_total_gives_change_and_settles() -> None:
    presenter = TenderPresenter(2_705)
    assert presenter.quick_amounts()[0] >= 2_705
    assert presenter.add_cash(5_000) is None
    state = presenter.state
    assert (state.paid_cents, state.remaining_cents, state.change_cents, state.settled) == (
        2_705, 0, 2_295, True)
    assert presenter.quick_amounts() == []
    assert presenter.describe() == ["Cash  $27.05   (given $50.00, change $22.95)"]


def test_split_card_then_cash() -> None:
    presenter = TenderPresenter(3_000)
    assert presenter.add_card(1_000, "AUTH-7") is None
    assert presenter.state.remaining_cents == 2_000 and not presenter.settled
    assert presenter.add_cash(2_000) is None
    assert [t.kind for t in presenter.finish()] == [TenderKind.CARD, TenderKind.CASH]


def test_bad_input_is_a_message_for_the_cashier_and_changes_nothing() -> None:
    presenter = TenderPresenter(1_000)
    assert presenter.add_cash(None) == "Type the cash amount given"
    assert presenter.add_card(500, "") is not None  # a card needs the terminal's reference
    assert presenter.tenders == ()
    assert presenter.state.remaining_cents == 1_000


def test_undo_takes_back_the_last_tender() -> None:
    presenter = TenderPresenter(1_000)
    presenter.add_card(None, "AUTH-1")
    undone = presenter.undo()
    assert undone is not None and describe_tender(undone) == "Card  $10.00   ref AUTH-1"
    assert presenter.tenders == () and presenter.state.remaining_cents == 1_000
