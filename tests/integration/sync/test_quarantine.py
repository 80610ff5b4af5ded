"""A payload the Worker rejects is isolated and quarantined with its reason; the entries
behind it still sync. A revoked token stops the push and removes nothing."""

import json
from pathlib import Path

import pytest
from sqlalchemy import update

from pos_app.devtools.admin_client import AdminClient, dates_around_today
from pos_app.devtools.local_worker import LocalWorker
from pos_app.devtools.outbox_filler import OutboxFiller
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store import models
from pos_app.store.engine import Database
from pos_app.sync.batcher import SyncLimits
from pos_app.sync.client import AuthFailed, CentralClient
from pos_app.sync.push import Pusher

EVENT = "quarantine-event"
pytestmark = pytest.mark.worker


def _register(worker: LocalWorker, tmp_path: Path, register_id: str) -> tuple[Database, str]:
    admin = AdminClient(worker.url, worker.admin_token)
    admin.put_event(EVENT, name="Quarantine", **dates_around_today())
    token = admin.create_register(EVENT, register_id)
    admin.close()
    database = Database.open(tmp_path / f"{register_id}.sqlite3")
    configure_register(database, MemoryTokenStore(), register_id=register_id, event_id=EVENT,
                       name=register_id, server_url=worker.url, token=token)
    return database, token


def _corrupt(database: Database, seq: int, edit: str) -> None:
    table = models.outbox
    with database.unit_of_work() as unit:
        payload = json.loads(unit.connection.execute(
            table.select().where(table.c.id == seq)).one().payload)
        if edit == "tender":
            payload["tenders"][0][2] = "bitcoin"
        else:
            payload["journal"][0][5] = "not-a-hash"
        unit.connection.execute(update(table).where(table.c.id == seq)
                                .values(payload=json.dumps(payload)))
        unit.commit()


def test_bad_entries_are_quarantined_and_the_rest_sync(local_worker: LocalWorker,
                                                       tmp_path: Path) -> None:
    database, token = _register(local_worker, tmp_path, "quarantine-reg")
    filler = OutboxFiller(EVENT, "quarantine-reg", lines=3)
    filler.fill(database, 12)
    _corrupt(database, 4, "tender")
    _corrupt(database, 9, "journal")
    client = CentralClient(local_worker.url, token, "quarantine-reg", EVENT)

    outcome = Pusher(database, client, SyncLimits()).push_all()

    assert outcome.pushed == 10
    assert outcome.quarantined == 2
    with database.unit_of_work() as unit:
        assert unit.outbox.pending_count() == 0
        held = unit.outbox.list_quarantined()
    assert [entry.seq for entry in held] == [4, 9]
    assert "kind" in held[0].reason
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    remote = {row["id"] for row in admin.export(EVENT, "sales")}
    admin.close()
    expected = set(filler.sale_ids) - {filler.sale_ids[3], filler.sale_ids[8]}
    assert expected <= remote
    assert filler.sale_ids[3] not in remote and filler.sale_ids[8] not in remote
    client.close()
    database.close()


def test_a_revoked_token_stops_the_push_and_keeps_the_queue(local_worker: LocalWorker,
                                                            tmp_path: Path) -> None:
    database, token = _register(local_worker, tmp_path, "revoked-reg")
    OutboxFiller(EVENT, "revoked-reg", lines=2).fill(database, 3)
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.revoke_register("revoked-reg")
    admin.close()
    client = CentralClient(local_worker.url, token, "revoked-reg", EVENT)

    with pytest.raises(AuthFailed):
        Pusher(database, client, SyncLimits()).push_all()

    with database.unit_of_work() as unit:
        assert unit.outbox.pending_count() == 3
        assert unit.outbox.quarantined_count() == 0
    client.close()
    database.close()
