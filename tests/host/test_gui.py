"""GUI smoke test: each VST3 editor opens in DawDreamer under Xvfb + openbox and draws something.

A virtual X server (Xvfb, 1280x800x24) with openbox as window manager (without one, JUCE hits BadAtom) and
Mesa's software OpenGL. DawDreamer's `open_editor()` blocks, so it runs in a child process; once its window is
mapped and has had a few seconds to draw, the screen is grabbed with ImageMagick's `import -window root`, and
the child is killed. The test fails if the editor window is blank: too few distinct colours, or one colour
covering nearly all of it. The screenshot is written as PNG to $GUI_SCREENSHOT_OUT if set (a file path, or
a directory), else into the test's temp dir. The pointer is moved to the screen corner first, so no hover
readout shows.

The Transient Clipper is also shown with live audio: a child DawDreamer process renders the drum stem, over
and over, through the plugin on a thread while `open_editor()` blocks its main thread. DawDreamer renders far
faster than real time and resets the plugin at every render() call, so each call renders the whole stem (the
reset falls where the loop jumps anyway), and a Faust "pacer" before the plugin (a chain of sin() whose result
is multiplied by a zero slider: the audio passes bit-exactly) is sized, and re-sized after every loop, to make
it run at about real time; the scope, meters and history then see a stream as in a DAW. That screenshot,
cropped to the editor window, is written like the others with the suffix "-live" (docs/transient_clipper.png
is one), and the test fails unless the scope shows the part of the driven input beyond the ceiling and the
output. The pacer keeps one core busy for the ~20 s of that test.

The Stem Compressor is shown the same way in Unmask, with the keys stem on the main input and the vocal stem
played in step on the sidechain (a second playback processor feeding the plugin's aux bus, as in worker.py);
docs/stem_compressor.png is that screenshot. Its band view must show the stem's and the key's band levels and
the reduction bars; with silence playing instead it must show none of them.

The Stem Null Check is shown with the stem bus (the four stems summed) 128 samples late on the main input and
mix.wav on the sidechain, Output Difference; docs/stem_null_check.png is that screenshot. Its verdict ("Stems
late by 128 samples") is drawn in the REDUCTION colour; with the stems in time it reads "Nulls completely" in the
SIGNAL colour, and the editor then shows no REDUCTION-coloured text at all.
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

from hostlib import WORKER, delayed, stem_bus

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


def _screenshot_path(bundle, tmp_path, kind="editor"):
    raw = os.environ.get("GUI_SCREENSHOT_OUT")
    name = re.sub(r"[^A-Za-z0-9]+", "-", bundle.stem).strip("-").lower() + f"-{kind}.png"
    if not raw:
        return tmp_path / name
    out = Path(raw)
    if out.is_dir() or raw.endswith(os.sep):
        out.mkdir(parents=True, exist_ok=True)
        return out / name
    out.parent.mkdir(parents=True, exist_ok=True)
    # Several bundles, one file name: keep the name for the Bus Compressor, suffix the others.
    if kind != "editor" or (bundle.stem != "Stem Bus Compressor" and len(list(bundle.parent.glob("*.vst3"))) > 1):
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


def _show_editor(bundle, tmp_path, job, script, settle_s, grabs=1, score=None):
    """Starts Xvfb + openbox, runs `script job.json` (a child that opens the editor and blocks), waits for its
    window and `settle_s` more seconds, moves the pointer out of the way and grabs the screen `grabs` times,
    0.25 s apart, keeping the grab for which `score(screen, window)` is largest (the last one without `score`).

    Returns (screen as an (h, w, 3) uint8 array, the editor window's geometry, whether the child was still
    alive, the child's log)."""
    tools = _tools()
    procs = []
    log = None
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

        job = dict(job, bundle=str(bundle), result=str(tmp_path / "editor.result.json"))
        job_file = tmp_path / "editor.job.json"
        job_file.write_text(json.dumps(job))
        log = open(tmp_path / "editor.log", "w+")
        host = subprocess.Popen(
            [sys.executable, str(script), str(job_file)],
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
        # The pointer starts at the screen centre, over the editor: park it in the corner (no hover readouts).
        _run(["xdotool", "mousemove", "0", "0"], env)
        time.sleep(settle_s)
        if host.poll() is not None:
            pytest.fail(f"DawDreamer exited (rc {host.returncode}) while showing the editor:\n{host_log()}")
        wins = [_geometry(w, env) for w in _windows_of(host.pid, env)]
        assert wins, f"editor window disappeared\n{host_log()}"
        win = max(wins, key=lambda g: g["w"] * g["h"])

        best, best_score = None, None
        for k in range(grabs):
            if k:
                time.sleep(0.25)
            ppm = tmp_path / f"screen-{k}.ppm"
            r = _run([tools["import"], "-window", "root", "-depth", "8", str(ppm)], env, timeout=30)
            assert r.returncode == 0 and ppm.is_file(), f"import failed: {r.stderr}"
            shot = _read_ppm(ppm)
            value = score(shot, win) if score else k
            if best_score is None or value > best_score:
                best, best_score = shot, value
        alive = host.poll() is None
    finally:
        for p in reversed(procs):
            _stop(p)
        if log is not None:
            log.close()
    return best, win, alive, (tmp_path / "editor.log").read_text()[-4000:]


def _editor_region(shot, win):
    """The editor window's pixels, (h, w, 3); fails if the window is too small or off screen."""
    x0, y0 = max(win["x"], 0), max(win["y"], 0)
    x1, y1 = min(win["x"] + win["w"], shot.shape[1]), min(win["y"] + win["h"], shot.shape[0])
    assert x1 - x0 >= 200 and y1 - y0 >= 120, f"editor window too small or off screen: {win}"
    return shot[y0:y1, x0:x1]


def _assert_not_blank(region, win, png):
    colours, counts = np.unique(region.reshape(-1, 3), axis=0, return_counts=True)
    dominant = counts.max() / counts.sum()
    info = (
        f"window '{win['name']}' {win['w']}x{win['h']} at {win['x']},{win['y']}: {len(colours)} colours, "
        f"dominant colour {tuple(int(c) for c in colours[counts.argmax()])} covers {dominant:.1%}; screenshot {png}"
    )
    print(info)
    assert len(colours) >= MIN_COLOURS, f"editor looks blank (too few colours): {info}"
    assert dominant <= MAX_DOMINANT, f"editor looks blank (nearly uniform): {info}"


def test_editor_renders(vst3_bundle, tmp_path):
    job = {"host": "dawdreamer", "op": "editor", "sr": 48000, "block": 512}
    shot, win, alive, log = _show_editor(vst3_bundle, tmp_path, job, WORKER, SETTLE_S)
    png = _screenshot_path(vst3_bundle, tmp_path)
    _write_png(png, shot)
    print(f"screenshot: {png}; editor window {win}")
    assert alive, f"DawDreamer died while the editor was open:\n{log}"
    _assert_not_blank(_editor_region(shot, win), win, png)


# ------------------------------------------------------------------------------------------ live audio

# The child for the live-audio screenshot (written next to the job file and run with this Python). It sets the
# parameters as worker.py does, renders the looped stem on a thread (paced, see the module docstring) and opens
# the editor on the main thread.
LIVE_EDITOR = r'''
import json, sys, threading, time
import numpy as np
sys.path.insert(0, HOST_DIR)
from worker import _dd_param_index, _dd_set, _write
import dawdreamer as daw

PACER = """import("stdfaust.lib");
k = hslider("k", 0, 0, 1, 0.001);
burn = os.lf_sawpos(3) : seq(i, {n}, sin);
process = _, _ : (_ + k * burn), (_ + k * burn);"""

job = json.load(open(sys.argv[1]))
sr, block = int(job["sr"]), int(job["block"])


def looped(path):
    return np.ascontiguousarray(np.tile(np.load(path).astype(np.float32), (1, int(job["loops"]))))


loop = looped(job["main"])
loop_s = loop.shape[1] / sr

engine = daw.RenderEngine(sr, block)
plugin = engine.make_plugin_processor("plugin", job["bundle"])
descs = plugin.get_parameters_description()
texts = {name: _dd_set(plugin, _dd_param_index(plugin, descs, name), v) for name, v in job["params"].items()}
playback = engine.make_playback_processor("main", loop)
# An optional key ("key": a .npy as long as the main one) plays in step on the plugin's sidechain (aux) bus.
key_playback = engine.make_playback_processor("key", looped(job["key"])) if job.get("key") else None
pacer = engine.make_faust_processor("pacer")
result = {"ok": True, "set_params": texts, "latency": int(plugin.get_latency_samples())}


def use_pacer(n):
    """Makes the pacer n sin() per sample (n == 0: a plain wire). The graph is loaded once, before the
    editor opens: load_graph() from this thread while open_editor() runs sometimes never returned."""
    pacer.set_dsp_string(PACER.format(n=n) if n > 0 else "process = _, _;")
    if not pacer.compile():
        raise RuntimeError("the Faust pacer did not compile")


use_pacer(0)
graph = [(playback, []), (pacer, ["main"]), (plugin, ["pacer"])]
if key_playback is not None:
    graph[1:] = [(key_playback, []), (pacer, ["main"]), (plugin, ["pacer", "key"])]
if not engine.load_graph(graph):
    raise RuntimeError("load_graph returned False")


def seconds_per_second(n, probe_s=1.0):
    use_pacer(n)
    t0 = time.monotonic()
    engine.render(probe_s)
    return (time.monotonic() - t0) / probe_s


def sins_for_real_time(base, s_per_s, n):
    """The pacer length that makes one audio second take one wall second, from a render that took
    s_per_s with n sin() per sample and base without."""
    per_sin = max((s_per_s - base) / n, 1e-9)
    return int(min(max((1.0 - base) / per_sin, 0), 20000))


def play():
    n, base = 0, 0.0
    if job.get("pace"):
        # Measured with the editor up (it shares the CPU; give it 2 s to open): wall seconds per audio
        # second without and with 1000 sin() per sample.
        time.sleep(2.0)
        base = seconds_per_second(0)
        n = sins_for_real_time(base, seconds_per_second(1000), 1000)
    use_pacer(n)
    while True:
        t0 = time.monotonic()
        engine.render(loop_s)
        s_per_s = (time.monotonic() - t0) / loop_s
        result["pacer"] = {"base_s_per_s": base, "sin_per_sample": n, "last_s_per_s": s_per_s}
        _write(job, result)
        print(f"WORKER: rendered {loop_s:.1f} s at {s_per_s:.2f} s per s, pacer {n} sin()", flush=True)
        # Every render call restarts the plugin (DawDreamer resets the graph), so render whole loops of
        # the stem, where the audio jumps anyway, and correct the pacer between them.
        if n > 0 and abs(s_per_s - 1.0) > 0.05:
            n = sins_for_real_time(base, s_per_s, n)
            use_pacer(n)


_write(job, result)
threading.Thread(target=play, daemon=True).start()
print("WORKER: opening editor", flush=True)
plugin.open_editor()  # blocks until the window is closed (the test kills us instead)
'''

# Drum stem driven into the ceiling: Drive 12 dB, Ceiling -9 dBFS, Transient Only 50 %.
LIVE_PARAMS = {"Drive": 12.0, "Ceiling": -9.0, "Transient Only": 50.0}
# Long enough for the pacer to settle and the clip history (12 s) to fill most of its plot.
LIVE_SETTLE_S = 14.0
# Scope colours (editor-widgets theme.rs, clip_scope.rs): input x drive, clipped off, output; and the colour of
# the clip meter, the operating point's reduction and the history.
INPUT_RGB, WARNING_RGB, SIGNAL_RGB = (0x4A, 0x50, 0x5A), (0xE5, 0x48, 0x4D), (0x4F, 0xC3, 0xA1)
REDUCTION_RGB = (0xF0, 0x9A, 0x3E)
# Grabs of the live editor, 0.25 s apart; the one with the clip meter most lit is kept (not one between hits).
LIVE_GRABS = 6
# Pixels of the clipped-off and the output colour the editor must show with the drums playing (the editor at
# rest shows about 120 and 340: legend swatches, labels, the transfer curve). The input x drive envelope is
# drawn under the output and only shows where the output is below it under the ceiling, so it is not counted.
MIN_LIVE_PIXELS = 1500


def _colour_mask(region, rgb, tol=3):
    return np.all(np.abs(region.astype(np.int16) - np.array(rgb, dtype=np.int16)) <= tol, axis=-1)


def _pixels_of(region, rgb, tol=3):
    return int(_colour_mask(region, rgb, tol).sum())


def _live_editor(bundle, tmp_path, params, main, key=None, score_rgb=REDUCTION_RGB, kind="live", require_loop=True):
    """Shows `bundle`'s editor while `main` (and `key` on the sidechain) plays through it with `params`
    (LIVE_EDITOR, paced); keeps the grab with the most pixels of `score_rgb` and saves the editor window as
    "<bundle>-<kind>.png". Fails unless the host stayed alive, the render thread finished a loop (unless not
    `require_loop`: audio longer than the test, whose caller checks what the audio drew instead) and the
    window is not blank. Returns (editor pixels, PNG path, the child's result)."""
    script = tmp_path / "live_editor.py"
    script.write_text(f"HOST_DIR = {str(WORKER.parent)!r}\n" + LIVE_EDITOR)
    job = {"sr": 48000, "block": 256, "loops": 1, "params": params, "pace": True}
    for name, audio in (("main", main), ("key", key)):
        if audio is not None:
            job[name] = str(tmp_path / f"{name}.npy")
            np.save(job[name], audio)
    shot, win, alive, log = _show_editor(bundle, tmp_path, job, script, LIVE_SETTLE_S, grabs=LIVE_GRABS,
                                         score=lambda s, w: _pixels_of(_editor_region(s, w), score_rgb))
    region = _editor_region(shot, win)
    png = _screenshot_path(bundle, tmp_path, kind=kind)
    _write_png(png, np.ascontiguousarray(region))
    result_file = tmp_path / "editor.result.json"
    result = json.loads(result_file.read_text()) if result_file.exists() else {}
    print(f"screenshot: {png}; editor window {win}; {result}\n{log}")
    assert alive, f"DawDreamer died while the editor was open:\n{log}"
    if require_loop:
        assert "WORKER: rendered" in log, f"the render thread never finished a loop of the stem:\n{log}"
    _assert_not_blank(region, win, png)
    return region, png, result


def test_clipper_editor_with_live_audio(transient_clipper_vst3, stems, tmp_path):
    """The Transient Clipper editor while the drum stem plays through it (Drive 12 dB into a -9 dBFS ceiling,
    Transient Only 50 %): not blank, and the scope draws the part of the driven input beyond the ceiling
    (clipped off) and the output, in their colours. Saves the editor window as "<bundle>-live.png"."""
    region, png, result = _live_editor(transient_clipper_vst3, tmp_path, LIVE_PARAMS, stems["drums"])
    assert result.get("set_params") == {"Drive": "12.0", "Ceiling": "-9.0", "Transient Only": "50"}, result
    counts = {name: _pixels_of(region, rgb) for name, rgb in
              (("input x drive", INPUT_RGB), ("clipped off", WARNING_RGB), ("output", SIGNAL_RGB))}
    print(f"scope colours (pixels): {counts}")
    thin = {name: c for name, c in counts.items() if c < MIN_LIVE_PIXELS and name != "input x drive"}
    assert not thin, f"the scope shows too little of {thin} (need {MIN_LIVE_PIXELS} px each): no live audio? {png}"


# The Stem Compressor's Unmask view (editor-widgets band_view.rs), the upper plot of the editor's plot column, draws
# the stem's band levels as a SIGNAL line, the key's as an ACCENT line and the reduction per band as bars hanging
# from the top: REDUCTION at 80 % (gamma_multiply(0.8), premultiplied alpha) over the plot's PANEL background,
# about (196, 127, 55). Levels at or below the axis floor (-96 dBFS: silence) lie on the view's bottom edge, so
# the line pixels are counted above its lowest FLOOR_ROWS rows. The meter column also draws in SIGNAL and
# REDUCTION, so the counts are taken in the band view only.
ACCENT_RGB, PANEL_RGB, BACKGROUND_RGB = (0x6C, 0xA8, 0xFF), (0x12, 0x14, 0x18), (0x1B, 0x1E, 0x24)
REDUCTION_BAR_RGB = tuple(round(0.8 * r + 0.2 * p) for r, p in zip(REDUCTION_RGB, PANEL_RGB))
FLOOR_ROWS = 8
# Unmask on the keys stem keyed by the vocal stem on the sidechain.
STEM_LIVE_PARAMS = {"Stem": "Keys", "Mode": "Unmask", "Key": "External", "Threshold": -50.0, "Ratio": 4.0,
                    "Range": 12.0}
# Pixels the live Unmask view must show: of each band-level line (above the floor) and of the reduction bars.
# Measured with the song playing: about 700-900 of each line and 12000-14000 of bars; with silence playing: none.
MIN_BAND_LINE_PIXELS, MIN_REDUCTION_BAR_PIXELS = 300, 3000


def _runs(indices, max_gap=1):
    """Splits sorted indices into runs of neighbours at most `max_gap` apart."""
    return np.split(indices, np.flatnonzero(np.diff(indices) > max_gap) + 1) if indices.size else []


def _band_view(region):
    """The band view of a Stem Compressor screenshot in Unmask. The plot column is the widest run of columns
    (1-pixel grid lines bridged) where the plots' PANEL background covers at least 40 % of the height; in it,
    the band view is the first run of at least 100 rows that are not mostly window BACKGROUND (the gap between
    the band view and the history below it is; the stem buttons above are shorter)."""
    panel = _colour_mask(region, PANEL_RGB, 1)
    columns = max(_runs(np.flatnonzero(panel.sum(axis=0) >= 0.4 * region.shape[0]), max_gap=3), key=len, default=[])
    assert len(columns) >= 200, f"no plot column found (widest run of mostly-panel columns: {len(columns)})"
    plots = region[:, columns[0] : columns[-1] + 1]
    rows = [r for r in _runs(np.flatnonzero(_colour_mask(plots, BACKGROUND_RGB, 1).mean(axis=1) < 0.5))
            if r.size >= 100]
    assert rows, "no band view found in the plot column"
    return plots[rows[0][0] : rows[0][-1] + 1]


def _unmask_colours(region):
    """Pixels of the band view's colours: the two lines above the floor, and the reduction bars."""
    view = _band_view(region)
    above_floor = view[:-FLOOR_ROWS]
    return {"stem": _pixels_of(above_floor, SIGNAL_RGB), "key": _pixels_of(above_floor, ACCENT_RGB),
            "reduction bars": _pixels_of(view, REDUCTION_BAR_RGB), "band view": f"{view.shape[1]}x{view.shape[0]}"}


def _unmask_live(bundle, tmp_path, main, key, kind):
    """The Stem Compressor editor with STEM_LIVE_PARAMS while `main` plays with `key` on the sidechain:
    (band view colour counts, PNG path)."""
    region, png, result = _live_editor(bundle, tmp_path, STEM_LIVE_PARAMS, main, key=key,
                                       score_rgb=REDUCTION_BAR_RGB, kind=kind)
    assert result.get("set_params") == {"Stem": "Keys", "Mode": "Unmask", "Key": "External", "Threshold": "-50.0",
                                        "Ratio": "4.0", "Range": "12.0"}, result
    counts = _unmask_colours(region)
    print(f"{kind}: Unmask band view colours (pixels): {counts}")
    return counts, png


def test_stem_compressor_editor_with_live_audio(stem_compressor_vst3, stems, tmp_path):
    """The Stem Compressor editor in Unmask while the keys stem plays through it with the vocal stem on the
    sidechain (Stem Keys, Key External, Threshold -50 dB, Ratio 4, Range 12 dB): the band view draws the stem's
    and the key's band levels and the reduction bars. Saves the editor window as "<bundle>-live.png"
    (docs/stem_compressor.png is one)."""
    counts, png = _unmask_live(stem_compressor_vst3, tmp_path, stems["keys"], stems["vocals"], "live")
    thin = {name: counts[name] for name in ("stem", "key") if counts[name] < MIN_BAND_LINE_PIXELS}
    if counts["reduction bars"] < MIN_REDUCTION_BAR_PIXELS:
        thin["reduction bars"] = counts["reduction bars"]
    assert not thin, f"the Unmask view shows too little of {thin}: no live audio or no sidechain? {png}"


def test_stem_compressor_editor_with_silence(stem_compressor_vst3, stems, tmp_path):
    """The same editor and settings with silence playing on the main input and the sidechain: the band view
    shows no line above its floor and no reduction bar, so the live test's thresholds fail without audio.
    (Silence is played rather than nothing: the plugin only takes the settings up once the host processes.)"""
    silence = np.zeros_like(stems["keys"])
    counts, png = _unmask_live(stem_compressor_vst3, tmp_path, silence, silence, "silence")
    assert counts["reduction bars"] <= 20, f"reduction bars with silence playing: {counts} {png}"
    assert max(counts["stem"], counts["key"]) <= MIN_BAND_LINE_PIXELS / 3, f"band lines with silence: {counts} {png}"


# The Stem Null Check (plugins/stem_null/src/editor.rs): the verdict line is drawn in REDUCTION when the stems do
# not null (SIGNAL when they do), and nothing else in the editor uses REDUCTION (its meter column has no GR bar).
# The song is played NULL_LOOPS times in one render (30 s, longer than the test): DawDreamer resets the plugin at
# every render() call, which restarts the since-reset measurement the verdict reads ("Measuring" until the
# alignment is found, about 1 s of audio), so the grabs (LIVE_SETTLE_S after the window appears) must not fall
# near a render's start. No loop finishes before the grabs, so the render thread's "rendered" line is not
# required: the verdict's colour is the evidence of audio (without any, it reads "No signal", in REDUCTION).
NULL_LOOPS = 10
NULL_LIVE_PARAMS = {"Output": "Difference"}
# The verdict text in REDUCTION. Measured: "Stems late by 128 samples" (22 px, strong) is 406 pixels in a box 254
# px wide and 21 high; with the stems in time there are none. The width tells it from the other verdicts the
# editor could show here: "No signal" or "Measuring" (no audio, or a grab just after a render started) are about
# 100 px wide, "Polarity inverted" about 170, and a second finding ("...; Reference 0.1 dB louder") would
# double it.
MIN_VERDICT_PIXELS, VERDICT_WIDTH_PX, VERDICT_MAX_HEIGHT_PX = 300, (220, 290), 30


def _null_live(bundle, stems, tmp_path, late, kind):
    """The Stem Null Check editor while the stem bus, `late` samples late, plays against mix.wav on the sidechain
    (NULL_LOOPS loops, Output Difference): (REDUCTION pixels, PNG path)."""
    mix = np.ascontiguousarray(np.tile(stems["mix"], (1, NULL_LOOPS)))
    bus = delayed(np.ascontiguousarray(np.tile(stem_bus(stems), (1, NULL_LOOPS))), late)
    region, png, result = _live_editor(bundle, tmp_path, NULL_LIVE_PARAMS, bus, key=mix, kind=kind,
                                       require_loop=False)
    assert result.get("set_params") == {"Output": "Difference"}, result
    mask = _colour_mask(region, REDUCTION_RGB)
    ys, xs = np.nonzero(mask)
    verdict = {"pixels": int(mask.sum()), "width": int(np.ptp(xs)) + 1 if xs.size else 0,
               "height": int(np.ptp(ys)) + 1 if ys.size else 0}
    print(f"{kind}: REDUCTION (verdict) text {verdict}")
    return verdict, png


def test_stem_null_editor_with_live_audio(stem_null_vst3, stems, tmp_path):
    """The Stem Null Check editor while the stem bus plays 128 samples late against the mix on the sidechain
    (Output Difference): not blank, and one line of verdict is drawn in the "does not null" colour (REDUCTION), as
    wide as "Stems late by 128 samples" (see VERDICT_WIDTH_PX). Saves the editor window as "<bundle>-live.png"
    (docs/stem_null_check.png is one)."""
    verdict, png = _null_live(stem_null_vst3, stems, tmp_path, 128, "live")
    assert verdict["pixels"] >= MIN_VERDICT_PIXELS, f"no 'does not null' verdict drawn {verdict}: no audio? {png}"
    lo, hi = VERDICT_WIDTH_PX
    assert lo <= verdict["width"] <= hi and verdict["height"] <= VERDICT_MAX_HEIGHT_PX, (
        f"the verdict is not one line as wide as 'Stems late by 128 samples' ({lo}-{hi} px): {verdict}; {png}")


def test_stem_null_editor_when_the_stems_null(stem_null_vst3, stems, tmp_path):
    """The same with the stem bus in time: the stems null, the verdict ("Nulls completely") is drawn in SIGNAL, so
    the editor shows (almost) no REDUCTION pixel; the live test's threshold therefore fails on a null."""
    verdict, png = _null_live(stem_null_vst3, stems, tmp_path, 0, "nulls")
    assert verdict["pixels"] <= 20, f"REDUCTION pixels although the stems null: {verdict}; {png}"
