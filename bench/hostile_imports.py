"""What the crafted import files cost the import preview: time and peak memory.

`python bench/hostile_imports.py` (part of `make bench`). Each file is made by
tests/parindex/hostile_files.py and read by `parindex.tables.read_table`, the
function the admin's preview calls, in a fresh process, so the figures are the
file's own: wall time and the peak resident memory (ru_maxrss) of that process,
against the same process reading a normal 63-unit file as the baseline.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# label: (generator in tests/parindex/hostile_files.py, its arguments)
CASES = {
    "normal 63-unit CSV (baseline)": ("normal_csv", {}),
    "XLSX, one cell of 100,000,000 characters": ("xlsx_with_one_huge_cell", {}),
    "XLSX, 20,000,000 empty rows": ("xlsx_with_empty_rows", {}),
    # Just under the 8 MB a workbook member may unpack to.
    "XLSX, one cell of 8,000,000 characters": (
        "xlsx_with_one_huge_cell",
        {"chars": 8_000_000},
    ),
    "XLSX, 1,300,000 empty rows": ("xlsx_with_empty_rows", {"rows": 1_300_000}),
    "XLSX, one cell on row 1,048,576": ("xlsx_with_a_distant_row", {}),
    "CSV, 5 MB of blank lines": ("csv_with_blank_lines", {}),
    "CSV, a name of 120,000 characters": ("csv_with_a_long_name", {}),
}

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from tests.parindex import hostile_files
from parindex.tables import read_table
name, arguments = sys.argv[1], json.loads(sys.argv[2])
if name == "normal_csv":
    rows = "".join(f"Tỉnh {{i}},{{80 + i / 100:.2f}}\\r\\n" for i in range(63))
    content = ("Tên đơn vị,Tổng điểm\\r\\n" + rows).encode()
else:
    content = getattr(hostile_files, name)(**arguments)
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
suffix = "csv" if name.startswith(("csv", "normal")) else "xlsx"
table = read_table(content, "tep." + suffix)
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
message = str(table.problems[0]) if table.problems else f"{{len(table.rows)}} rows"
print(json.dumps({{"bytes": len(content), "seconds": seconds,
                   "peak_mb": peak / 1024, "before_mb": baseline / 1024,
                   "answer": message[:90]}}))
"""


def measure(generator: str, arguments: dict) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
        "DJANGO_DEBUG": "1",
    }
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD.format(root=str(ROOT)),
            generator,
            json.dumps(arguments),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if result.returncode != 0:
        return {
            "error": result.stderr.strip().splitlines()[-1][:120],
            "seconds": time.monotonic() - started,
        }
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> dict:
    figures = {}
    print("import preview (read_table) on crafted files, one fresh process each:")
    print(f"  {'file':<44}{'size':>10}{'time s':>9}{'peak MB':>9}  answer")
    for label, (generator, arguments) in CASES.items():
        item = measure(generator, arguments)
        figures[label] = item
        if "error" in item:
            print(
                f"  {label:<44}{'':>10}{item['seconds']:>9.1f}{'':>9}  {item['error']}"
            )
            continue
        print(
            f"  {label:<44}{item['bytes'] / 1024:>8.0f}KB{item['seconds']:>9.2f}"
            f"{item['peak_mb']:>9.0f}  {item['answer']}"
        )
    return figures


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
