"""Every declared VST3 port layout, with the sidechain connected and unconnected, in DawDreamer, pedalboard and
Ardour; undeclared layouts are refused cleanly wherever a host lets us ask for one (issue 7, "hardening").

Declared VST3 layouts (AUDIO_IO_LAYOUTS in plugins/*/src/lib.rs, constants in editor-widgets/src/io_layouts.rs;
`test_declared_layouts_match_the_sources` keeps DECLARED below in step with them):

  Stem Bus Compressor     stereo main in/out + stereo aux input "Sidechain"   (STEREO_SIDECHAIN)
  Stem Compressor         stereo main in/out + stereo aux input "Sidechain"   (STEREO_SIDECHAIN; the 5.1 variant
                          is CLAP-only, it is not in the VST3 bundle)
  Stem De-Esser           stereo, then mono main in/out, no aux port          (STEREO_OR_MONO)
  Stem Transient Clipper  stereo, then mono main in/out, no aux port          (STEREO_OR_MONO)
  Stem Null Check         stereo main in/out + stereo aux input "Sidechain"   (STEREO_SIDECHAIN: the main input
                          is the stem bus, the sidechain the reference mix)

The sidechain always has the main port's channel count: nice-plug 0.4.2 matches aux port i against the host's
bus i instead of i + 1 (defect 1), so nothing else is declared.

What each host can do (found with the probes these tests are made of):

* pedalboard 0.9.26 sets the main bus to the buffer's channel count and nothing else. It cannot route a key: the
  aux bus stays enabled, at the plugin's default stereo, and is fed silence. A channel count the plugin does
  not declare is refused with a ValueError ("does not support N-channel output"); the same instance then
  still processes stereo.
* DawDreamer 0.9.0 routes a real key through its graph (connected), or leaves the aux bus out of the graph
  (unconnected: silent buffers). `set_bus(inputs, outputs)` builds ONE input bus: for the plugins with a
  sidechain (the compressors and the Null Check) JUCE rejects any request (two input buses declared) with a
  ValueError before the plugin sees it, so mono main + mono sidechain cannot even be asked for. For the De-Esser and the Clipper, set_bus(1, 1) selects the mono
  layout; any other count is refused by the plugin (set_bus returns False), the plugin keeps stereo and
  DawDreamer renders its own channel count around it (extra outputs silent). The host-disabled aux bus
  (`disable_nonmain_buses`) is nice-plug defect 2, a known crash, kept as a strict xfail in test_dawdreamer.py,
  test_stem_compressor.py and test_stem_null.py; it is not repeated here.
* Ardour 7.3 (`ardour7-lua`, dummy backend) never asks a VST3 for a layout other than its default: it sizes each
  bus from the plugin's default bus info (stereo for all five) and adapts a track to it with its own pin
  mapping (strict I/O: a mono track feeds the plugin's left input only and keeps the left output; a 5.1
  track gets three replicated stereo instances). So the De-Esser's and Clipper's declared mono layout cannot
  be selected in Ardour, and undeclared layouts cannot be requested either: the 1- and 6-channel tracks here
  check that Ardour keeps the plugin stereo and that nothing crashes. The sidechain CAN be driven headlessly:
  `Route:add_sidechain(insert)` gives the insert a sidechain input (one port per aux pin, mapped to the aux
  pins), and a key track's output ports connect to it (`Port:connect`). Three states per track:
  "none" (Ardour's default: aux pins unmapped, the aux bus deactivated with silent buffers), "open" (sidechain
  input added, nothing connected), "key" (a stereo key track connected).

Per cell: the host loads the plugin in that layout and processes a few seconds (the 3 s stems; Ardour rolls
2 s), nothing crashes, the output is finite and not silent; with a connected key the compressors (Key
External) turn a quiet main down, and with an unconnected one they leave it at unity. The Null Check runs with
Output Difference: a connected key (its reference) comes out subtracted from the main, an unconnected one
leaves the main unchanged. Cells the older test
files already cover are listed in README.md and not repeated. Every host call runs in a child process: the
worker.py jobs one per cell; Ardour one `ardour7-lua` for all its cells, each a track of one session (Ardour's
start-up is most of its cost). If that process dies, each plugin's cells get a session of their own, and a
failing one's cells one each, so a crash is pinned on its cell and fails that test only. The jobs of the
selected cells start together, on LAYOUT_JOBS threads (default 3), the first time a test needs one.
"""

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from hostlib import SR, ardour_env, ardour_lua, ardour_scan, db, gain_db, max_abs_diff, rms, run_job, save_audio, signal_name

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
BUNDLE_DIR = REPO_ROOT / "target" / "bundled"
LAYOUTS_LUA = HERE / "ardour" / "layouts.lua"
ARDOUR_SCRIPTS = HERE / "ardour" / "scripts"

