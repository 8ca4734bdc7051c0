from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parindex.models import Framework, Group
from parindex.services import edition_import
from parindex.tables import read_table


class Command(BaseCommand):
    help = (
        "Import a PAR INDEX ranking (CSV, XLSX or JSON in the published layout) "
        "into the draft edition of a year and group. Every row is checked first; "
        "one problem means nothing is saved. Released editions are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV, XLSX or JSON file.")
        parser.add_argument("--year", type=int, required=True, help="Assessed year.")
        parser.add_argument(
            "--group", choices=Group.values, required=True, help="bo or tinh."
        )
        parser.add_argument(
            "--framework",
            help="Framework code (e.g. 876); required for a new edition.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, write nothing."
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {path}: {error}") from error
        framework = None
        if options["framework"]:
            framework = Framework.objects.filter(
                code=options["framework"], group=options["group"]
            ).first()
            if framework is None:
                raise CommandError(
                    f"Không có bộ chỉ số “{options['framework']}” cho nhóm "
                    f"{options['group']}."
                )
        outcome = edition_import(
            table=read_table(content, path.name),
            year=options["year"],
            group=options["group"],
            framework=framework,
            dry_run=options["dry_run"],
        )
        if not outcome.ok:
            report = "\n".join(f"  - {problem}" for problem in outcome.problems)
            raise CommandError(
                f"Không nhập được ({len(outcome.problems)} lỗi, không có gì được "
                f"lưu):\n{report}"
            )
        if options["dry_run"]:
            verdict = "hợp lệ (chạy thử, không lưu)"
        elif outcome.changed:
            verdict = "đã nhập vào bản nháp"
        else:
            verdict = "giống hệt dữ liệu hiện có, không thay đổi"
        self.stdout.write(self.style.SUCCESS(f"{len(outcome.rows)} đơn vị: {verdict}."))
