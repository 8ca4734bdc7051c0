from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc_portal.runtime import page_cache
from news.demo import seed_demo_editors, seed_news
from parindex.demo import seed_parindex_demo

DEMO_ADMIN_USERNAME = "admin"
# Printed by `make run` in demo mode (embedded database) only; never created
# unless --admin is given.
DEMO_ADMIN_PASSWORD = "cchc-demo-2026"


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent, deterministic): PAR INDEX units and "
        "editions, news categories, tags and articles. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=None,
            help=(
                "Make sure this many extra load-test articles exist (made in SQL; "
                "a million take several minutes)."
            ),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete existing demo content first, then load it again.",
        )
        parser.add_argument(
            "--admin",
            action="store_true",
            help=(
                f"Create the demo superuser '{DEMO_ADMIN_USERNAME}', a demo writer "
                "(Biên tập viên) and a demo reviewer (Duyệt bài) with published "
                "passwords (local demo only, never on a real server)."
            ),
        )

    def handle(self, *args, **options):
        if options["articles"] is not None and options["articles"] < 0:
            raise CommandError("--articles must be zero or more.")
        with transaction.atomic():
            if options["admin"]:
                self._ensure_demo_admin()
                seed_demo_editors(log=self.stdout.write)
            parindex = seed_parindex_demo(reset=options["reset"])
        self.stdout.write(
            "PAR INDEX: "
            + ", ".join(f"{name} +{count}" for name, count in sorted(parindex.items()))
        )
        seed_news(
            reset=options["reset"],
            bulk_articles=options["articles"] or 0,
            log=self.stdout.write,
        )
        # Bulk inserts send no signals: start a fresh page-cache generation.
        page_cache.invalidate()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))

    def _ensure_demo_admin(self):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_ADMIN_USERNAME,
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "email": "admin@example.gov.vn",
            },
        )
        if created:
            user.set_password(DEMO_ADMIN_PASSWORD)
            user.save()
        self.stdout.write(
            f"Demo admin login: {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}"
            + ("" if created else " (existing account; password unchanged)")
        )
