"""What checking and storing an uploaded image costs: time and peak memory.

`python bench/images.py` (part of `make bench`). Each image is made in memory
and then checked and stored by `news.images` (check_image then store_image,
as the admin's article form does) in a fresh process with a throwaway media
folder, so the figures are the image's own: wall time and the peak resident
memory (ru_maxrss) of that process (Django loaded: about 60 MB). Target: a
40 MP JPEG photo under 2.5 s and 250 MB.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# label: (format, width, height)
CASES = {
    "JPEG 1600 x 900 (a usual hero)": ("JPEG", 1600, 900),
    "JPEG 8000 x 5000 (40 MP photo)": ("JPEG", 8000, 5000),
    "PNG 3000 x 3000 (9 MP)": ("PNG", 3000, 3000),
    "WebP 4000 x 3000 (12 MP, the WebP limit)": ("WEBP", 4000, 3000),
    # Refused before decoding (it peaked at 319 MB when it was accepted).
    "WebP 4000 x 4000 (16 MP, over the limit)": ("WEBP", 4000, 4000),
}

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from news.images import check_image, store_image
path = sys.argv[1]
with open(path, "rb") as file:
    upload = SimpleUploadedFile(path.rsplit("/", 1)[-1], file.read())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
check_image(upload)
stored = store_image(upload)
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"bytes": upload.size, "seconds": seconds,
                   "before_mb": before / 1024, "peak_mb": peak / 1024,
                   "stored": f"{{stored.width}} x {{stored.height}}"}}))
"""


# A picture that compresses like a photo: a gradient with fine grain. Made in
# its own process: a child forked from a process that held the picture would
# start with its peak memory (ru_maxrss survives fork and exec).
MAKE = """
import sys
from PIL import Image
image_format, path = sys.argv[1], sys.argv[4]
width, height = int(sys.argv[2]), int(sys.argv[3])
gradient = Image.linear_gradient("L").resize((width, height))
grain = Image.effect_noise((width, height), 12)
image = Image.merge("RGB", (gradient, grain, gradient.transpose(0)))
image.save(path, format=image_format, quality=85)
"""


def photo_like(image_format: str, width: int, height: int, path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", MAKE, image_format, str(width), str(height), str(path)],
        check=True,
        timeout=600,
    )


def measure(image_format: str, width: int, height: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
        path = Path(folder) / f"photo.{extension}"
        photo_like(image_format, width, height, path)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_MEDIA_ROOT": str(Path(folder) / "media"),
        }
        result = subprocess.run(
            [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1][:120]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> dict:
    figures = {}
    print("image upload (check_image + store_image), one fresh process each:")
    print(f"  {'image':<42}{'size':>9}{'time s':>9}{'peak MB':>9}  stored")
    for label, case in CASES.items():
        item = measure(*case)
        figures[label] = item
        if "error" in item:
            print(f"  {label:<42}  {item['error']}")
            continue
        print(
            f"  {label:<42}{item['bytes'] / 1024 / 1024:>7.1f}MB{item['seconds']:>9.2f}"
            f"{item['peak_mb']:>9.0f}  {item['stored']}"
        )
    return figures


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
