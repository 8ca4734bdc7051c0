from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cchc_portal.runtime.backups import (
    BackupError,
    backup_create,
    connected_database,
)


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump) and the media folder into "
        "var/backups/cchc-YYYYmmdd-HHMMSS.tar.gz (or --output-dir)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=settings.VAR_DIR / "backups",
            help="Folder for the archive (default: var/backups).",
        )

    def handle(self, *args, **options):
        try:
            archive = backup_create(
                database=connected_database(),
                media_root=Path(settings.MEDIA_ROOT),
                output_dir=options["output_dir"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive}"))
