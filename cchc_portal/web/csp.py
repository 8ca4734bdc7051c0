"""Content-Security-Policy helpers."""

import base64
import hashlib
from pathlib import Path


def inline_script_hash(path: Path) -> str:
    """CSP source for a script inlined with {% inline_static %} (same stripping)."""
    content = Path(path).read_text(encoding="utf-8").strip()
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
