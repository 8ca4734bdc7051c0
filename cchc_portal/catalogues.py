"""The translation catalogues: committed as .po, compiled to .mo at install time.

polib writes the .mo files, so neither installing nor running the portal needs
GNU gettext. Compiling is idempotent and only touches catalogues whose .po is
newer than their .mo, so `make install`, `make test` and the test suite's own
start-up can all call it.
"""

import os
import tempfile
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings


def catalogue_folders() -> list[Path]:
    """LOCALE_PATHS and the portal's own apps' locale folders (not the
    installed packages', which ship compiled)."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for folder in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        folder = Path(config.path).resolve() / "locale"
        if folder.is_relative_to(base) and ".venv" not in folder.parts:
            folders.append(folder)
    return [folder for folder in folders if folder.is_dir()]


def po_files() -> list[Path]:
    return sorted(
        po for folder in catalogue_folders() for po in folder.glob("*/LC_MESSAGES/*.po")
    )


def is_stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogue(po: Path) -> None:
    """Write po's .mo beside it, atomically: test processes started side by
    side may compile the same catalogue at once."""
    catalogue = polib.pofile(str(po))
    broken = [entry for entry in catalogue if "fuzzy" in entry.flags]
    if broken:
        # Django would serve fuzzy entries untranslated; say which, and stop.
        raise ValueError(
            f"{po}: fuzzy entries (review, then drop the flag): "
            + ", ".join(repr(entry.msgid) for entry in broken[:5])
        )
    handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        catalogue.save_as_mofile(temporary)
        # mkstemp makes the file private; the server's user must read it.
        os.chmod(temporary, 0o644)
        os.replace(temporary, po.with_suffix(".mo"))
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def compile_stale_catalogues(*, force: bool = False) -> list[Path]:
    """Compile every catalogue whose .mo is missing or older; return them."""
    compiled = [po for po in po_files() if force or is_stale(po)]
    for po in compiled:
        compile_catalogue(po)
    return compiled


# The strings marked for translation, found the way Django reads them: the
# templates through the template engine's own parser, the Python modules
# through their syntax trees. No xgettext needed.
GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
# Pages only staff see: the admin speaks Vietnamese alone.
STAFF_ONLY_TEMPLATES = ("admin/", "registration/")


def _key(context: str | None, msgid: str, plural: str | None) -> tuple:
    return (context or "", msgid, plural or "")


def template_messages() -> dict[tuple, set[str]]:
    """{(context, msgid, plural): {template names}} of the public templates."""
    from django.template import engines
    from django.templatetags.i18n import BlockTranslateNode, TranslateNode

    engine = engines["django"].engine
    found: dict[tuple, set[str]] = {}
    for folder in engine.dirs:
        for path in sorted(Path(folder).rglob("*.html")) + sorted(
            Path(folder).rglob("*.txt")
        ):
            name = path.relative_to(folder).as_posix()
            if name.startswith(STAFF_ONLY_TEMPLATES):
                continue
            nodelist = engine.get_template(name).nodelist
            for node in nodelist.get_nodes_by_type(TranslateNode):
                variable = node.filter_expression.var
                if node.noop or getattr(variable, "literal", None) is None:
                    continue
                context = (
                    node.message_context.var.literal if node.message_context else None
                )
                key = _key(context, str(variable.literal).replace("%", "%%"), None)
                found.setdefault(key, set()).add(name)
            for node in nodelist.get_nodes_by_type(BlockTranslateNode):
                singular, _vars = node.render_token_list(node.singular)
                plural = node.render_token_list(node.plural)[0] if node.plural else None
                context = (
                    node.message_context.var.literal if node.message_context else None
                )
                found.setdefault(_key(context, singular, plural), set()).add(name)
    return found


def python_messages() -> dict[tuple, set[str]]:
    """{(context, msgid, plural): {file:line}} of the portal's modules."""
    import ast

    base = Path(settings.BASE_DIR)
    found: dict[tuple, set[str]] = {}
    for package in ("cchc_portal", "news", "parindex"):
        for path in sorted((base / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                function = node.func
                name = getattr(function, "id", None) or getattr(function, "attr", None)
                if name not in GETTEXT_CALLS:
                    continue
                positions = GETTEXT_CALLS[name]
                arguments = [
                    argument.value if isinstance(argument, ast.Constant) else None
                    for argument in node.args
                ]
                try:
                    context, msgid, plural = (
                        None if index is None else arguments[index]
                        for index in positions
                    )
                except IndexError:
                    continue
                if not isinstance(msgid, str):
                    continue  # a variable: translated where it was marked
                where = f"{path.relative_to(base)}:{node.lineno}"
                found.setdefault(_key(context, msgid, plural), set()).add(where)
    return found


def untranslated_messages(language: str) -> dict[tuple, set[str]]:
    """The marked strings the `language` catalogues have no translation for."""
    from django.utils import translation
    from django.utils.translation import trans_real

    marked = template_messages()
    for key, places in python_messages().items():
        marked.setdefault(key, set()).update(places)
    with translation.override(language):
        catalog = trans_real.translation(language)._catalog
    missing = {}
    for key, places in marked.items():
        context, msgid, plural = key
        lookup = f"{context}\x04{msgid}" if context else msgid
        if plural:
            lookup = (lookup, 0)
        if lookup not in catalog:
            missing[key] = places
    return missing
