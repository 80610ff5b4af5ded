"""The organiser's settlement use cases (issue 14): load, filter, pay, batch-pay, export.

The figures are the central server's (``GET .../settlement``, one row per consignor); nothing
here recomputes them. A payout gets its UUIDv7 id before it is sent, so a retry after a
timeout re-sends the same id and the server's ledger (idempotent by id) records it once. A
batch "pay all balances by check" is planned once (ids and check numbers fixed), sent in order,
and stops at the first failure saying which payouts were recorded; sending the same batch again
re-sends the same ids, so nothing is paid twice. The server is reached through a
:class:`SettlementApi` (``pos_app.sync.settlement_api`` is the HTTP one), which raises the
errors below; every call blocks, so the GUI runs them on its network lane.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from pos_app.core.ids import Uuid7Generator
from pos_app.services.settlement_conflicts import Resolution
from pos_app.services.settlement_data import (
    METHODS,
    ConflictPage,
    ConsignorBalance,
    PayoutRequest,
    RecordedPayout,
    Settlement,
    Statement,
    conflict_page_from_json,
    payout_from_json,
    settlement_from_json,
    statement_from_json,
    statement_page_from_json,
)

STATEMENTS_PAGE = 100  # consignors per call of "all statements" (the server allows 200)
CONFLICTS_PAGE = 100  # open conflicts per call of the conflicts view (the server allows 500)


class SettlementError(Exception):
    """A settlement call that did not happen; the message is for the organiser."""


class Offline(SettlementError):
    """The central server did not answer (no network, wrong address, timeout)."""


class NoAdminAccess(SettlementError):
    """No admin credentials on this computer, or the server refused them."""


class Refused(SettlementError):
    """The server refused the call (e.g. 409: the payout id was used with other content)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"The server refused it ({status} {code}): {message}")
        self.status, self.code = status, code


class BatchStopped(SettlementError):
    """A batch stopped at ``failed``; ``recorded`` were recorded before it (retry is safe)."""

    def __init__(self, recorded: Sequence[RecordedPayout], failed: PayoutRequest,
                 cause: SettlementError) -> None:
        done = ", ".join(str(p.consignor_number) for p in recorded) or "none"
        super().__init__(f"Stopped at consignor {failed.consignor_number}: {cause} Recorded "
                         f"before it: {done}. Paying the same batch again records each "
                         "payout once.")
        self.recorded, self.failed, self.cause = tuple(recorded), failed, cause


class SettlementApi(Protocol):
    """The admin endpoints the settlement needs (JSON in, JSON out; raises the errors above)."""

    def settlement(self, event_id: str) -> Mapping[str, Any]: ...

    def conflicts_page(self, event_id: str, after: int, limit: int,
                       consignor: int | None = None) -> Mapping[str, Any]: ...

    def record_payout(self, event_id: str, payout: Mapping[str, object]) -> Mapping[str, Any]: ...

    def statement(self, event_id: str, consignor_number: int) -> Mapping[str, Any]: ...

    def statements_page(self, event_id: str, after: int,
                        limit: int) -> Mapping[str, Any]: ...

    def resolve(self, event_id: str,
                resolution: Mapping[str, object]) -> Mapping[str, Any]: ...

    def settle(self, event_id: str) -> Mapping[str, Any]: ...

    def payouts(self, event_id: str) -> list[Mapping[str, Any]]: ...

    def close(self) -> None: ...


class Filter(StrEnum):
    ALL = "all"
    BALANCE_DUE = "balance_due"
    CONFLICTS = "conflicts"


def filtered(rows: Iterable[ConsignorBalance], which: Filter) -> list[ConsignorBalance]:
    """The rows a filter keeps: a balance still owed, or unresolved conflicts."""
    match which:
        case Filter.BALANCE_DUE:
            return [row for row in rows if row.balance_cents > 0]
        case Filter.CONFLICTS:
            return [row for row in rows if row.unresolved_conflicts]
        case _:
            return list(rows)


@dataclass(frozen=True, slots=True)
class PayoutBatch:
    """Checks planned once: each payout its id and check number; skipped rows and why."""

    payouts: tuple[PayoutRequest, ...]
    skipped: tuple[tuple[int, str], ...]

    @property
    def total_cents(self) -> int:
        return sum(p.amount_cents for p in self.payouts)


