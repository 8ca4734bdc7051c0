from django.core.management.base import BaseCommand

from news.models import Article


class Command(BaseCommand):
    help = (
        "Rebuild the search document of every article. Saves, tag and unit "
        "changes keep documents current by themselves; run this after changing "
        "how documents are built (news/search.py) or after writing articles with "
        "queryset.update() or raw SQL."
    )

    def handle(self, *args, **options):
        count = Article.objects.all().refresh_search_documents()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count} search documents."))