BUS_COMPRESSOR, STEM_COMPRESSOR = "Stem Bus Compressor", "Stem Compressor"
DE_ESSER, TRANSIENT_CLIPPER = "Stem De-Esser", "Stem Transient Clipper"
STEM_NULL = "Stem Null Check"
COMPRESSORS = (BUS_COMPRESSOR, STEM_COMPRESSOR)
# The plugins with a stereo aux input "Sidechain".
SIDECHAINED = COMPRESSORS + (STEM_NULL,)
PLUGINS = (BUS_COMPRESSOR, STEM_COMPRESSOR, DE_ESSER, TRANSIENT_CLIPPER, STEM_NULL)

# Plugin -> its declared VST3 layouts: (name, main channels in = out, aux input channels).
DECLARED = {
    BUS_COMPRESSOR: [("stereo", 2, 2)],
    STEM_COMPRESSOR: [("stereo", 2, 2)],
    DE_ESSER: [("stereo", 2, 0), ("mono", 1, 0)],
    TRANSIENT_CLIPPER: [("stereo", 2, 0), ("mono", 1, 0)],
    STEM_NULL: [("stereo", 2, 2)],
}
# What each lib.rs names as AUDIO_IO_LAYOUTS (for the Stem Compressor: the VST3-exported variant's LAYOUTS).
LAYOUT_CONSTANTS = {"STEREO_SIDECHAIN": [("stereo", 2, 2)], "STEREO_OR_MONO": [("stereo", 2, 0), ("mono", 1, 0)]}
SOURCES = {
    BUS_COMPRESSOR: "plugins/bus_compressor/src/lib.rs",
    STEM_COMPRESSOR: "plugins/stem_compressor/src/lib.rs",
    DE_ESSER: "plugins/de_esser/src/lib.rs",
    TRANSIENT_CLIPPER: "plugins/transient_clipper/src/lib.rs",
    STEM_NULL: "plugins/stem_null/src/lib.rs",
}

# The compressors' key test: a quiet 1 kHz main (-40 dBFS, under the threshold) and a loud key (-6 dBFS,
# 24 dB over it, ratio 8) in Key External. DawDreamer takes display names, Ardour plain values (Key 1 =
# External). A connected key must take the main down by more than KEYED_DB; a silent or unconnected one must
# leave it within UNITY_DB.
MAIN_DB, KEY_DB = -40.0, -6.0
DD_KEYED = {"Key": "External", "Threshold": -30.0, "Ratio": 8.0, "Attack": 1.0, "Release": 50.0, "Knee": 0.0,
            "Lookahead": 0.0}
ARDOUR_KEYED = {"Key": 1, "Threshold": -30, "Ratio": 8, "Attack": 1, "Release": 50, "Knee": 0}
KEYED_DB, UNITY_DB = -10.0, 1.0
# The Null Check with Output Difference (Ardour: the enum's plain value 2): main - key. A connected key (the
# -6 dBFS 300 Hz sine) comes out subtracted from the -40 dBFS 1 kHz main, 34.0 dB over the main (the two sines'
# powers add); with no key the main passes unchanged (DawDreamer: bit for bit).
DD_NULL, ARDOUR_NULL = {"Output": "Difference"}, {"Output": 2}
NULL_KEYED_DB, NULL_TOL_DB = 10 * np.log10(1 + 10 ** ((KEY_DB - MAIN_DB) / 10)), 0.1
# What each plugin with a sidechain is set to: DawDreamer display values, Ardour plain values.
DD_SIDECHAIN_PARAMS = {BUS_COMPRESSOR: DD_KEYED, STEM_COMPRESSOR: DD_KEYED, STEM_NULL: DD_NULL}
ARDOUR_PARAMS = {BUS_COMPRESSOR: ARDOUR_KEYED, STEM_COMPRESSOR: ARDOUR_KEYED, STEM_NULL: ARDOUR_NULL}
SKIP_S = 0.1  # the attack settling, left out of the DawDreamer gain
ARDOUR_SECONDS = 2.0

