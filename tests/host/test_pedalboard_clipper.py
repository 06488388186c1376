"""The Stem Transient Clipper VST3 in pedalboard (Spotify's JUCE-based host).

pedalboard appends unit labels to parameter names (Ceiling -> ceiling_dbfs; "%" disappears) and compensates
the latency the plugin reports, so its output lines up with the input. Every plugin call runs in a child
process (worker.py). The stem is testdata/stems-a/drums.wav (3 s, peak -7.0 dBFS).
"""

import numpy as np
import pytest

from worker import parse_number
from hostlib import assert_exact_parameter_set, db, max_abs_diff, pedalboard_describe, rms, run_job, save_audio

# Transient Clipper display name -> pedalboard's Python name.
CLIPPER_PEDALBOARD_NAMES = {
    "Drive": "drive_db",
    "Ceiling": "ceiling_dbfs",
    "Output": "output_db",
    "Mix": "mix",
    "Curve": "curve",
    "Softness": "softness",
    "Oversampling": "oversampling",
    "Filter": "filter",
    "Transient Only": "transient_only",
    "Stereo Link": "stereo_link",
    "Safety Clip": "safety_clip",
    "Delta": "delta",
    "Bypass": "bypass",
}

# Drive 12 dB into a -6 dBFS ceiling: the drum hits (peak -7 dBFS) go about 11 dB over it.
DRIVE_DB, CEILING_DB = 12.0, -6.0
CLIPPING = {"drive_db": DRIVE_DB, "ceiling_dbfs": CEILING_DB, "safety_clip": True}
# Oversampling Off, no drive, 0 dBFS ceiling: the default Soft 30 % knee starts at 0.7 (-3.1 dBFS), above
# the stem's -7 dBFS peak, so nothing is clipped and the output must be the input (latency 0).
IDLE = {"drive_db": 0.0, "ceiling_dbfs": 0.0, "oversampling": "Off"}
# Length of the fade-in the clipper runs after a factor/phase switch (SWITCH_FADE_MS = 5 ms at 48 kHz).
SWITCH_FADE_SAMPLES = 240


def _limit(ceiling_db):
    """The ceiling as an exact linear amplitude (float64): no output sample may exceed it."""
    return 10.0 ** (ceiling_db / 20.0)


@pytest.fixture(scope="module")
def tc_describe(transient_clipper_vst3, tmp_path_factory):
    return pedalboard_describe(tmp_path_factory, transient_clipper_vst3, "clipper")


@pytest.fixture(scope="module")
def drums_clipped(transient_clipper_vst3, stems, tmp_path_factory):
    """The stereo drum stem through Drive 12 dB / Ceiling -6 dBFS / Safety Clip on: (result, output)."""
    tmp = tmp_path_factory.mktemp("pb-clipper-drums")
    result, out = run_job(
        tmp,
        {"host": "pedalboard", "op": "process", "bundle": str(transient_clipper_vst3),
         "main": save_audio(tmp, "drums", stems["drums"]), "params": CLIPPING},
        name="drums",
    )
    return result, out


def test_clipper_loads_with_every_parameter(tc_describe):
    """The Transient Clipper loads as an effect; every parameter is there under its pedalboard name, nothing
    else (the persisted editor size must not show up as a parameter)."""
    assert_exact_parameter_set(tc_describe, "Stem Transient Clipper", CLIPPER_PEDALBOARD_NAMES)


