"""GUI smoke test: each VST3 editor opens in DawDreamer under Xvfb + openbox and draws something.

A virtual X server (Xvfb, 1280x800x24) with openbox as window manager (without one, JUCE hits BadAtom) and
Mesa's software OpenGL. DawDreamer's `open_editor()` blocks, so it runs in a child process; once its window is
mapped and has had a few seconds to draw, the screen is grabbed with ImageMagick's `import -window root`, and
the child is killed. The test fails if the editor window is blank: too few distinct colours, or one colour
covering nearly all of it. The screenshot is written as PNG to $GUI_SCREENSHOT_OUT if set (a file path, or
a directory), else into the test's temp dir.
"""

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from hostlib import WORKER

SCREEN = (1280, 800)
SETTLE_S = 4.0  # time the editor gets to draw after its window appears
MIN_COLOURS = 24
MAX_DOMINANT = 0.97

TOOLS = {
    "Xvfb": "xvfb",
    "openbox": "openbox",
    "import": "imagemagick",
    "xdotool": "xdotool",
    "xwininfo": "x11-utils",
    "xprop": "x11-utils",
}


def _tools():
    paths, missing = {}, []
    for tool, pkg in TOOLS.items():
        p = shutil.which(tool)
        if p is None:
            missing.append(f"{tool} (Debian package {pkg})")
        paths[tool] = p
    if missing:
        pytest.fail("GUI test needs: " + ", ".join(missing) + "; install with `apt-get install xvfb openbox "
                    "imagemagick xdotool x11-utils libgl1-mesa-dri`")
    return paths