# Which stem each plugin processes in pedalboard and DawDreamer (3 s of testdata/stems-a).
STEM_FOR = {BUS_COMPRESSOR: "mix", STEM_COMPRESSOR: "mix", DE_ESSER: "vocals", TRANSIENT_CLIPPER: "drums",
            STEM_NULL: "mix"}


def _sine(hz, level_db, channels, n=3 * SR):
    t = np.arange(n) / SR
    x = (10 ** (level_db / 20)) * np.sin(2 * np.pi * hz * t)
    return np.ascontiguousarray(np.tile(x, (channels, 1)), dtype=np.float32)


def _multichannel(stems, name, channels):
    """`channels` channels of audio: the stem `name` first, then the other stems' channels."""
    chans = [c for s in (name, "drums", "bass", "keys", "vocals") for c in stems[s]]
    return np.ascontiguousarray(np.vstack(chans[:channels]), dtype=np.float32)


def _dual_mono(x):
    return np.ascontiguousarray(np.vstack([x[0], x[0]]), dtype=np.float32)


def _first_two(x):
    """x's first two channels (a mono x gets a silent second channel): what a plugin that stayed stereo sees."""
    return np.ascontiguousarray(np.vstack([x[:2], np.zeros((max(0, 2 - x.shape[0]), x.shape[1]))]), dtype=np.float32)


# ---------------------------------------------------------------------------------------------- the cells


@dataclass
class Cell:
    """One cell of the matrix: `run(tmp_path)` does the host work (in child processes) and returns data for
    the test; `group` names cells that share one child process (Ardour: one session per plugin)."""

    id: str
    host: str
    plugin: str
    layout: str
    sidechain: str
    kind: str  # "declared" | "undeclared"
    spec: dict = field(default_factory=dict)
    group: str = None

    def __str__(self):
        return self.id


def _pb_cells():
    cells = []
    # Declared, not yet covered: the De-Esser's mono layout (stereo: test_pedalboard_deesser.py; the Clipper's
    # mono: test_pedalboard_clipper.py::test_clipper_mono_file; the compressors' stereo: test_pedalboard.py,
    # test_stem_compressor.py; the Null Check's stereo: test_stem_null.py).
    cells.append(Cell(f"pedalboard-{DE_ESSER}-mono", "pedalboard", DE_ESSER, "mono", "n/a", "declared"))
    # Undeclared channel counts (the Stem Compressor's 6 channels: test_stem_compressor.py).
    for plugin in PLUGINS:
        counts = [1, 4, 6] if plugin in SIDECHAINED else [4, 6]
        for ch in counts:
            if plugin == STEM_COMPRESSOR and ch == 6:
                continue
            cells.append(Cell(f"pedalboard-{plugin}-{ch}ch", "pedalboard", plugin, f"{ch} channels",
                              "silent (not routable)" if plugin in SIDECHAINED else "n/a", "undeclared",
                              {"channels": ch}))
    return cells


def _dd_cells():
    cells = []
    # Declared, not yet covered: the De-Esser's stereo and mono layouts, the Clipper's mono (its stereo:
    # test_dawdreamer_clipper.py; the compressors' and the Null Check's stereo with the key connected and
    # unconnected: test_dawdreamer.py, test_stem_compressor.py, test_stem_null.py).
    cells.append(Cell(f"dawdreamer-{DE_ESSER}-stereo", "dawdreamer", DE_ESSER, "stereo", "n/a", "declared",
                      {"request": None}))
    for plugin in (DE_ESSER, TRANSIENT_CLIPPER):
        cells.append(Cell(f"dawdreamer-{plugin}-mono", "dawdreamer", plugin, "mono", "n/a", "declared",
                          {"request": [1, 1]}))
    # Undeclared requests. The plugins with a sidechain: set_bus can only describe one input bus, so even
    # "stereo" without the aux bus is undeclared; the key is connected in the render that follows the refusal.
    for plugin in PLUGINS:
        requests = [[1, 1], [2, 2], [6, 6]] if plugin in SIDECHAINED else [[1, 2], [2, 1], [4, 4], [6, 6]]
        for ins, outs in requests:
            cells.append(Cell(f"dawdreamer-{plugin}-set_bus({ins},{outs})", "dawdreamer", plugin,
                              f"set_bus({ins}, {outs})", "connected" if plugin in SIDECHAINED else "n/a",
                              "undeclared", {"request": [ins, outs]}))
    return cells