def test_clipper_ranges_and_defaults(tc_describe):
    """Ranges and defaults as documented (params.rs ranges, ClipperSettings::default()): Drive 0..24 dB at 0,
    Ceiling -24..0 dBFS at -1, Output ±24 dB at 0, Mix 100 %, Soft curve with a 30 % knee, 4x linear-phase
    oversampling, Transient Only 0 %, Stereo Link 0 %, Safety Clip on, Delta and Bypass off. The latency
    pedalboard reads at the defaults is that of 4x linear phase: not zero."""
    p = tc_describe["params"]
    floats = {
        # name: (min, max, default)
        "drive_db": (0, 24, 0),
        "ceiling_dbfs": (-24, 0, -1),
        "output_db": (-24, 24, 0),
        "mix": (0, 100, 100),
        "softness": (0, 100, 30),
        "transient_only": (0, 100, 0),
        "stereo_link": (0, 100, 0),
    }
    problems = []
    for name, (lo, hi, default) in floats.items():
        got = (p[name].get("min_value"), p[name].get("max_value"), parse_number(p[name]["string_value"]))
        print(f"{name}: {got[0]}..{got[1]}, default {p[name]['string_value']!r} {p[name].get('units')!r}")
        if got != (pytest.approx(lo, abs=1e-3), pytest.approx(hi, abs=1e-3), pytest.approx(default, abs=1e-3)):
            problems.append(f"{name}: {got}, expected {(lo, hi, default)}")
    units = {"drive_db": " dB", "ceiling_dbfs": " dBFS", "output_db": " dB", "mix": "%"}
    for name, unit in units.items():
        if p[name].get("units") != unit:
            problems.append(f"{name}: unit {p[name].get('units')!r}, expected {unit!r}")
    enums = {
        "curve": (["Hard", "Soft", "Cubic", "Sine"], "Soft"),
        "oversampling": (["Off", "2x", "4x", "8x", "16x"], "4x"),
        "filter": (["Linear Phase", "Minimum Phase"], "Linear Phase"),
    }
    for name, (values, default) in enums.items():
        if p[name].get("valid_values") != values or p[name]["string_value"] != default:
            problems.append(f"{name}: {p[name].get('valid_values')} default {p[name]['string_value']!r}, "
                            f"expected {values} default {default!r}")
    for name, default in {"safety_clip": 1.0, "delta": 0.0, "bypass": 0.0}.items():
        if p[name].get("type") != "bool" or p[name]["raw_value"] != default:
            problems.append(f"{name}: {p[name]}, expected a bool at {default}")
    print(f"latency at the defaults: {tc_describe['latency']} samples")
    if tc_describe["latency"] <= 0:
        problems.append(f"latency at the defaults (4x linear phase) is {tc_describe['latency']}, expected > 0")
    assert not problems, "\n".join(problems)


def test_clipper_safety_clip_holds_the_ceiling_on_drums(drums_clipped, stems):
    """Drive 12 dB, Ceiling -6 dBFS, Safety Clip on, on the stereo drum stem: the driven hits really go over
    the ceiling (input x drive peaks about +5 dBFS), yet no output sample is above -6 dBFS, and the output is
    driven up to the ceiling (not muted). pedalboard compensates the reported latency: the output lines up
    with the input (cross-correlation peak at lag 0)."""
    result, out = drums_clipped
    drums = stems["drums"]
    got = result["set_params"]
    assert got == {"drive_db": "12.0", "ceiling_dbfs": "-6.0", "safety_clip": "On"}, got
    assert out is not None and out.shape == drums.shape, f"output shape {None if out is None else out.shape}"
    assert np.all(np.isfinite(out)), "output has NaN/inf"
    limit = _limit(CEILING_DB)
    driven_peak = float(np.max(np.abs(drums.astype(np.float64)))) * 10.0 ** (DRIVE_DB / 20.0)
    out_peak = float(np.max(np.abs(out.astype(np.float64))))
    over = int(np.sum(np.abs(out.astype(np.float64)) > limit))
    m = 20000
    lag = int(np.argmax(np.correlate(out[0, :m], drums[0, :m], "full"))) - (m - 1)
    print(f"{result['set_params']}: latency {result['latency']}, input x drive peak {db(driven_peak):+.2f} dBFS, "
          f"output peak {db(out_peak):+.4f} dBFS ({out_peak:.9f}, limit {limit:.9f}), samples over {over}, "
          f"output rms {db(rms(out)):+.2f} dBFS, lag {lag}")
    assert driven_peak > limit, f"the hits never went over the ceiling ({db(driven_peak):+.2f} dBFS): nothing tested"
    assert over == 0 and out_peak <= limit, (
        f"{over} output samples above the {CEILING_DB} dBFS ceiling, peak {db(out_peak):+.4f} dBFS ({out_peak!r})"
    )
    assert out_peak >= _limit(CEILING_DB - 1.0), f"output peak {db(out_peak):+.2f} dBFS: not driven to the ceiling"
    assert result["latency"] > 0, f"4x linear phase reported latency {result['latency']}"
    assert lag == 0, f"pedalboard's compensated output is off by {lag} samples (reported latency {result['latency']})"