def plan_checks(settlement: Settlement, first_check: int,
                new_id: Callable[[], str]) -> PayoutBatch:
    """One check per payable balance, numbered from ``first_check`` in consignor order.

    A consignor with unresolved conflicts is skipped (their balance may still change), as is
    one whose balance is under the event's minimum payout (the server would refuse it).
    """
    if first_check < 1:
        raise ValueError("The first check number must be 1 or more")
    payouts, skipped, number = [], [], first_check
    for row in settlement.consignors:
        if row.balance_cents <= 0:
            continue
        if row.unresolved_conflicts:
            skipped.append((row.number, "unresolved conflicts"))
        elif row.payable_cents <= 0:
            skipped.append((row.number, "under the minimum payout"))
        else:
            payouts.append(PayoutRequest(new_id(), row.number, row.payable_cents, "check",
                                         f"check {number}"))
            number += 1
    return PayoutBatch(tuple(payouts), tuple(skipped))


class SettlementService:
    """The settlement of one event, through ``connect()`` (a fresh API client per call)."""

    def __init__(self, connect: Callable[[], SettlementApi], event_id: str,
                 recorded_by: str = "") -> None:
        self._connect = connect
        self.event_id = event_id
        self.recorded_by = recorded_by
        self._ids = Uuid7Generator()

    def new_id(self) -> str:
        return self._ids.new()

    def load(self) -> Settlement:
        api = self._connect()
        try:
            return settlement_from_json(api.settlement(self.event_id))
        finally:
            api.close()

    def conflicts_page(self, after: int = 0, *, consignor: int | None = None,
                       limit: int = CONFLICTS_PAGE) -> ConflictPage:
        """The next ``limit`` open conflicts after id ``after`` (only ``consignor``'s when
        given): a page at a time, never the whole list (an event may have millions)."""
        api = self._connect()
        try:
            return conflict_page_from_json(
                api.conflicts_page(self.event_id, after, limit, consignor))
        finally:
            api.close()

    def payout(self, row: ConsignorBalance, amount_cents: int, method: str,
               reference: str = "") -> PayoutRequest:
        """A new payout to ``row``'s consignor with its own id (checked, not yet sent)."""
        if method not in METHODS:
            raise ValueError(f"Unknown method {method!r}")
        if amount_cents <= 0:
            raise ValueError("The amount must be more than zero")
        return PayoutRequest(self.new_id(), row.number, amount_cents, method, reference.strip())

    def record(self, payout: PayoutRequest) -> RecordedPayout:
        """Send one payout (again, after a timeout: the same id is recorded once)."""
        api = self._connect()
        try:
            return self._send(api, payout)
        finally:
            api.close()

    def plan_checks(self, settlement: Settlement, first_check: int) -> PayoutBatch:
        return plan_checks(settlement, first_check, self.new_id)

    def pay_batch(self, batch: PayoutBatch) -> tuple[RecordedPayout, ...]:
        """Send the batch in order; the first failure raises :class:`BatchStopped`."""
        recorded: list[RecordedPayout] = []
        try:
            api = self._connect()
        except SettlementError as error:
            if not batch.payouts:
                raise
            raise BatchStopped((), batch.payouts[0], error) from error
        try:
            for payout in batch.payouts:
                try:
                    recorded.append(self._send(api, payout))
                except SettlementError as error:
                    raise BatchStopped(recorded, payout, error) from error
        finally:
            api.close()
        return tuple(recorded)

    def statements(self, numbers: Sequence[int]) -> list[Statement]:
        """The statements of ``numbers``, in that order (one call each)."""
        api = self._connect()
        try:
            return [statement_from_json(api.statement(self.event_id, n)) for n in numbers]
        finally:
            api.close()

    def all_statements(self, numbers: Sequence[int],
                       progress: Callable[[int, int], None] | None = None, *,
                       page: int = STATEMENTS_PAGE) -> list[Statement]:
        """The statements of ``numbers`` (in that order), read ``page`` consignors a call.

        ``progress(found, wanted)`` is called after each page; paging stops once every
        consignor wanted is found. A consignor the server does not list raises :class:`Refused`.
        """
        wanted = set(numbers)
        found: dict[int, Statement] = {}
        api = self._connect()
        try:
            after: int | None = -1
            while after is not None and len(found) < len(wanted):
                listed, after = statement_page_from_json(
                    api.statements_page(self.event_id, after, page))
                found.update((s.consignor.number, s) for s in listed
                             if s.consignor.number in wanted)
                if progress is not None:
                    progress(len(found), len(wanted))
        finally:
            api.close()
        missing = sorted(wanted - found.keys())
        if missing:
            raise Refused(404, "not_found", f"No statement for consignor(s) {missing[:10]}")
        return [found[n] for n in numbers]

    def resolve(self, resolution: Resolution) -> str:
        """Resolve one conflict (the same resolution again is accepted); the server's words."""
        api = self._connect()
        try:
            return str(api.resolve(self.event_id, resolution.body()).get("detail", ""))
        finally:
            api.close()

    def settle(self) -> str:
        """Mark the event settled; refused (409 unresolved_conflicts) while a conflict is open.
        Returns when it was settled."""
        api = self._connect()
        try:
            return str(api.settle(self.event_id).get("settled_at", ""))
        finally:
            api.close()

    def payouts(self) -> list[RecordedPayout]:
        api = self._connect()
        try:
            return [payout_from_json(row) for row in api.payouts(self.event_id)]
        finally:
            api.close()

    def export_payouts_csv(self, path: Path, names: Mapping[int, str]) -> int:
        """Write every payout of the event to ``path`` as CSV; returns the row count.

        Written to a temporary file and renamed, so a failure leaves no half-written file.
        """
        rows = self.payouts()
        write_csv(path, PAYOUT_COLUMNS, [payout_csv_row(p, names) for p in rows])
        return len(rows)

    def _send(self, api: SettlementApi, payout: PayoutRequest) -> RecordedPayout:
        return payout_from_json(api.record_payout(self.event_id,
                                                  payout.body(self.recorded_by)))