# Ardour: track channels x sidechain state. The plugins with a sidechain get all three sidechain states on mono
# and stereo tracks; every plugin also goes on a 5.1 track (Ardour replicates it; it stays stereo).
ARDOUR_SC_NAMES = {"none": "unconnected (none)", "open": "unconnected (input added)", "key": "connected",
                   "n/a": "n/a"}
ARDOUR_TRACKS = {1: "mono track", 2: "stereo track", 6: "5.1 track"}


ARDOUR_TOKEN = {BUS_COMPRESSOR: "bus", STEM_COMPRESSOR: "stem", DE_ESSER: "deesser", TRANSIENT_CLIPPER: "clipper",
                STEM_NULL: "null"}


def _ardour_cells():
    cells = []
    for plugin in PLUGINS:
        specs = [(ch, sc) for ch in (1, 2) for sc in ("none", "open", "key")] if plugin in SIDECHAINED else [
            (1, "none"), (2, "none")]
        specs.append((6, "none"))
        for ch, sc in specs:
            shown = sc if plugin in SIDECHAINED else "n/a"
            cells.append(Cell(f"ardour-{plugin}-{ch}ch-{shown}", "ardour", plugin, ARDOUR_TRACKS[ch],
                              ARDOUR_SC_NAMES[shown], "declared (stereo)" if ch == 2 else "adapted by Ardour",
                              {"channels": ch, "sc": sc, "lua": f"{ARDOUR_TOKEN[plugin]}-{ch}-{sc}:{ch}:{sc}"},
                              group="ardour"))
    return cells


PB_CELLS, DD_CELLS, ARDOUR_CELLS = _pb_cells(), _dd_cells(), _ardour_cells()
ALL_CELLS = {c.id: c for c in PB_CELLS + DD_CELLS + ARDOUR_CELLS}


# ---------------------------------------------------------------------------------------------- running them


def _bundle(plugin):
    path = BUNDLE_DIR / f"{plugin}.vst3"
    if not path.is_dir():
        pytest.fail(f"{path} not found: build it first (`cargo xtask build-all`)")
    return path


def _job(tmp_path, cell, host, main, params=None, key=None, graph="main-only", request=None, ref_main=None):
    tmp_path = Path(tmp_path)
    job = {"host": host, "op": "layout", "bundle": str(_bundle(cell.plugin)), "params": params or {},
           "main": save_audio(tmp_path, "main", main), "key": None if key is None else save_audio(tmp_path, "key", key),
           "graph": graph, "request": request, "out_ref": str(tmp_path / "ref.out.npy"),
           "ref_main": None if ref_main is None else save_audio(tmp_path, "ref-main", ref_main)}
    result, out = run_job(tmp_path, job, name="layout")
    ref = np.load(job["out_ref"]) if ref_main is not None else None
    return result, out, ref


def _run_pedalboard(cell, tmp_path, stems):
    src = stems[STEM_FOR[cell.plugin]]
    if cell.kind == "declared":  # mono: the stem's left channel; reference: dual mono, same instance
        main = np.ascontiguousarray(src[:1])
        result, out, ref = _job(tmp_path, cell, "pedalboard", main, ref_main=_dual_mono(main))
    else:
        main = _multichannel(stems, STEM_FOR[cell.plugin], cell.spec["channels"])
        result, out, ref = _job(tmp_path, cell, "pedalboard", main, ref_main=np.ascontiguousarray(src))
    return {"result": result, "main": main, "out": out, "ref": ref, "src": src}


def _run_dawdreamer(cell, tmp_path, stems):
    request = cell.spec["request"]
    src = stems[STEM_FOR[cell.plugin]]
    if cell.plugin in SIDECHAINED:  # refused request, then the quiet main with a loud key connected
        main, key = _sine(1000, MAIN_DB, 2), _sine(300, KEY_DB, 2)
        result, out, _ = _job(tmp_path, cell, "dawdreamer", main, DD_SIDECHAIN_PARAMS[cell.plugin], key=key,
                              graph="main+key", request=request)
        return {"result": result, "main": main, "key": key, "out": out}
    if request is None:
        main, ref_main = src, None
    elif request == [1, 1]:
        main = np.ascontiguousarray(src[:1])
        ref_main = _dual_mono(main)
    else:
        main = _multichannel(stems, STEM_FOR[cell.plugin], request[0])
        ref_main = _first_two(main)
    result, out, ref = _job(tmp_path, cell, "dawdreamer", main, request=request, ref_main=ref_main)
    return {"result": result, "main": main, "out": out, "ref": ref}


