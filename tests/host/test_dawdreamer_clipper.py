"""The Stem Transient Clipper VST3 in DawDreamer's graph (JUCE-based, scriptable host).

The graph is [(playback, []), (clipper, ["main"])], stereo. DawDreamer does not compensate latency, so the
output is the input delayed by what the plugin reports; DawDreamer exposes that as get_latency_samples().
Parameters are set by their displayed value (worker.py bisects). Every plugin call runs in a child process.
"""

import numpy as np
import pytest

from hostlib import dawdreamer_render, db, impulse_delays, run_job, stereo_impulse

DISPLAY_NAMES = [
    "Drive", "Ceiling", "Output", "Mix", "Curve", "Softness", "Oversampling", "Filter", "Transient Only",
    "Stereo Link", "Safety Clip", "Delta", "Bypass",
]
CEILING_DB = -6.0


def dd(tmp_path, bundle, name, main, params):
    return dawdreamer_render(tmp_path, bundle, name, main, params=params, graph="main-only")


def test_clipper_stereo_layout_and_parameters(transient_clipper_vst3, tmp_path):
    """Stereo in, stereo out (no sidechain); every parameter by its display name and nothing else."""
    result, _ = run_job(tmp_path, {"host": "dawdreamer", "op": "describe", "bundle": str(transient_clipper_vst3)})
    names = [p["name"] for p in result["params"]]
    print(f"inputs {result['num_inputs']}, outputs {result['num_outputs']}, latency {result['latency']}, {names}")
    assert (result["num_inputs"], result["num_outputs"]) == (2, 2), result
    assert sorted(names) == sorted(DISPLAY_NAMES), f"DawDreamer sees {names}, expected {DISPLAY_NAMES}"


SAFETY_CASES = {
    "defaults": {},
    "output+12-hard-16x-minimum": {"Output": 12.0, "Curve": "Hard", "Softness": 0.0, "Oversampling": "16x",
                                   "Filter": "Minimum Phase"},
    "linked-transient-only": {"Stereo Link": 100.0, "Transient Only": 100.0, "Curve": "Sine", "Oversampling": "2x"},
}


@pytest.mark.parametrize("case", list(SAFETY_CASES))
def test_clipper_safety_clip_holds_the_ceiling_stereo(transient_clipper_vst3, stems, tmp_path, case):
    """Drive 12 dB into a -6 dBFS ceiling with Safety Clip on, on the stereo drum stem (other settings per
    case, including +12 dB of Output after the clipper): in both channels the driven hits go over the ceiling
    and no output sample does. The channels stay apart: each output channel correlates best with its own
    input channel (at the reported latency)."""
    drums = stems["drums"].astype(np.float64)
    params = dict({"Drive": 12.0, "Ceiling": CEILING_DB, "Safety Clip": True}, **SAFETY_CASES[case])
    result, out = dd(tmp_path, transient_clipper_vst3, case, stems["drums"], params)
    out = out.astype(np.float64)
    limit = 10.0 ** (CEILING_DB / 20.0)
    driven = np.max(np.abs(drums), axis=1) * 10.0 ** (12.0 / 20.0)
    peaks = np.max(np.abs(out), axis=1)
    over = np.sum(np.abs(out) > limit, axis=1)
    L = result["latency"]
    n = drums.shape[1] - L
    corr = np.corrcoef(np.vstack([out[:, L:], drums[:, :n]]))[:2, 2:]  # [output ch, input ch]
    driven_db = [round(float(db(x)), 2) for x in driven]
    peaks_db = [round(float(db(x)), 4) for x in peaks]
    print(f"{case}: {result['set_params']}; latency {L}; input x drive peaks {driven_db} dBFS; output peaks "
          f"{peaks_db} dBFS (limit {limit:.9f}, got {peaks.tolist()}); samples over {over.tolist()}; "
          f"correlation out/in {corr.round(3).tolist()}")
    assert np.all(driven > limit), f"the hits never went over the ceiling: {driven_db} dBFS"
    assert np.all(over == 0) and np.all(peaks <= limit), (
        f"{case}: output samples above the {CEILING_DB} dBFS ceiling: {over.tolist()}, peaks {peaks_db} dBFS"
    )
    assert np.all(peaks >= 10.0 ** ((CEILING_DB - 1.0) / 20.0)), f"{case}: output not driven to the ceiling: {peaks}"
    assert corr[0, 0] > corr[0, 1] and corr[1, 1] > corr[1, 0], f"{case}: channels swapped or mixed: {corr}"


FACTORS = ["Off", "2x", "4x", "8x", "16x"]
PHASES = ["Linear Phase", "Minimum Phase"]


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("factor", FACTORS)
def test_clipper_reported_latency_is_the_impulse_argmax(transient_clipper_vst3, tmp_path, factor, phase):
    """Drive 0 dB, Ceiling 0 dBFS (a 0.25 impulse stays below the knee): the latency DawDreamer reads from the
    plugin equals argmax|out| - argmax|in| in both channels; Off reports 0. DawDreamer does not compensate, so
    this is the delay a host must make up for."""
    imp = stereo_impulse()  # the right channel's impulse comes 7 samples later, inverted
    params = {"Drive": 0.0, "Ceiling": 0.0, "Oversampling": factor, "Filter": phase}
    result, out = dd(tmp_path, transient_clipper_vst3, "impulse", imp, params)
    got = result["set_params"]
    assert (got["Oversampling"], got["Filter"]) == (factor, phase), got
    measured = impulse_delays(out, imp)
    print(f"{factor} {phase}: reported {result['latency']}, impulse argmax delay {measured}, "
          f"peaks {np.max(np.abs(out), axis=1).round(4).tolist()}")
    assert measured == [result["latency"]] * 2, f"reported latency {result['latency']}, impulse delay {measured}"
    if factor == "Off":
        assert result["latency"] == 0, f"Oversampling Off reported {result['latency']} samples"
    else:
        assert result["latency"] > 0
