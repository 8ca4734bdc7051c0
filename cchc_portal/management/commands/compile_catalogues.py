from django.core.management.base import BaseCommand, CommandError

from cchc_portal.catalogues import compile_stale_catalogues, untranslated_messages


class Command(BaseCommand):
    help = (
        "Compile the portal's .po translation catalogues to .mo (pure Python, "
        "no gettext needed); only the stale ones unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="compile all")
        parser.add_argument(
            "--untranslated",
            metavar="LANGUAGE",
            help="then list, as .po entries, the marked strings LANGUAGE lacks",
        )

    def handle(self, *args, force=False, untranslated=None, **options):
        try:
            compiled = compile_stale_catalogues(force=force)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        for po in compiled if options["verbosity"] else ():
            self.stdout.write(f"compiled {po.with_suffix('.mo')}")
        if untranslated:
            missing = untranslated_messages(untranslated)
            for (context, msgid, plural), places in sorted(missing.items()):
                self.stdout.write(f"#: {' '.join(sorted(places))}")
                if context:
                    self.stdout.write(f"msgctxt {_quoted(context)}")
                self.stdout.write(f"msgid {_quoted(msgid)}")
                if plural:
                    self.stdout.write(f"msgid_plural {_quoted(plural)}")
                    self.stdout.write('msgstr[0] ""\nmsgstr[1] ""\n')
                else:
                    self.stdout.write('msgstr ""\n')
            if missing:
                raise CommandError(
                    f"{len(missing)} strings untranslated in {untranslated}"
                )


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