def _ardour_home(tmp_path, plugins):
    """A throwaway HOME for Ardour with `plugins` scanned and the DSP scripts installed."""
    home = tmp_path / "home"
    (home / ".vst3").mkdir(parents=True, exist_ok=True)
    for plugin in plugins:
        link = home / ".vst3" / f"{plugin}.vst3"
        link.symlink_to(_bundle(plugin))
        ardour_scan(link, home)
    scripts = home / ".config" / "ardour7" / "scripts"
    scripts.mkdir(parents=True, exist_ok=True)
    for script in ARDOUR_SCRIPTS.glob("*.lua"):
        shutil.copy(script, scripts / script.name)
    return home


def _ardour_session(home, cells, tmp_path, label):
    """Runs layouts.lua with `cells` as the tracks of one session in one ardour7-lua process; returns
    (ok, log, {cell id: {"line": {...}, "stats": [...]}})."""
    args = [str(tmp_path / label), label, f"seconds={ARDOUR_SECONDS}", f"main_db={MAIN_DB}", f"key_db={KEY_DB}"]
    for plugin in dict.fromkeys(c.plugin for c in cells):
        args.append(f"plugin={plugin}")
        args += [f"param={k}={v}" for k, v in ARDOUR_PARAMS.get(plugin, {}).items()]
        args += [f"cell={c.spec['lua']}" for c in cells if c.plugin == plugin]
    cmd = [ardour_lua(), "--", str(LAYOUTS_LUA)] + args
    try:
        proc = subprocess.run(cmd, env=ardour_env(home), capture_output=True, text=True, timeout=180, cwd=str(home))
    except subprocess.TimeoutExpired as e:
        return False, f"ardour7-lua hung for more than 180 s\nstdout:\n{e.stdout}\nstderr:\n{e.stderr}", {}
    sig = signal_name(proc.returncode)
    what = f"killed by {sig}" if sig else f"exit code {proc.returncode}"
    log = f"$ {' '.join(repr(c) for c in cmd)}\n({what})\nstdout:\n{proc.stdout[-8000:]}\nstderr:\n{proc.stderr[-3000:]}"
    by_lua = {c.spec["lua"].split(":")[0]: c.id for c in cells}
    parsed = {c.id: {"stats": [], "log": log} for c in cells}
    for m in re.finditer(r"^CELL (\S+) (.*)$", proc.stdout, re.M):
        if m.group(1) in by_lua:
            parsed[by_lua[m.group(1)]]["line"] = dict(kv.split("=", 1) for kv in m.group(2).split())
    for m in re.finditer(r"^STATS (\S+) ch=(\d+) peak=(\S+) ms=(\S+) bad=(\d+) n=(\d+)$", proc.stdout, re.M):
        if m.group(1) in by_lua:
            parsed[by_lua[m.group(1)]]["stats"].append(
                {"ch": int(m.group(2)), "peak": float(m.group(3)), "ms": float(m.group(4)), "bad": int(m.group(5)),
                 "n": int(m.group(6))})
    ok = proc.returncode == 0 and "LAYOUTS OK" in proc.stdout
    return ok, log, parsed


def _run_ardour(cells, tmp_path):
    """All `cells` as tracks of one session. If that process fails, each plugin's cells in a session of their
    own, and if one of those fails, each of its cells alone: a crash is pinned on its cell (and the other
    cells still get their result). Returns {cell id: data or an AssertionError}."""
    home = _ardour_home(tmp_path, dict.fromkeys(c.plugin for c in cells))
    ok, log, parsed = _ardour_session(home, cells, tmp_path, "layouts-all")
    if ok:
        return parsed
    out = {}
    for plugin in dict.fromkeys(c.plugin for c in cells):
        mine = [c for c in cells if c.plugin == plugin]
        ok1, log1, parsed1 = _ardour_session(home, mine, tmp_path, f"layouts-{ARDOUR_TOKEN[plugin]}")
        if ok1:
            out.update({cid: dict(v, first_log=log) for cid, v in parsed1.items()})
            continue
        for c in mine:
            ok2, log2, parsed2 = _ardour_session(home, [c], tmp_path, "layouts-" + re.sub(r"\W", "_", c.spec["lua"]))
            out[c.id] = dict(parsed2[c.id], first_log=log) if ok2 else AssertionError(
                f"Ardour failed on {plugin}, cell {c.spec['lua']} in a session of its own:\n{log2}\n\n"
                f"(with all of {plugin}'s cells:)\n{log1}")
    return out


