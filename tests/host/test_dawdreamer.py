"""The built VST3 bundles in DawDreamer (JUCE-based, scriptable graph host).

DawDreamer can route a real sidechain: the graph [(main, []), (key, []), (plugin, ["main", "key"])] feeds
the plugin's aux bus. It does not compensate latency. Parameters are set by their displayed value (the worker
bisects the normalized value until the host shows the wanted text). Every plugin call runs in a child process.
"""

import numpy as np
import pytest

from hostlib import (COMPRESSING, DISPLAY_NAMES, SR, UNCONNECTED_SIDECHAIN_GRAPHS, best_lag, dawdreamer_render,
                     gain_db, max_abs_diff, rms, run_job, stem_sum_figures)


def dd(tmp_path, bundle, name, main, key=None, params=None, graph="main+key", block=512, timeout=180):
    return dawdreamer_render(tmp_path, bundle, name, main, key, params, graph, block, timeout)


def test_loads_with_sidechain_inputs(vst3_bundle, tmp_path):
    """DawDreamer loads every bundle; it sees stereo out and at least stereo in."""
    result, _ = run_job(tmp_path, {"host": "dawdreamer", "op": "describe", "bundle": str(vst3_bundle)})
    assert result["num_outputs"] == 2, result
    assert result["num_inputs"] >= 2, result
    assert result["params"], "no parameters"


def test_bus_compressor_layout_and_parameters(bus_compressor_vst3, tmp_path):
    """Main stereo + stereo sidechain = 4 inputs, 2 outputs; all parameters present by display name."""
    result, _ = run_job(tmp_path, {"host": "dawdreamer", "op": "describe", "bundle": str(bus_compressor_vst3)})
    assert (result["num_inputs"], result["num_outputs"]) == (4, 2), result
    names = [p["name"] for p in result["params"]]
    missing = [n for n in DISPLAY_NAMES if n not in names]
    assert not missing, f"missing parameters {missing}; DawDreamer sees {names}"
    extra = [n for n in names if n not in DISPLAY_NAMES]
    assert not extra, f"unexpected parameters {extra}"
    assert result["latency"] == 0, f"default latency {result['latency']} (Lookahead defaults to 0)"


def _gated_key(n, loud=0.5, period_s=1.0):
    """300 Hz sine, silent in the first half of every period and loud in the second half."""
    t = np.arange(n) / SR
    on = (t % period_s) >= period_s / 2
    sig = loud * np.sin(2 * np.pi * 300.0 * t) * on
    return np.stack([sig, sig]).astype(np.float32), on


def _quiet_main(n, amp=0.01):
    t = np.arange(n) / SR
    sig = amp * np.sin(2 * np.pi * 1000.0 * t)
    return np.stack([sig, 0.8 * sig]).astype(np.float32)


SC_SETTINGS = {"Threshold": -30.0, "Ratio": 8.0, "Attack": 1.0, "Release": 50.0, "Knee": 0.0, "Lookahead": 0.0}


