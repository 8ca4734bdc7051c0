from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cchc_portal.runtime import page_cache
from cchc_portal.runtime.backups import (
    BackupError,
    backup_restore,
    connected_database,
)


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: replaces the database "
        "contents (in one transaction) and the media folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz backup to restore.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask for confirmation (the current data is replaced).",
        )

    def handle(self, *args, **options):
        database = connected_database()
        if not options["yes"]:
            answer = input(
                f"Replace all data in database '{database['NAME']}' and "
                f"{settings.MEDIA_ROOT} with {options['archive']}? [y/N] "
            )
            if answer.strip().lower() not in {"y", "yes", "c", "có"}:
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = backup_restore(
                archive=options["archive"],
                database=database,
                media_root=Path(settings.MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        # Every app server sharing the cache must stop serving pre-restore pages.
        page_cache.invalidate()
        made_at = manifest.get("created_at", "?")
        self.stdout.write(
            self.style.SUCCESS(f"Restored {options['archive']} (made {made_at}).")
        )