class _Runner:
    """Starts the host jobs of every selected cell on a thread pool (each job is a child process) and hands
    out their results."""

    def __init__(self, selected, tmp_path_factory, stems):
        self.pool = ThreadPoolExecutor(max_workers=int(os.environ.get("LAYOUT_JOBS", "3")))
        self.futures = {}
        ardour = [c for c in selected if c.group == "ardour"]
        if ardour:  # the longest job first: one Ardour session (about 6 s) while the worker jobs run
            fut = self.pool.submit(_run_ardour, ardour, tmp_path_factory.mktemp("ardour"))
            self.futures.update({c.id: (fut, c.id) for c in ardour})
        for cell in selected:
            if cell.group:
                continue
            fn = _run_pedalboard if cell.host == "pedalboard" else _run_dawdreamer
            tmp = tmp_path_factory.mktemp(re.sub(r"\W+", "_", cell.id)[:60])
            self.futures[cell.id] = (self.pool.submit(fn, cell, tmp, stems), None)

    def shutdown(self):
        self.pool.shutdown(wait=True, cancel_futures=True)

    def get(self, cell):
        fut, key = self.futures[cell.id]
        value = fut.result()  # re-raises what the job raised (a crash is an AssertionError from run_job)
        if key is not None:
            value = value[key]
            if isinstance(value, Exception):
                raise value
        return value


@pytest.fixture(scope="session")
def layout_runner(request, tmp_path_factory, stems):
    selected = []
    for item in request.session.items:
        cell = getattr(item, "callspec", None) and item.callspec.params.get("cell")
        if isinstance(cell, Cell) and cell.id in ALL_CELLS:
            selected.append(cell)
    runner = _Runner(selected, tmp_path_factory, stems)
    yield runner
    runner.shutdown()


def _assert_audio(out, channels, n, what):
    assert out is not None, f"{what}: no output"
    assert out.ndim == 2 and out.shape[0] == channels and out.shape[1] >= n, f"{what}: output shape {out.shape}"
    assert np.all(np.isfinite(out)), f"{what}: output has NaN/inf"
    for c in range(channels):
        assert rms(out[c, :n]) > 1e-4, f"{what}: output channel {c} is silent ({db(rms(out[c, :n])):.1f} dBFS)"


# ---------------------------------------------------------------------------------------------- the tests


def test_declared_layouts_match_the_sources():
    """DECLARED (what these tests cover) is what the plugins declare: AUDIO_IO_LAYOUTS of each lib.rs (for the
    Stem Compressor, the LAYOUTS of the variant exported as VST3), with the channel counts of
    editor-widgets/src/io_layouts.rs."""
    io = (REPO_ROOT / "editor-widgets/src/io_layouts.rs").read_text()
    assert "STEREO_OR_MONO: &[AudioIOLayout] = &[main_only(2, \"Stereo\"), main_only(1, \"Mono\")]" in io
    sc = re.search(r"pub const STEREO_SIDECHAIN: AudioIOLayout = AudioIOLayout \{(.*?)\n\};", io, re.S).group(1)
    assert re.search(r"main_input_channels: NonZeroU32::new\(2\)", sc) and re.search(
        r"main_output_channels: NonZeroU32::new\(2\)", sc) and "aux_input_ports: &[new_nonzero_u32(2)]" in sc, sc
    for plugin, path in SOURCES.items():
        src = (REPO_ROOT / path).read_text()
        layouts = re.search(r"const AUDIO_IO_LAYOUTS: &'static \[AudioIOLayout\] = ([^;]+);", src).group(1)
        if layouts.strip() == "V::LAYOUTS":
            exported = re.search(r"nice_export_vst3!\(\w+<(\w+)>\);", src).group(1)
            layouts = re.search(r"impl Variant for %s \{.*?const LAYOUTS: [^=]+= &\[(\w+)\];" % exported, src,
                                re.S).group(1)
        const = re.sub(r"^&\[|\]$|editor_widgets::io_layouts::", "", layouts.strip())
        assert LAYOUT_CONSTANTS.get(const) == DECLARED[plugin], f"{plugin} declares {layouts}: update DECLARED"


