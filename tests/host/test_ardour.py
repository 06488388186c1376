"""Ardour 7 (headless, `ardour7-lua` on the dummy backend): insert each VST3 plugin on a stereo track, set a
parameter, roll the transport, save, then re-open the session in a fresh process and check that the plugin
and the parameter value survived. The Lua side is ardour/session_roundtrip.lua.
"""

import re
import subprocess
from pathlib import Path

import pytest

from hostlib import ardour_env, ardour_lua, ardour_scan

HERE = Path(__file__).resolve().parent
LUA = HERE / "ardour" / "session_roundtrip.lua"

# Latency (samples) Ardour must report for the plugin once the KNOWN setting is made (the De-Esser's default
# 1 ms lookahead, the clipper's default 4x linear phase, the Stem Compressor in Unmask at 2048).
LATENCY = {"Stem Bus Compressor": 0, "Stem De-Esser": 48, "Stem Transient Clipper": 107, "Stem Compressor": 2047,
           "Stem Null Check": 0}

# Plugin name -> (parameter label, plain value to set). Unknown plugins: their first input parameter at 25 %.
KNOWN = {
    "Stem Bus Compressor": ("Threshold", -30.0),
    "Stem De-Esser": ("Threshold", -30.0),
    "Stem Transient Clipper": ("Ceiling", -6.0),
    # Mode = Unmask (the enum's plain value 1): Ardour must then hold the plugin's 2047-sample latency.
    "Stem Compressor": ("Mode", 1.0),
    # Output = Difference (plain value 2). Its first parameter is this 3-step enum, so the default "25 % of the
    # range" (0.5) is no value it can take: Ardour reads back 0.
    "Stem Null Check": ("Output", 2.0),
}


def _run(exe, args, home, timeout):
    env = ardour_env(home)
    # "--" stops option parsing, so negative values reach the script.
    cmd = [exe, "--", str(LUA)] + [str(a) for a in args]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(home))
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"ardour7-lua {args[0]} hung for more than {timeout} s\nstdout:\n{e.stdout}\nstderr:\n{e.stderr}")
    return proc


def test_session_roundtrip(vst3_bundle, tmp_path):
    exe = ardour_lua()
    home = tmp_path / "home"
    (home / ".vst3").mkdir(parents=True)
    link = home / ".vst3" / vst3_bundle.name
    link.symlink_to(vst3_bundle)
    scan_log = ardour_scan(link, home)
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
