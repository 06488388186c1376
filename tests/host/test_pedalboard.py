"""The built VST3 bundles in pedalboard (Spotify's JUCE-based host).

pedalboard appends unit labels to parameter names (Threshold -> threshold_db), compensates the latency a
plugin reports, and feeds a silent sidechain (it has no way to route one). Every plugin call runs in a child
process (worker.py), so a plugin crash fails the test instead of killing pytest.
"""

import numpy as np
import pytest

from worker import parse_number
from hostlib import gain_db, max_abs_diff, pedalboard_describe, PEDALBOARD_NAMES, rms, run_job, save_audio

# pedalboard values for the "really compresses" settings.
PB_COMPRESSING = {"threshold_db": -30.0, "ratio": 4.0, "attack_ms": 5.0, "release_ms": 100.0, "lookahead_ms": 2.0}
PB_HEAVY = {"threshold_db": -45.0, "ratio": 20.0, "attack_ms": 0.5, "release_ms": 50.0, "knee_db": 0.0}


def test_loads_as_effect(vst3_bundle, tmp_path):
    """Every bundle loads in pedalboard as an effect and exposes parameters."""
    result, _ = run_job(tmp_path, {"host": "pedalboard", "op": "describe", "bundle": str(vst3_bundle)})
    assert result["is_effect"], f"{vst3_bundle.name} is not reported as an effect"
    assert result["params"], f"{vst3_bundle.name} exposes no parameters to pedalboard"


def test_stereo_stem_default_settings(vst3_bundle, stems, tmp_path):
    """Default settings on a stereo stem: output finite, same shape, not silent."""
    drums = stems["drums"]
    result, out = run_job(
        tmp_path,
        {"host": "pedalboard", "op": "process", "bundle": str(vst3_bundle), "main": save_audio(tmp_path, "in", drums)},
    )
    assert out is not None and out.shape == drums.shape, f"output shape {None if out is None else out.shape}"
    assert np.all(np.isfinite(out)), "output has NaN/inf"
    assert rms(out) > 0.1 * rms(drums), f"output nearly silent: {gain_db(out, drums):.1f} dB"


@pytest.fixture(scope="module")
def bc_describe(bus_compressor_vst3, tmp_path_factory):
    return pedalboard_describe(tmp_path_factory, bus_compressor_vst3, "bus-compressor")


def test_parameter_names(bc_describe):
    """Every Bus Compressor parameter is visible under its (unit-suffixed) pedalboard name."""
    names = set(bc_describe["params"])
    missing = {disp: pb for disp, pb in PEDALBOARD_NAMES.items() if pb not in names}
    assert not missing, f"missing pedalboard parameters {missing}; pedalboard sees {sorted(names)}"
    extra = names - set(PEDALBOARD_NAMES.values())
    assert not extra, f"unexpected parameters {sorted(extra)}"
    p = bc_describe["params"]
    for name, (lo, hi) in {
        "threshold_db": (-60, 0),
        "ratio": (1, 20),
        "knee_db": (0, 24),
        "makeup_db": (0, 24),
        "output_db": (-24, 24),
        "lookahead_ms": (0, 10),
    }.items():
        lo_got, hi_got = p[name].get("min_value"), p[name].get("max_value")
        if lo_got is None or hi_got is None:
            # pedalboard shows parameters whose text is not a bare number (Ratio "2.0:1") as string lists.
            lo_got, hi_got = parse_number(p[name]["first_valid_value"]), parse_number(p[name]["last_valid_value"])
        assert (lo_got, hi_got) == (pytest.approx(lo, abs=1e-3), pytest.approx(hi, abs=1e-3)), (
            f"{name} range {lo_got}..{hi_got}, expected {lo}..{hi}"
        )
    assert {"Internal", "External"} <= set(p["key"].get("valid_values", [])), f"key values: {p['key']}"
    assert {"Peak", "RMS"} <= set(p["detector"].get("valid_values", [])), f"detector values: {p['detector']}"