@pytest.mark.parametrize("cell", PB_CELLS, ids=str)
def test_pedalboard_layout(layout_runner, cell):
    """pedalboard (no sidechain routing: the aux bus is silent). Declared mono: the De-Esser processes the
    vocal's left channel, finite and not silent, and equals the left channel of the same instance's render
    of it as dual mono (<= 1e-6). Undeclared channel counts: refused with pedalboard's ValueError, no crash,
    and the same instance then processes the stereo stem (finite, not silent)."""
    r = layout_runner.get(cell)
    result, main, out, ref, n = r["result"], r["main"], r["out"], r["ref"], r["main"].shape[1]
    print(f"{cell}: request_ok {result['request_ok']}, error {result['request_error']!r}, latency {result['latency']}")
    if cell.kind == "declared":
        assert result["request_ok"], f"{cell}: pedalboard refused the declared layout: {result['request_error']}"
        _assert_audio(out, 1, n, f"{cell} (mono)")
        _assert_audio(ref, 2, n, f"{cell} (dual-mono reference)")
        d = max_abs_diff(out[0, :n], ref[0, :n])
        print(f"{cell}: gain {gain_db(out, main):+.2f} dB, max abs diff to the dual-mono render {d:.3g}")
        assert d <= 1e-6, f"{cell}: mono output differs from the dual-mono render's left channel by {d:.3g}"
    else:
        ch = cell.spec["channels"]
        assert not result["request_ok"], f"{cell}: pedalboard processed {ch} channels: output {out.shape}"
        assert result["request_error"].startswith("ValueError") and f"{ch}-channel" in result["request_error"], (
            result["request_error"])
        _assert_audio(ref, 2, n, f"{cell} (stereo after the refusal)")


@pytest.mark.parametrize("cell", DD_CELLS, ids=str)
def test_dawdreamer_layout(layout_runner, cell):
    """DawDreamer. Declared: the De-Esser in stereo, the De-Esser and Clipper in mono (set_bus(1, 1) is
    accepted): finite, not silent, and mono equals the left channel of a dual-mono stereo render (<= 1e-6).
    Undeclared, compressors: set_bus raises ValueError (JUCE: one input bus asked for, two declared), the
    plugin keeps 4 inputs / 2 outputs, and in the render that follows a loud key on the aux bus still takes
    the quiet main down by more than 10 dB (Key External). Undeclared, De-Esser and Clipper: set_bus returns
    False, the render does not crash, the plugin stayed stereo: its outputs equal a stereo render of the first
    two input channels (<= 1e-6) and DawDreamer's extra outputs are silent. Undeclared, Null Check: as the
    compressors, and the render that follows (Output Difference) is main - key bit for bit."""
    r = layout_runner.get(cell)
    result, main, out = r["result"], r["main"], r["out"]
    n = main.shape[1]
    request = cell.spec["request"]
    print(f"{cell}: set_bus {result.get('set_bus')}, error {result.get('request_error')!r}, inputs/outputs after "
          f"{result['num_inputs_after_request']}/{result['num_outputs_after_request']}, latency {result['latency']}")
    if cell.plugin in SIDECHAINED:
        assert result["set_bus"] is None and result["request_error"].startswith("ValueError"), result
        assert (result["num_inputs_after_request"], result["num_outputs_after_request"]) == (4, 2), result
        _assert_audio(out, 2, n, str(cell))
        if cell.plugin == STEM_NULL:
            d = max_abs_diff(out[:, :n], main - r["key"])
            print(f"{cell}: {result['set_params']}; max abs diff to main - key {d:.3g}")
            assert d == 0.0, f"{cell}: after the refused request the output is not main - key (max abs diff {d:.3g})"
            return
        skip = int(SKIP_S * SR)
        g = gain_db(out[:, skip:n], main[:, skip:])
        print(f"{cell}: {result['set_params']}; keyed gain {g:+.2f} dB")
        assert g < KEYED_DB, f"{cell}: after the refused request the key no longer reduces the main ({g:+.2f} dB)"
        return
    if request is None or request == [1, 1]:
        assert request is None or result["set_bus"] is True, f"{cell}: set_bus(1, 1) refused: {result}"
        channels = 2 if request is None else 1
        _assert_audio(out, channels, n, str(cell))
        print(f"{cell}: gain {gain_db(out[:, :n], main):+.2f} dB")
        if request == [1, 1]:
            ref = r["ref"]
            _assert_audio(ref, 2, n, f"{cell} (dual-mono reference)")
            d = max_abs_diff(out[0, :n], ref[0, :n])
            print(f"{cell}: max abs diff to the dual-mono render's left channel {d:.3g}")
            assert d <= 1e-6, f"{cell}: mono output differs from the dual-mono render's left channel by {d:.3g}"
        return
    ins, outs = request
    ref = r["ref"]
    assert result["set_bus"] is False, f"{cell}: the undeclared set_bus{tuple(request)} was accepted: {result}"
    assert out is not None and out.shape[0] == outs and out.shape[1] >= n, f"{cell}: output {out.shape}"
    assert np.all(np.isfinite(out)), f"{cell}: output has NaN/inf"
    k = min(outs, 2)
    d = max_abs_diff(out[:k, :n], ref[:k, :n])
    extra = float(np.max(np.abs(out[k:, :n]))) if outs > k else 0.0
    print(f"{cell}: max abs diff of outputs 0..{k - 1} to the stereo render {d:.3g}; extra outputs peak {extra:.3g}")
    assert rms(ref[:, :n]) > 1e-4, f"{cell}: the stereo reference render is silent"
    assert d <= 1e-6, f"{cell}: the plugin did not stay stereo (max abs diff {d:.3g} to the stereo render)"
    assert extra == 0.0, f"{cell}: DawDreamer's extra outputs carry {extra:.3g}"


