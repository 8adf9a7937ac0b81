"""Convert .doc/.wps/.rtf/.odt files to .docx with LibreOffice (`soffice --headless --convert-to docx`).

Each conversion gets its own LibreOffice profile inside `workdir`, so conversions in parallel worker
processes do not fight over the user's profile lock. On a timeout the whole process group is killed:
`soffice` is a launcher that starts `soffice.bin`, which would otherwise outlive it. LibreOffice dies with
the worker that started it (parent-death signal), and `soffice.bin` with the run (fazhi/lifecycle.py).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

from flows.parent_death import preexec_die_with_parent
from transforms.read import Unreadable

SOFFICE_NAMES = ("soffice", "libreoffice")
_SAVE_AS_DOCX = "open it in Word or WPS, save it as .docx and send it again"
_INSTALL_HINT = f"install it (apt-get install libreoffice-writer-nogui) or {_SAVE_AS_DOCX}"
_STDERR_TAIL = 300


def soffice_path() -> str | None:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def soffice_available() -> bool:
    return soffice_path() is not None


def convert_to_docx(path: Path, workdir: Path, timeout_s: float) -> bytes:
    """The .docx bytes LibreOffice makes of `path`; raise `Unreadable` when it is missing or fails."""
    soffice = soffice_path()
    if soffice is None:
        raise Unreadable("no_converter", "Word 97-2003 (.doc) and WPS (.wps) files need LibreOffice (soffice) on "
                         f"PATH to be read; {_INSTALL_HINT}")
    source = workdir / "in" / f"source{path.suffix.lower()}"  # an ASCII name: no locale surprises
    outdir = workdir / "out"
    source.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, source)
    cmd = [soffice, f"-env:UserInstallation={(workdir / 'profile').resolve().as_uri()}", "--headless",
           "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir", str(outdir), str(source)]
    stderr = _run(cmd, workdir, timeout_s)
    produced = outdir / "source.docx"
    if not produced.is_file():
        raise Unreadable("conversion_failed", f"LibreOffice could not convert the file ({stderr or 'no output'}); "
                         f"{_SAVE_AS_DOCX}")
    return produced.read_bytes()


def _run(cmd: list[str], workdir: Path, timeout_s: float) -> str:
    """Run LibreOffice in its own process group; return the tail of what it printed on stderr."""
    env = {**os.environ, "HOME": str(workdir)}  # it writes dotfiles under HOME
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True, preexec_fn=preexec_die_with_parent)
    except OSError as exc:
        raise Unreadable("conversion_failed", f"LibreOffice ({cmd[0]}) could not be started ({exc.strerror}); "
                         f"check the installation, or {_SAVE_AS_DOCX}") from exc
    try:
        _, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise Unreadable("conversion_failed", f"LibreOffice did not finish converting within {timeout_s:g} s "
                         f"([read] convert_timeout_s in fazhi.toml); {_SAVE_AS_DOCX}")
    finally:
        if proc.poll() is None:
            _kill_group(proc)
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()] or lines  # drop the javaldx warning noise
    return "; ".join(errors)[-_STDERR_TAIL:]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
