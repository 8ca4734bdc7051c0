from django.core.management.base import BaseCommand

from parindex.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the PAR INDEX reference data shipped in parindex/data/ (units and "
        "their 2025 mergers, frameworks, yearly and regional averages, the official "
        "2023 ministry ranking). Idempotent: only adds missing rows, never rewrites "
        "existing ones, so it is safe on production after every deploy."
    )

    def handle(self, *args, **options):
        counts = load_reference_data()
        added = ", ".join(f"{k} +{v}" for k, v in sorted(counts.items()) if v)
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded ({added or 'nothing new'}).")
        )