PAYOUT_COLUMNS = ("created_at", "consignor_number", "name", "amount", "amount_cents", "method",
                  "reference", "id", "corrects", "recorded_by")


def decimal_amount(cents: int) -> str:
    """Cents as a plain decimal for spreadsheets and banks: ``-123456`` -> ``-1234.56``."""
    whole, frac = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole}.{frac:02d}"


def payout_csv_row(payout: RecordedPayout, names: Mapping[int, str]) -> dict[str, object]:
    return {"created_at": payout.created_at, "consignor_number": payout.consignor_number,
            "name": names.get(payout.consignor_number, ""),
            "amount": decimal_amount(payout.amount_cents),
            "amount_cents": payout.amount_cents, "method": payout.method,
            "reference": payout.reference, "id": payout.id, "corrects": payout.corrects or "",
            "recorded_by": payout.recorded_by}


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> None:
    """A CSV with a header row, all or nothing (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(columns))
            writer.writeheader()
            writer.writerows(rows)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


EXPORT_COLUMNS = ("consignor_number", "name", "split_bp", "items_sold", "gross_cents",
                  "consignor_share_cents", "house_cents", "fees_cents", "paid_cents",
                  "balance_cents", "unresolved_conflicts")


def export_rows(settlement: Settlement,
                consignors: Iterable[Mapping[str, Any]]) -> list[dict[str, object]]:
    """``pos-app admin export --table settlement``: the server's rows, every consignor listed
    (those the settlement leaves out, with nothing sold, paid or owed, as zeros)."""
    rows = {row.number: row for row in settlement.consignors}
    for consignor in consignors:
        number = int(consignor["number"])
        if number not in rows:
            rows[number] = ConsignorBalance(number, str(consignor["name"]), 0, 0,
                                            int(consignor["split_bp"]), 0, 0, 0, 0, 0)
    return [{"consignor_number": row.number, "name": row.name, "split_bp": row.split_bp,
             "items_sold": row.items_sold, "gross_cents": row.gross_cents,
             "consignor_share_cents": row.share_cents,
             "house_cents": row.gross_cents - row.share_cents, "fees_cents": row.fees_cents,
             "paid_cents": row.paid_cents, "balance_cents": row.balance_cents,
             "unresolved_conflicts": row.unresolved_conflicts}
            for _, row in sorted(rows.items())]
