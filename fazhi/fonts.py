"""Whether a font with Chinese glyphs is installed, so a PNG chart does not come out as empty boxes.

fontconfig (`fc-list :lang=zh`) is what the system's renderers consult; without it, the usual font folders
are searched for the font families the [charts] font list names or that ship Chinese glyphs."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local/share/fonts")
CJK_FILE_HINTS = ("wqy", "cjk", "sourcehan", "simsun", "simhei", "msyh", "droidsansfallback", "notosanssc")
FC_TIMEOUT_S = 10
INSTALL_HINT = "apt-get install fonts-wqy-microhei (or fonts-noto-cjk)"


def has_chinese_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                                 timeout=FC_TIMEOUT_S, check=False).stdout
            return bool(out.strip())
        except (OSError, subprocess.TimeoutExpired):
            pass
    return any(hint in p.name.lower() for d in FONT_DIRS if d.is_dir() for p in d.rglob("*")
               for hint in CJK_FILE_HINTS)
