"""Conventions from STYLE.md that a reviewer should not have to check by eye."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LONGEST_TEMPLATE_LINE = 120


def test_no_template_line_is_longer_than_120_characters():
    long_lines = [
        f"{path.relative_to(TEMPLATES)}:{number} ({len(line)})"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > LONGEST_TEMPLATE_LINE
    ]
    assert long_lines == []
