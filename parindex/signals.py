"""PAR INDEX signals: the data team's steps, and cached pages kept in step.

Other apps listen to the steps without parindex importing them (the e-mail
alerts tell the data reviewers when an edition is ready to release). Each
signal is sent once the transaction that took the step has committed, with
`edition` (the Edition, as saved) and `user` (who took the step; None for
the system, e.g. seed_demo) as keyword arguments:

- edition_checked: a data officer marked the edition checked: every check
  passed and it waits for a second person to release it.
- edition_released: the edition was released (`scheduled=True` when it goes
  public only at `edition.release_at`).
- edition_corrected: a released edition was corrected (`correction`, the
  Correction with its changes).
- edition_withdrawn: a released edition was withdrawn with a public note.
"""

from django.db import transaction
from django.dispatch import Signal

from cchc_portal.runtime import page_cache
from parindex import models

edition_checked = Signal()
edition_released = Signal()
edition_corrected = Signal()
edition_withdrawn = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    """Send `signal` from parindex once the current transaction commits."""
    transaction.on_commit(lambda: signal.send(sender=models.Edition, **kwargs))


def next_scheduled_change():
    return models.Edition.objects.next_release_time()


def connect() -> None:
    page_cache.watch(
        models.AnnualSummary,
        models.Area,
        models.AreaScore,
        models.Correction,
        models.CorrectionChange,
        models.Edition,
        models.Framework,
        models.Region,
        models.RegionalAverage,
        models.Result,
        models.Tier,
        models.Unit,
        models.UnitName,
        models.UnitSlug,
        models.UnitSuccession,
    )
    page_cache.register_schedule(next_scheduled_change)