@pytest.mark.parametrize("cell", ARDOUR_CELLS, ids=str)
def test_ardour_layout(layout_runner, cell):
    """Ardour 7.3 headless (dummy backend), the plugin between a 1 kHz sine source (-40 dBFS) and a meter on a
    track with strict I/O; 2 s rolled. Ardour keeps the plugin in its default stereo layout (natural streams
    2 + aux in, 2 out) on every track; the main pins mapped are min(track channels, 2), the aux pins only with
    a sidechain input. Every channel of the track: finite, not silent, at least 2 s processed. Compressors in
    Key External: with the key track connected the main drops by more than 10 dB; with no sidechain input,
    or one with nothing connected, it stays within 1 dB of the source. Null Check in Output Difference: with
    the key track connected the output is main - key, 34.0 dB over the main; with no key it is the source
    (both within 0.1 dB)."""
    r = layout_runner.get(cell)
    ch, sc = cell.spec["channels"], cell.spec["sc"]
    line, stats = r.get("line"), r["stats"]
    assert line, f"{cell}: no CELL line\n{r['log']}"
    print(f"{cell}: {line}\n" + "\n".join(str(s) for s in stats))
    aux = DECLARED[cell.plugin][0][2]
    assert (int(line["natural_in"]), int(line["natural_out"])) == (2 + aux, 2), f"{cell}: {line}"
    pins = line["pins"].split(",")
    assert sum(p != "-" for p in pins[:2]) == min(ch, 2), f"{cell}: main pins {pins}"
    assert all((p != "-") == (sc != "none") for p in pins[2:]), f"{cell}: aux pins {pins} with sidechain {sc}"
    assert [s["ch"] for s in stats] == list(range(ch)), f"{cell}: the meter saw channels {[s['ch'] for s in stats]}"
    source_ms = 0.5 * 10 ** (MAIN_DB / 10)
    for s in stats:
        assert s["bad"] == 0, f"{cell}: {s['bad']} NaN/inf samples on channel {s['ch']}"
        assert s["n"] >= ARDOUR_SECONDS * SR, f"{cell}: only {s['n']} samples processed"
        g = 10 * np.log10(max(s["ms"], 1e-30) / source_ms)
        s["gain_db"] = g
        assert np.isfinite(s["peak"]) and g > -60, f"{cell}: channel {s['ch']} silent ({g:+.1f} dB)"
        if cell.plugin == STEM_NULL:
            want = NULL_KEYED_DB if sc == "key" else 0.0
            assert abs(g - want) <= NULL_TOL_DB, f"{cell}: channel {s['ch']} at {g:+.2f} dB, expected {want:+.2f} dB"
        if cell.plugin in COMPRESSORS:
            if sc == "key":
                assert g < KEYED_DB, f"{cell}: the connected key did not reduce channel {s['ch']} ({g:+.2f} dB)"
            else:
                assert abs(g) <= UNITY_DB, f"{cell}: channel {s['ch']} changed by {g:+.2f} dB with no key"
    print(f"{cell}: gains " + ", ".join(f"{s['gain_db']:+.2f} dB" for s in stats))
