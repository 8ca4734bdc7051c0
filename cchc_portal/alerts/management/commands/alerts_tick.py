from django.core.management.base import BaseCommand

from cchc_portal.alerts import tasks


class Command(BaseCommand):
    help = (
        "Run the alerts' minute maintenance now (digest, forget unconfirmed "
        "addresses, resume work a dead worker left) and make sure the next tick "
        "is queued for the db_worker. `make run` calls it before starting the "
        "worker; cron may call it as a safety net."
    )

    def handle(self, *args, **options):
        result = tasks.maintenance()
        queued = tasks.ensure_tick()
        self.stdout.write(f"{result} next tick queued: {queued}")