def test_defaults(bc_describe):
    """Defaults as specified: Threshold -18 dB, Ratio 2, Key Internal, Lookahead 0 (latency 0)."""
    p = bc_describe["params"]
    assert parse_number(p["threshold_db"]["string_value"]) == -18.0, p["threshold_db"]
    assert parse_number(p["ratio"]["string_value"]) == 2.0, p["ratio"]
    assert p["key"]["string_value"] == "Internal", p["key"]
    assert bc_describe["latency"] == 0


def test_compressing_settings_are_quieter(bus_compressor_vst3, stems, tmp_path):
    """Compressing and heavy settings really reduce the level; output finite and the right shape."""
    mix = stems["mix"]
    main = save_audio(tmp_path, "mix", mix)
    gains = {}
    for label, params in {"compressing": PB_COMPRESSING, "heavy": PB_HEAVY}.items():
        result, out = run_job(
            tmp_path,
            {"host": "pedalboard", "op": "process", "bundle": str(bus_compressor_vst3), "main": main, "params": params},
            name=label,
        )
        assert out.shape == mix.shape, f"{label}: output shape {out.shape}"
        assert np.all(np.isfinite(out)), f"{label}: output has NaN/inf"
        gains[label] = gain_db(out, mix)
        print(f"{label}: {result['set_params']}: {gains[label]:.2f} dB")
    assert gains["compressing"] < -1.0, f"compressing settings changed the level by only {gains['compressing']:.2f} dB"
    assert gains["heavy"] < -10.0, f"heavy settings changed the level by only {gains['heavy']:.2f} dB"
    assert gains["heavy"] < gains["compressing"] - 3.0, f"heavy not quieter than moderate: {gains}"


def test_unity_nulls_with_latency_compensation(bus_compressor_vst3, stems, tmp_path):
    """Threshold 0 dB, Ratio 1, Lookahead 5 ms: reports 240 samples at 48 kHz; pedalboard compensates it,
    so the output nulls against the input (max abs difference <= 1e-5, i.e. -100 dBFS)."""
    drums = stems["drums"]
    params = {"threshold_db": 0.0, "ratio": 1.0, "lookahead_ms": 5.0}
    result, out = run_job(
        tmp_path,
        {
            "host": "pedalboard",
            "op": "process",
            "bundle": str(bus_compressor_vst3),
            "main": save_audio(tmp_path, "drums", drums),
            "params": params,
        },
    )
    assert result["latency"] == 240, f"reported latency {result['latency']} samples, expected 240 ({result['set_params']})"
    assert out.shape == drums.shape
    diff = max_abs_diff(out, drums)
    print(f"{result['set_params']}: latency {result['latency']}, max abs diff {diff:.3g}")
    if diff > 1e-5:
        # Say whether it is a delay problem or a gain problem.
        lag = int(np.argmax(np.correlate(out[0, :20000], drums[0, :20000], "full"))) - 19999
        pytest.fail(f"output does not null against input: max abs diff {diff:.3g}; best alignment lag {lag} samples")


def test_external_key_silent_sidechain_is_unity(bus_compressor_vst3, stems, tmp_path):
    """pedalboard feeds a silent sidechain: Key External with heavy settings must give (near) unity gain
    and must not crash."""
    mix = stems["mix"]
    params = dict(PB_HEAVY, key="External")
    result, out = run_job(
        tmp_path,
        {
            "host": "pedalboard",
            "op": "process",
            "bundle": str(bus_compressor_vst3),
            "main": save_audio(tmp_path, "mix", mix),
            "params": params,
        },
    )
    assert result["set_params"]["key"] == "External", result["set_params"]
    assert out.shape == mix.shape and np.all(np.isfinite(out))
    diff = max_abs_diff(out, mix)
    print(f"{result['set_params']}: max abs diff {diff:.3g}, gain {gain_db(out, mix):.3f} dB")
    assert diff <= 1e-4, f"silent key should leave the signal alone; max abs diff {diff:.3g}, gain {gain_db(out, mix):.2f} dB"