def _stop(proc):
    """Kills a child we started (and its process group) and reaps it."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def _start_xvfb(xvfb):
    """Starts Xvfb on a free display (it picks one and reports it through -displayfd)."""
    r, w = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(w), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        pass_fds=(w,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    os.close(w)
    buf = b""
    deadline = time.monotonic() + 20
    os.set_blocking(r, False)
    while time.monotonic() < deadline and b"\n" not in buf:
        try:
            chunk = os.read(r, 64)
            if not chunk and proc.poll() is not None:
                break
            buf += chunk
        except BlockingIOError:
            time.sleep(0.05)
        if proc.poll() is not None:
            break
    os.close(r)
    if not buf.strip().isdigit():
        _stop(proc)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        pytest.fail(f"Xvfb did not start: {err[-2000:]}")
    return proc, f":{int(buf.strip())}"


def _run(cmd, env, timeout=15):
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


def _read_ppm(path):
    data = Path(path).read_bytes()
    # P6 header: magic, width, height, maxval, separated by whitespace (no comments from ImageMagick).
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert m, f"{path} is not a binary PPM"
    w, h, maxval = map(int, m.groups())
    assert maxval == 255, f"{path}: maxval {maxval}"
    pix = np.frombuffer(data, dtype=np.uint8, count=w * h * 3, offset=m.end())
    return pix.reshape(h, w, 3)


def _write_png(path, rgb):
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    Path(path).write_bytes(png)


def _screenshot_path(bundle, tmp_path):
    out = os.environ.get("GUI_SCREENSHOT_OUT")
    name = re.sub(r"[^A-Za-z0-9]+", "-", bundle.stem).strip("-").lower() + "-editor.png"
    if not out:
        return tmp_path / name
    out = Path(out)
    if out.is_dir() or str(out).endswith(os.sep):
        out.mkdir(parents=True, exist_ok=True)
        return out / name
    out.parent.mkdir(parents=True, exist_ok=True)
    # Several bundles, one file name: keep the name for the Bus Compressor, suffix the others.
    if bundle.stem != "Stem Bus Compressor" and len(list(bundle.parent.glob("*.vst3"))) > 1:
        return out.with_name(f"{out.stem}-{name}")
    return out


def _windows_of(pid, env):
    r = _run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)], env)
    return [int(x) for x in r.stdout.split()]


def _geometry(wid, env):
    # Absolute position and size of the window's client area.
    r = _run(["xwininfo", "-id", str(wid)], env)
    vals = {}
    for key, pat in {
        "x": r"Absolute upper-left X:\s+(-?\d+)",
        "y": r"Absolute upper-left Y:\s+(-?\d+)",
        "w": r"Width:\s+(\d+)",
        "h": r"Height:\s+(\d+)",
    }.items():
        m = re.search(pat, r.stdout)
        assert m, f"xwininfo -id {wid}: {r.stdout}{r.stderr}"
        vals[key] = int(m.group(1))
    name = re.search(r'xwininfo: Window id: \S+ (.*)', r.stdout)
    vals["name"] = name.group(1) if name else "?"
    return vals


def test_editor_renders(vst3_bundle, tmp_path):
    tools = _tools()
    procs = []
    try:
        xvfb, display = _start_xvfb(tools["Xvfb"])
        procs.append(xvfb)
        env = dict(os.environ, DISPLAY=display, LIBGL_ALWAYS_SOFTWARE="1")
        env.pop("WAYLAND_DISPLAY", None)

        wm = subprocess.Popen(
            [tools["openbox"]], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        procs.append(wm)
        deadline = time.monotonic() + 15
        while "window id" not in _run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env).stdout:
            assert wm.poll() is None, "openbox exited"
            assert time.monotonic() < deadline, "openbox did not come up within 15 s"
            time.sleep(0.1)

        job_file = tmp_path / "editor.job.json"
        job_file.write_text(
            json.dumps(
                {
                    "host": "dawdreamer",
                    "op": "editor",
                    "bundle": str(vst3_bundle),
                    "sr": 48000,
                    "block": 512,
                    "result": str(tmp_path / "editor.result.json"),
                }
            )
        )
        log = open(tmp_path / "editor.log", "w+")
        host = subprocess.Popen(
            [sys.executable, str(WORKER), str(job_file)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=str(tmp_path),
        )
        procs.append(host)

        def host_log():
            if not log.closed:
                log.flush()
            return (tmp_path / "editor.log").read_text()[-4000:]

        deadline = time.monotonic() + 45
        wids = []
        while not wids:
            if host.poll() is not None:
                pytest.fail(f"DawDreamer exited (rc {host.returncode}) before showing the editor:\n{host_log()}")
            if time.monotonic() > deadline:
                tree = _run(["xwininfo", "-root", "-tree"], env).stdout
                pytest.fail(f"no editor window within 45 s\n{host_log()}\nwindows:\n{tree[-3000:]}")
            time.sleep(0.25)
            wids = _windows_of(host.pid, env)
        time.sleep(SETTLE_S)
        if host.poll() is not None:
            pytest.fail(f"DawDreamer exited (rc {host.returncode}) while showing the editor:\n{host_log()}")
        wins = [_geometry(w, env) for w in _windows_of(host.pid, env)]
        assert wins, f"editor window disappeared\n{host_log()}"
        win = max(wins, key=lambda g: g["w"] * g["h"])

        ppm = tmp_path / "screen.ppm"
        r = _run([tools["import"], "-window", "root", "-depth", "8", str(ppm)], env, timeout=30)
        assert r.returncode == 0 and ppm.is_file(), f"import failed: {r.stderr}"
        alive = host.poll() is None
    finally:
        for p in reversed(procs):
            _stop(p)
        if "log" in locals():
            log.close()

    shot = _read_ppm(ppm)
    png = _screenshot_path(vst3_bundle, tmp_path)
    _write_png(png, shot)
    print(f"screenshot: {png}; editor window {win}")
    assert alive, f"DawDreamer died while the editor was open:\n{host_log()}"

    x0, y0 = max(win["x"], 0), max(win["y"], 0)
    x1, y1 = min(win["x"] + win["w"], shot.shape[1]), min(win["y"] + win["h"], shot.shape[0])
    assert x1 - x0 >= 200 and y1 - y0 >= 120, f"editor window too small or off screen: {win}"
    region = shot[y0:y1, x0:x1].reshape(-1, 3)
    colours, counts = np.unique(region, axis=0, return_counts=True)
    dominant = counts.max() / counts.sum()
    info = (
        f"window '{win['name']}' {win['w']}x{win['h']} at {win['x']},{win['y']}: {len(colours)} colours, "
        f"dominant colour {tuple(colours[counts.argmax()])} covers {dominant:.1%}; screenshot {png}"
    )
    print(info)
    assert len(colours) >= MIN_COLOURS, f"editor looks blank (too few colours): {info}"
    assert dominant <= MAX_DOMINANT, f"editor looks blank (nearly uniform): {info}"
