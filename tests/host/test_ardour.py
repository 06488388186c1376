"""Ardour 7 (headless, `ardour7-lua` on the dummy backend): insert each VST3 plugin on a stereo track, set a
parameter, roll the transport, save, then re-open the session in a fresh process and check that the plugin
and the parameter value survived. The Lua side is ardour/session_roundtrip.lua.
"""

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LUA = HERE / "ardour" / "session_roundtrip.lua"

# Latency (samples) Ardour must report for the plugin once the KNOWN setting is made (the De-Esser's default
# 1 ms lookahead, the clipper's default 4x linear phase, the Stem Compressor in Unmask at 2048).
LATENCY = {"Stem Bus Compressor": 0, "Stem De-Esser": 48, "Stem Transient Clipper": 107, "Stem Compressor": 2047}

# Plugin name -> (parameter label, plain value to set). Unknown plugins: their first input parameter at 25 %.
KNOWN = {
    "Stem Bus Compressor": ("Threshold", -30.0),
    "Stem De-Esser": ("Threshold", -30.0),
    "Stem Transient Clipper": ("Ceiling", -6.0),
    # Mode = Unmask (the enum's plain value 1): Ardour must then hold the plugin's 2047-sample latency.
    "Stem Compressor": ("Mode", 1.0),
}


def _ardour_lua():
    exe = shutil.which("ardour7-lua")
    if exe is None:
        pytest.fail("ardour7-lua not found: install Ardour 7 (`apt-get install ardour`, Debian bookworm has 7.3)")
    return exe


def _env(home):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    return env


def _scan(bundle_link, home):
    """Indexes the bundle with Ardour's own VST3 scanner. ardour7-lua only reads the scanner's cache
    ($XDG_CACHE_HOME/ardour7/vst/*.v3i); it never scans by itself, so without this it sees no VST3 at all."""
    scanners = sorted(glob.glob("/usr/lib/ardour7/ardour-vst3-scanner")) or sorted(
        glob.glob("/usr/lib/ardour*/ardour*-vst3-scanner")
    )
    if not scanners:
        pytest.fail("Ardour's ardour-vst3-scanner not found under /usr/lib/ardour7 (`apt-get install ardour`)")
    env = _env(home)
    libdir = os.path.dirname(scanners[0])
    env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    try:
        proc = subprocess.run(
            [scanners[0], "-v", str(bundle_link)], env=env, capture_output=True, text=True, timeout=60, cwd=str(home)
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"ardour-vst3-scanner hung for more than 60 s\n{e.stdout}\n{e.stderr}")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Found Plugin:" in out, f"Ardour's VST3 scanner rejected {bundle_link}:\n{out}"
    return out


def _run(exe, args, home, timeout):
    env = _env(home)
    # "--" stops option parsing, so negative values reach the script.
    cmd = [exe, "--", str(LUA)] + [str(a) for a in args]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(home))
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"ardour7-lua {args[0]} hung for more than {timeout} s\nstdout:\n{e.stdout}\nstderr:\n{e.stderr}")
    return proc


def test_session_roundtrip(vst3_bundle, tmp_path):
    exe = _ardour_lua()
    home = tmp_path / "home"
    (home / ".vst3").mkdir(parents=True)
    link = home / ".vst3" / vst3_bundle.name
    link.symlink_to(vst3_bundle)
    scan_log = _scan(link, home)
    plugin = vst3_bundle.stem
    label, value = KNOWN.get(plugin, ("", 0.25))
    sess_dir, sess_name = tmp_path / "session", "roundtrip"

    create = _run(exe, ["create", sess_dir, sess_name, plugin, label, value], home, timeout=120)
    log = f"--- scan\n{scan_log}\n--- create (rc {create.returncode})\n{create.stdout}\n{create.stderr}"
    assert create.returncode == 0 and "ROUNDTRIP create OK" in create.stdout, log

    m = re.search(r"^VALUE (\S+)$", create.stdout, re.M)
    assert m, log
    lat = re.search(r"^LATENCY (\d+)$", create.stdout, re.M)
    assert lat and int(lat.group(1)) == LATENCY.get(plugin, 0), f"Ardour's latency for {plugin}: {lat and lat.group(1)}\n{log}"
    state = (sess_dir / f"{sess_name}.ardour").read_text()
    assert re.search(r'<Processor [^>]*name="%s"[^>]*type="vst3"' % re.escape(plugin), state), (
        f"saved session has no VST3 processor named {plugin!r}\n{log}"
    )

    verify = _run(exe, ["verify", sess_dir, sess_name, plugin, label, m.group(1)], home, timeout=90)
    log += f"\n--- verify (rc {verify.returncode})\n{verify.stdout}\n{verify.stderr}"
    assert verify.returncode == 0 and "ROUNDTRIP verify OK" in verify.stdout, log
    print(log)