def test_clipper_mono_file(transient_clipper_vst3, stems, drums_clipped, tmp_path):
    """A mono file (the drum stem's left channel) through the same settings: mono out, finite, within the
    ceiling, and with Stereo Link 0 % identical to the left channel of the stereo render."""
    left = stems["drums"][:1]
    result, out = run_job(
        tmp_path,
        {"host": "pedalboard", "op": "process", "bundle": str(transient_clipper_vst3),
         "main": save_audio(tmp_path, "mono", left), "params": CLIPPING},
        name="mono",
    )
    assert out is not None and out.shape == left.shape, f"mono in, output shape {None if out is None else out.shape}"
    assert np.all(np.isfinite(out)), "output has NaN/inf"
    peak = float(np.max(np.abs(out.astype(np.float64))))
    _, stereo = drums_clipped
    d = max_abs_diff(out[0], stereo[0])
    print(f"mono: {result['set_params']}, latency {result['latency']}, peak {db(peak):+.4f} dBFS, "
          f"max abs diff to the stereo render's left channel {d:.3g}")
    assert peak <= _limit(CEILING_DB), f"mono output peak {db(peak):+.4f} dBFS is above the ceiling"
    assert peak >= _limit(CEILING_DB - 1.0), f"mono output peak {db(peak):+.2f} dBFS: not driven to the ceiling"
    assert d <= 1e-6, f"mono output differs from the stereo left channel by up to {d:.3g}"


@pytest.fixture(scope="module")
def drums_idle(transient_clipper_vst3, stems, tmp_path_factory):
    """The drum stem at Drive 0 dB, Ceiling 0 dBFS, Oversampling Off: (result, output)."""
    tmp = tmp_path_factory.mktemp("pb-clipper-idle")
    return run_job(
        tmp,
        {"host": "pedalboard", "op": "process", "bundle": str(transient_clipper_vst3),
         "main": save_audio(tmp, "drums", stems["drums"]), "params": IDLE},
        name="idle",
    )


def test_clipper_idle_nulls_with_latency_compensation(drums_idle, stems):
    """Drive 0 dB, Ceiling 0 dBFS, Oversampling Off: latency 0, and the output nulls against the input
    (max abs diff <= 1e-6) after the first 5 ms (see the next test for those)."""
    result, out = drums_idle
    drums = stems["drums"]
    got = result["set_params"]
    assert got == {"drive_db": "0.0", "ceiling_dbfs": "0.0", "oversampling": "Off"}, got
    assert result["latency"] == 0, f"Oversampling Off reported latency {result['latency']}, expected 0"
    assert out.shape == drums.shape and np.all(np.isfinite(out))
    n = SWITCH_FADE_SAMPLES
    diff = max_abs_diff(out[:, n:], drums[:, n:])
    head = max_abs_diff(out[:, :n], drums[:, :n])
    print(f"{result['set_params']}: latency {result['latency']}, max abs diff from sample {n}: {diff:.3g}; "
          f"first {n} samples: {head:.3g}")
    if diff > 1e-6:
        m = 20000
        lag = int(np.argmax(np.correlate(out[0, n:m], drums[0, n:m], "full"))) - (m - n - 1)
        pytest.fail(f"idle output does not null against the input: max abs diff {diff:.3g}; best alignment lag {lag}")


def test_clipper_idle_first_render_is_not_faded_in(drums_idle, stems):
    """Same idle render: the first 5 ms null against the input too. A fresh render has no filter state to
    hide, so a fade-in there only damages the first hit."""
    result, out = drums_idle
    drums = stems["drums"]
    n = SWITCH_FADE_SAMPLES
    head = max_abs_diff(out[:, :n], drums[:, :n])
    ratio = np.abs(out[0, :n].astype(np.float64)) / np.maximum(np.abs(drums[0, :n].astype(np.float64)), 1e-9)
    print(f"first {n} samples: max abs diff {head:.3g}; output/input at samples 0, 60, 120, 180, 239: "
          f"{np.round(ratio[[0, 60, 120, 180, 239]], 4).tolist()}")
    assert head <= 1e-6, (
        f"the first {n} samples of the idle render differ from the input by up to {head:.3g} "
        f"(output/input {ratio[0]:.4f} at sample 0, {ratio[120]:.4f} at sample 120)"
    )
