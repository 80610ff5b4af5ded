"""The manager's words for what the server says about an item entered at check-in."""

from pos_app.ui.sync_texts import conflict_text, refusal_text


def test_a_new_item_refused_or_in_conflict_is_said_in_words() -> None:
    assert refusal_text("No consignor 4242 in this event") == (
        "Item entered at check-in for a consignor the event does not have")
    assert conflict_text("tag_taken").startswith("Item entered at check-in with a tag")
