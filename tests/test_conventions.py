"""Conventions from STYLE.md that a reviewer should not have to check by eye."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The site's templates and the benchmark's own (bench/settings.py adds them).
TEMPLATE_FOLDERS = [ROOT / "templates", ROOT / "bench" / "templates"]
LONGEST_TEMPLATE_LINE = 120


def test_no_template_line_is_longer_than_120_characters():
    long_lines = [
        f"{path.relative_to(ROOT)}:{number} ({len(line)})"
        for folder in TEMPLATE_FOLDERS
        for path in sorted(folder.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > LONGEST_TEMPLATE_LINE
    ]
    assert long_lines == []