def _segment_gains(out, main, n):
    """Per half-second segment: (key_loud, gain dB) measured over the settled part of the segment."""
    seg = SR // 2
    gains = []
    for k in range(n // seg):
        a, b = k * seg + int(0.2 * SR), (k + 1) * seg
        gains.append((k % 2 == 1, gain_db(out[:, a:b], main[:, a:b])))
    return gains


def test_external_key_gain_follows_sidechain(bus_compressor_vst3, tmp_path):
    """Key External: a quiet main (-40 dBFS, below threshold) is turned down while the key is loud
    (-6 dBFS, 24 dB over threshold, ratio 8) and recovers while the key is silent."""
    n = 3 * SR
    main = _quiet_main(n)
    key, _ = _gated_key(n)
    result, out = dd(tmp_path, bus_compressor_vst3, "ext", main, key, dict(SC_SETTINGS, Key="External"))
    gains = _segment_gains(out, main, n)
    report = ", ".join(f"{'loud' if l else 'silent'} {g:+.1f} dB" for l, g in gains)
    print(f"params {result['set_params']}; segment gains: {report}")
    for loud, g in gains:
        if loud:
            assert g < -10.0, f"no gain reduction while the key is loud: {report} (params {result['set_params']})"
        else:
            assert g > -1.0, f"gain did not recover while the key is silent: {report}"


def test_internal_key_ignores_sidechain(bus_compressor_vst3, tmp_path):
    """Key Internal: the loud key changes nothing; the quiet main passes at unity."""
    n = 3 * SR
    main = _quiet_main(n)
    key, _ = _gated_key(n)
    _, out_loud = dd(tmp_path, bus_compressor_vst3, "int-loud", main, key, dict(SC_SETTINGS, Key="Internal"))
    _, out_silent = dd(
        tmp_path, bus_compressor_vst3, "int-silent", main, np.zeros_like(key), dict(SC_SETTINGS, Key="Internal")
    )
    gains = _segment_gains(out_loud, main, n)
    print(f"segment gains {gains}")
    assert all(abs(g) < 0.5 for _, g in gains), f"internal key: gains {gains}"
    d = max_abs_diff(out_loud, out_silent)
    assert d <= 1e-6, f"internal key: output depends on the sidechain (max abs diff {d:.3g})"


def test_latency_is_reported_and_not_compensated(bus_compressor_vst3, stems, tmp_path):
    """Lookahead 5 ms at 48 kHz: reported latency 240 samples, and the output (threshold 0 dB, ratio 1)
    is exactly the input delayed by 240 samples (DawDreamer does not compensate)."""
    drums = stems["drums"]
    params = {"Threshold": 0.0, "Ratio": 1.0, "Lookahead": 5.0}
    result, out = dd(tmp_path, bus_compressor_vst3, "latency", drums, drums, params)
    assert result["latency"] == 240, f"reported latency {result['latency']}, expected 240 ({result['set_params']})"
    lag = best_lag(out, drums)
    print(f"params {result['set_params']}; reported latency {result['latency']}, measured delay {lag}")
    assert lag == 240, f"measured delay {lag} samples, reported {result['latency']}"
    L = 240
    head = float(np.max(np.abs(out[:, :L])))
    d = max_abs_diff(out[:, L:], drums[:, :-L])
    assert head <= 1e-6, f"first {L} samples should be silent, max {head:.3g}"
    assert d <= 1e-5, f"output is not the delayed input: max abs diff {d:.3g}"


@pytest.mark.parametrize("stem_block,mix_block", [(512, 128), (256, 1000)])
def test_stem_sum_invariant(bus_compressor_vst3, stems, tmp_path, stem_block, mix_block):
    """Key External with the mix M as key everywhere: sum_i process(S_i) == process(M), within 1e-5,
    with different block partitions for the stems and the mix; and the mix really got compressed."""
    params = dict(COMPRESSING, Key="External")
    result, g, d = stem_sum_figures(tmp_path, bus_compressor_vst3, stems, params, stem_block, mix_block)
    print(f"params {result['set_params']}; mix gain {g:.2f} dB; stem-sum residual {d:.3g}")
    assert g < -1.0, f"mix only changed by {g:.2f} dB: no real gain reduction ({result['set_params']})"
    assert d <= 1e-5, f"stem sum differs from processed mix: max abs diff {d:.3g} ({20 * np.log10(d):.1f} dBFS)"


@pytest.mark.parametrize("graph", UNCONNECTED_SIDECHAIN_GRAPHS)
@pytest.mark.parametrize("key", ["Internal", "External"])
def test_unconnected_sidechain_does_not_crash(bus_compressor_vst3, stems, tmp_path, graph, key):
    """Only the main input connected (optionally with the aux buses disabled by the host): no crash,
    finite output; with Key Internal it still compresses."""
    mix = stems["mix"]
    result, out = dd(tmp_path, bus_compressor_vst3, f"{graph}-{key}", mix, None, dict(COMPRESSING, Key=key), graph=graph)
    if key == "Internal":
        g = gain_db(out, mix)
        assert g < -1.0, f"main-only, key internal: no compression ({g:.2f} dB)"
    else:
        assert rms(out) > 0.1 * rms(mix), "output nearly silent"
