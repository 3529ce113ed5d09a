"""How long the audits are kept: the sign-in audit, the read audit and the status changes delivered to the
portal grow with every request; older than the retention they are deleted (`hoso db prune`, and at every
`hoso serve` start). The deletion audit and the corrections' audit are kept: they are the record of what was
done to citizens' dossiers, and they hold no personal data beyond who did it."""

from __future__ import annotations

from workers.stores.records.base import RecordsBase
from workers.stores.records.tables import login_audit, outbox, read_audit


class Retention(RecordsBase):
    def prune_audits(self, before: float) -> dict[str, int]:
        """Delete sign-in and read audit rows, and delivered status changes, older than `before` (epoch s);
        how many of each."""
        with self._tx() as conn:
            gone = {
                "sign_ins": conn.execute(login_audit.delete().where(login_audit.c.at < before)).rowcount,
                "reads": conn.execute(read_audit.delete().where(read_audit.c.at < before)).rowcount,
                "deliveries": conn.execute(
                    outbox.delete().where(outbox.c.state == "delivered", outbox.c.at < before)
                ).rowcount,
            }
        return {k: int(v or 0) for k, v in gone.items()}

