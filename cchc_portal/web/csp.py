"""Content-Security-Policy helpers."""

import base64
import hashlib
from pathlib import Path

from csp.constants import SELF


def inline_script_hash(path: Path) -> str:
    """CSP source for a script inlined with {% inline_static %} (same stripping)."""
    content = Path(path).read_text(encoding="utf-8").strip()
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


# What Zalo's share plugin needs on the pages that show it, and only there
# (article pages, when DJANGO_ZALO_OA_ID is set; developers.zalo.me, "Social
# Plugin: Share"): its SDK from sp.zalo.me, which draws the button in a frame
# from button-share.zalo.me. The share window the button opens is a popup,
# outside this page's policy. 'self' keeps the frames default-src allowed.
ZALO_SHARE_CSP = {
    "script-src": ["https://sp.zalo.me"],
    "frame-src": [SELF, "https://sp.zalo.me", "https://button-share.zalo.me"],
}
