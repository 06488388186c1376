"""The Stem De-Esser VST3 in pedalboard (Spotify's JUCE-based host).

pedalboard appends unit labels to parameter names (Threshold -> threshold_db) and compensates the latency the
plugin reports, so its output lines up with the input. Every plugin call runs in a child process (worker.py).
The vocal is testdata/stems-a/vocals_long.wav; its figures are those of shared-dsp/tests/deesser_vocal.rs
(hostlib.band_figures).
"""

import numpy as np
import pytest

from worker import parse_number
from hostlib import assert_exact_parameter_set, band_figures, DE_ESSER_PEDALBOARD_NAMES, gain_db, max_abs_diff, pedalboard_describe, rms, run_job, save_audio


@pytest.fixture(scope="module")
def de_describe(de_esser_vst3, tmp_path_factory):
    return pedalboard_describe(tmp_path_factory, de_esser_vst3, "deesser")


def test_deesser_loads_with_every_parameter(de_describe):
    """The De-Esser loads as an effect; every parameter is there under its pedalboard name, nothing else."""
    assert_exact_parameter_set(de_describe, "Stem De-Esser", DE_ESSER_PEDALBOARD_NAMES)


def test_deesser_ranges_and_defaults(de_describe):
    """Ranges and defaults as documented (DeEsserSettings::default())."""
    p = de_describe["params"]
    floats = {
        # name: (min, max, default)
        "frequency_hz": (2000, 16000, 5000),
        "width_oct": (0.25, 3, 1.0),
        "threshold_db": (-60, 0, -12),
        "range_db": (0, 24, 10),
        "attack_ms": (0.05, 20, 0.5),
        "release_ms": (5, 500, 50),
        "lookahead_ms": (0, 5, 1.0),
        "stereo_link": (0, 100, 100),
        "output_db": (-24, 24, 0),
    }
    problems = []
    for name, (lo, hi, default) in floats.items():
        got = (p[name].get("min_value"), p[name].get("max_value"), parse_number(p[name]["string_value"]))
        print(f"{name}: {got[0]}..{got[1]}, default {p[name]['string_value']!r}")
        if got != (pytest.approx(lo, abs=1e-3), pytest.approx(hi, abs=1e-3), pytest.approx(default, abs=1e-3)):
            problems.append(f"{name}: {got}, expected {(lo, hi, default)}")
    enums = {
        "mode": (["Split-band", "Wideband"], "Split-band"),
        "filter": (["High-pass", "Band-pass"], "High-pass"),
        "detection": (["Relative", "Absolute"], "Relative"),
        "listen": (["Off", "Sibilance", "Removed"], "Off"),
    }
    for name, (values, default) in enums.items():
        if p[name].get("valid_values") != values or p[name]["string_value"] != default:
            problems.append(f"{name}: {p[name].get('valid_values')} default {p[name]['string_value']!r}, "
                            f"expected {values} default {default!r}")
    if p["bypass"].get("type") != "bool" or p["bypass"]["raw_value"] != 0.0:
        problems.append(f"bypass: {p['bypass']}")
    assert not problems, "\n".join(problems)


def test_deesser_takes_the_vocal_sibilance_down(de_esser_vst3, vocals_long, tmp_path):
    """Default settings on the 12 s vocal: finite output of the right shape, latency 48 samples (1 ms at 48 kHz),
    the sibilant frames' 4-10 kHz energy drops by at least 6 dB and the voice (200 Hz-3 kHz of non-sibilant frames)
    stays within 0.5 dB. pedalboard compensates the latency, so frames are compared unshifted."""
    result, out = run_job(
        tmp_path,
        {"host": "pedalboard", "op": "process", "bundle": str(de_esser_vst3),
         "main": save_audio(tmp_path, "vocal", vocals_long)},
        name="vocal",
    )
    assert out is not None and out.shape == vocals_long.shape, f"output shape {None if out is None else out.shape}"
    assert np.all(np.isfinite(out)), "output has NaN/inf"
    assert result["latency"] == 48, f"reported latency {result['latency']} samples, expected 48 (1 ms at 48 kHz)"
    changed = max_abs_diff(out, vocals_long)
    f = band_figures(vocals_long, out)
    print(f"pedalboard, defaults on vocals_long: latency {result['latency']}, {f}, overall "
          f"{gain_db(out, vocals_long):+.3f} dB, max change {changed:.4f}")
    assert changed > 1e-3, f"the de-esser left the vocal untouched (max change {changed:.3g})"
    assert f["sibilant_frames"] >= 50 and f["non_sibilant_frames"] >= 200, f"too few frames to judge: {f}"
    assert f["sibilant_drop_db"] >= 6.0, f"sibilance (4-10 kHz) dropped only {f['sibilant_drop_db']:.2f} dB: {f}"
    assert abs(f["non_sibilant_change_db"]) <= 0.5, f"the voice changed by {f['non_sibilant_change_db']:+.3f} dB: {f}"


def test_deesser_idle_nulls_with_latency_compensation(de_esser_vst3, vocals_long, tmp_path):
    """Absolute detection at a 0 dBFS threshold with Lookahead 5 ms: nothing to reduce, 240 samples reported at
    48 kHz, and pedalboard's compensated output nulls against the input (max abs difference <= 1e-5)."""
    vocal = vocals_long[:, : 4 * 48000]
    params = {"threshold_db": 0.0, "detection": "Absolute", "lookahead_ms": 5.0}
    result, out = run_job(
        tmp_path,
        {"host": "pedalboard", "op": "process", "bundle": str(de_esser_vst3),
         "main": save_audio(tmp_path, "vocal", vocal), "params": params},
        name="idle",
    )
    assert result["set_params"]["detection"] == "Absolute", result["set_params"]
    assert result["latency"] == 240, f"reported latency {result['latency']} samples, expected 240 ({result['set_params']})"
    assert out.shape == vocal.shape and np.all(np.isfinite(out))
    diff = max_abs_diff(out, vocal)
    print(f"{result['set_params']}: latency {result['latency']}, max abs diff {diff:.3g}, rms {rms(vocal):.3g}")
    if diff > 1e-5:
        lag = int(np.argmax(np.correlate(out[0, :20000], vocal[0, :20000], "full"))) - 19999
        pytest.fail(f"idle output does not null against the input: max abs diff {diff:.3g}; best alignment lag {lag}")
