"""The Stem Null Check VST3 (stereo main = the stem bus, stereo aux "Sidechain" = the reference mix) in DawDreamer
and pedalboard.

DawDreamer routes the reference through its graph [(main, []), (key, []), (plugin, ["main", "key"])] and sets
parameters by their displayed value; after the render the worker saves the plugin's state (`save_state`) and
decodes the nice-plug JSON in it, so the measurement the plugin keeps since the last reset (the persisted fields
`null-*`, JSON-encoded strings) is read back from a real host. DawDreamer resets the plugin at the start of every
render, so that measurement covers exactly the rendered audio. pedalboard cannot route a sidechain: the aux bus
is fed silence, so the reference reads as silence there.

The audio is testdata/stems-a (3 s of "Song A", 48 kHz, 24-bit): the four stems summed in float32 (the stem bus)
equal mix.wav bit for bit. Every plugin call runs in a child process (worker.py).
"""

import json

import numpy as np
import pytest

from hostlib import (UNCONNECTED_SIDECHAIN_GRAPHS, assert_exact_parameter_set, db, dawdreamer_render, delayed,
                     max_abs_diff, pedalboard_describe, pedalboard_process, rms, run_job, stem_bus)

# Display name -> pedalboard's Python name (no units: the three are choices or a switch).
STEM_NULL_PEDALBOARD_NAMES = {"Output": "output", "Headroom": "headroom", "Bypass": "bypass"}
OUTPUTS = ["Stems", "Reference", "Difference"]
# The stem bus comes this many samples after the mix in the "late" cases.
LATE = 128
# A null: the Difference output of the stem bus against the mix (bit-identical here) stays below this peak.
NULL_PEAK = 1e-6
# The plugin's verdict thresholds (shared-dsp/src/null_verdict.rs): a residual this far under the reference is
# a null; alignments correlating this well are the same music, and level ratios within GAIN_TOLERANCE_DB are
# not reported as a gain mismatch.
NULL_DEPTH_DB, SAME_MUSIC, GAIN_TOLERANCE_DB = -60.0, 0.99, 0.05
# What the plugin stores for silence (shared_dsp::units::SILENCE_DB).
SILENCE_DBFS = -200.0


class Saved:
    """The since-reset measurement from a saved state: the `null-*` fields (JSON-encoded strings)."""

    def __init__(self, result):
        assert "state" in result, f"no state in the worker's result: {sorted(result)}"
        self.fields = result["state"]["fields"]
        self.params = result["state"]["params"]
        missing = [k for k in ("null-aligned", "null-offset-samples", "null-correlation", "null-level-ratio-db",
                               "null-difference-rms-dbfs", "null-reference-rms-dbfs", "null-stems-rms-dbfs",
                               "null-stems-peak-dbfs", "null-difference-peak-dbfs") if k not in self.fields]
        assert not missing, f"state fields {missing} missing: {self.fields}"

    def __getitem__(self, key):
        return json.loads(self.fields[key])

    @property
    def residual_db(self):
        """Residual RMS relative to the reference's, dB."""
        return self["null-difference-rms-dbfs"] - self["null-reference-rms-dbfs"]

    def __str__(self):
        keys = ("aligned", "offset-samples", "correlation", "gain", "level-ratio-db", "stems-rms-dbfs",
                "stems-peak-dbfs", "reference-rms-dbfs", "difference-rms-dbfs", "difference-peak-dbfs", "updates")
        return ", ".join(f"{k} {self.fields.get('null-' + k)}" for k in keys)


def dd(tmp_path, bundle, name, main, key, params, graph="main+key", block=512):
    """A DawDreamer render with the state read back: (result, output, Saved)."""
    result, out = dawdreamer_render(tmp_path, bundle, name, main, key, params, graph=graph, block=block, state=True)
    saved = Saved(result)
    print(f"{name}: {result['set_params']}; latency {result['latency']}; saved: {saved}")
    return result, out, saved


# ---------------------------------------------------------------------------------------------- DawDreamer


def test_stem_null_dawdreamer_layout_and_parameters(stem_null_vst3, tmp_path):
    """Main stereo + stereo sidechain = 4 inputs, 2 outputs; the parameters Output, Headroom and Bypass, nothing
    else; no latency."""
    result, _ = run_job(tmp_path, {"host": "dawdreamer", "op": "describe", "bundle": str(stem_null_vst3)})
    names = [p["name"] for p in result["params"]]
    print(f"inputs {result['num_inputs']}, outputs {result['num_outputs']}, latency {result['latency']}, {names}")
    assert (result["num_inputs"], result["num_outputs"]) == (4, 2), result
    assert names == list(STEM_NULL_PEDALBOARD_NAMES), names
    assert result["latency"] == 0, result["latency"]


@pytest.mark.parametrize("block", [512, 1000])
def test_stem_null_dawdreamer_stems_null_against_the_mix(stem_null_vst3, stems, tmp_path, block):
    """The stem bus on the main input, mix.wav on the sidechain, Output Difference: the output is silence (peak
    below 1e-6), and the saved measurement says so: a residual more than 120 dB under the mix, aligned at offset
    0 with correlation > 0.999 and no level mismatch. At 512- and 1000-sample blocks."""
    bus, mix = stem_bus(stems), stems["mix"]
    result, out, saved = dd(tmp_path, stem_null_vst3, "null", bus, mix, {"Output": "Difference"}, block=block)
    peak = float(np.max(np.abs(out)))
    print(f"block {block}: Difference output peak {peak:.3g} ({db(peak):.1f} dBFS); residual {saved.residual_db:.1f} dB")
    assert result["set_params"] == {"Output": "Difference"}, result["set_params"]
    assert result["latency"] == 0, result["latency"]
    assert peak < NULL_PEAK, f"the stems do not null against the mix: Difference peak {peak:.3g}"
    assert saved.residual_db < -120.0, f"saved residual {saved.residual_db:.1f} dB relative ({saved})"
    assert saved["null-aligned"] is True and saved["null-offset-samples"] == 0, str(saved)
    assert saved["null-correlation"] > 0.999 and abs(saved["null-level-ratio-db"]) < GAIN_TOLERANCE_DB, str(saved)
    assert saved["null-stems-rms-dbfs"] > -40.0, f"the plugin measured no stems: {saved}"


@pytest.mark.parametrize("output", OUTPUTS)
def test_stem_null_dawdreamer_stems_late_by_128(stem_null_vst3, stems, tmp_path, output):
    """The stem bus 128 samples late against the mix on the sidechain, for each Output: Stems returns the main
    input and Reference the sidechain, bit for bit; Difference is (late stems - mix), bit for bit, and clearly
    not silent (its RMS within 20 dB of the mix's). Whatever the output, the saved measurement finds the offset:
    aligned, null-offset-samples 128, correlation > 0.99, |level ratio| < 0.05 dB and a residual above -60 dB,
    the conditions under which the plugin's verdict (null_verdict::judge) reads exactly
    "Stems late by 128 samples"."""
    mix = stems["mix"]
    late = delayed(stem_bus(stems), LATE)
    result, out, saved = dd(tmp_path, stem_null_vst3, f"late-{output}", late, mix, {"Output": output})
    want = {"Stems": late, "Reference": mix, "Difference": late - mix}[output]
    d = max_abs_diff(out, want)
    level = db(rms(out)) - db(rms(mix))
    print(f"Output {output}: max abs diff to the expected output {d:.3g}; output RMS {level:+.1f} dB re the mix")
    assert result["set_params"] == {"Output": output}, result["set_params"]
    assert d == 0.0, f"Output {output} is not what it should be (max abs diff {d:.3g})"
    if output == "Difference":
        assert level > -20.0, f"128 samples late, the Difference is only {level:+.1f} dB re the mix"
    assert saved["null-aligned"] is True, str(saved)
    assert saved["null-offset-samples"] == LATE, f"saved offset {saved['null-offset-samples']}, expected {LATE}"
    assert saved["null-correlation"] > SAME_MUSIC, str(saved)
    assert abs(saved["null-level-ratio-db"]) < GAIN_TOLERANCE_DB, str(saved)
    assert saved.residual_db > NULL_DEPTH_DB, f"a 128-sample offset should not null: {saved}"


# Reference variants of the mix: (its gain, what the saved measurement must show).
MISMATCHES = {
    "inverted": (-1.0, lambda s: s["null-correlation"] < -0.999 and abs(s["null-level-ratio-db"]) < 0.005),
    "reference-1dB-louder": (10 ** (1 / 20), lambda s: s["null-correlation"] > 0.999
                             and abs(s["null-level-ratio-db"] - 1.0) < 0.005),
}


@pytest.mark.parametrize("case", list(MISMATCHES))
def test_stem_null_dawdreamer_polarity_and_gain(stem_null_vst3, stems, tmp_path, case):
    """The stem bus against the mix inverted, and against the mix 1 dB louder (Output Stems): the saved
    measurement is aligned at offset 0 with correlation < -0.999 and level ratio 0 dB ("Polarity inverted"), or
    correlation > 0.999 and level ratio 1.000 dB (+/- 0.005: "Reference 1.0 dB louder"); the stems pass."""
    gain, ok = MISMATCHES[case]
    bus = stem_bus(stems)
    reference = (stems["mix"] * np.float32(gain)).astype(np.float32)
    _, out, saved = dd(tmp_path, stem_null_vst3, case, bus, reference, {"Output": "Stems"})
    assert max_abs_diff(out, bus) == 0.0, "Output Stems changed the stems"
    assert saved["null-aligned"] is True and saved["null-offset-samples"] == 0, str(saved)
    assert ok(saved), f"{case}: {saved}"
    assert saved.residual_db > NULL_DEPTH_DB, str(saved)


def test_stem_null_dawdreamer_bypass_passes_the_stems(stem_null_vst3, stems, tmp_path):
    """Bypass On with Output Difference: the stems pass bit for bit (and the measurement goes on: offset 128)."""
    late, mix = delayed(stem_bus(stems), LATE), stems["mix"]
    result, out, saved = dd(tmp_path, stem_null_vst3, "bypass", late, mix, {"Output": "Difference", "Bypass": True})
    assert result["set_params"] == {"Output": "Difference", "Bypass": "On"}, result["set_params"]
    assert max_abs_diff(out, late) == 0.0, "bypass did not pass the stems"
    assert saved["null-offset-samples"] == LATE, str(saved)


@pytest.mark.parametrize("graph", UNCONNECTED_SIDECHAIN_GRAPHS)
def test_stem_null_dawdreamer_unconnected_sidechain(stem_null_vst3, stems, tmp_path, graph):
    """Only the main input connected (and, in the second graph, the aux bus disabled by the host: nice-plug
    defect 2, a strict xfail): no crash, and the reference reads as silence: Output Difference is the stem bus
    bit for bit, and the saved reference level is silence (the verdict: "No reference on the sidechain")."""
    bus = stem_bus(stems)
    _, out, saved = dd(tmp_path, stem_null_vst3, graph, bus, None, {"Output": "Difference"}, graph=graph)
    assert max_abs_diff(out, bus) == 0.0, "stems minus an unconnected sidechain is not the stems"
    assert saved["null-reference-rms-dbfs"] <= SILENCE_DBFS and saved["null-stems-rms-dbfs"] > -40.0, str(saved)
    assert saved["null-aligned"] is False, str(saved)


# ---------------------------------------------------------------------------------------------- pedalboard


@pytest.fixture(scope="module")
def sn_describe(stem_null_vst3, tmp_path_factory):
    return pedalboard_describe(tmp_path_factory, stem_null_vst3, "stem-null")


def test_stem_null_pedalboard_parameter_set(sn_describe):
    """The Stem Null Check loads in pedalboard as an effect with Output (Stems, Reference, Difference), Headroom
    (-3 dBFS, -6 dBFS) and Bypass under their pedalboard names, nothing else (no persisted measurement field
    shows up as a parameter); defaults Stems and -3 dBFS; latency 0."""
    assert_exact_parameter_set(sn_describe, "Stem Null Check", STEM_NULL_PEDALBOARD_NAMES)
    p = sn_describe["params"]
    assert p["output"].get("valid_values") == OUTPUTS, p["output"]
    assert p["headroom"].get("valid_values") == ["-3 dBFS", "-6 dBFS"], p["headroom"]
    assert (p["output"]["string_value"], p["headroom"]["string_value"]) == ("Stems", "-3 dBFS"), p
    assert sn_describe["latency"] == 0, sn_describe["latency"]


# Output -> what pedalboard (silent sidechain) must return for the stem bus x.
PB_OUTPUTS = {
    "Stems": lambda x: x,
    "Difference": lambda x: x,  # the stems minus a silent reference
    "Reference": np.zeros_like,
}


@pytest.mark.parametrize("output", list(PB_OUTPUTS))
def test_stem_null_pedalboard_outputs_without_sidechain(stem_null_vst3, stems, tmp_path, output):
    """The stem bus through pedalboard (no sidechain: the aux bus is silent): Output Stems passes it bit for
    bit, Difference (stems minus silence) too, Reference is silence; the right shape, no NaN/inf, latency 0."""
    bus = stem_bus(stems)
    result, out = pedalboard_process(tmp_path, stem_null_vst3, output, bus, {"output": output})
    assert result["set_params"] == {"output": output}, result["set_params"]
    assert out is not None and out.shape == bus.shape, getattr(out, "shape", None)
    assert np.all(np.isfinite(out)), f"Output {output}: NaN/inf in the output"
    d = max_abs_diff(out, PB_OUTPUTS[output](bus))
    print(f"Output {output}: latency {result['latency']}, max abs diff to the expected output {d:.3g}")
    assert d == 0.0, f"Output {output}: max abs diff {d:.3g} to the expected output"
    assert result["latency"] == 0, result["latency"]


def test_stem_null_pedalboard_garbage_input_is_silenced(stem_null_vst3, stems, tmp_path):
    """NaN, +-inf and a +80 dBFS sample in the stem bus (Output Difference, no sidechain): the output is finite;
    those samples come out as 0 and every other sample unchanged."""
    bus = stem_bus(stems)
    dirty = bus.copy()
    bad = {(0, 1000): np.nan, (1, 20000): np.inf, (0, 70000): -np.inf, (1, 100000): 1e4}
    for (c, i), v in bad.items():
        dirty[c, i] = v
    result, out = pedalboard_process(tmp_path, stem_null_vst3, "garbage", dirty, {"output": "Difference"})
    assert out is not None and out.shape == bus.shape, getattr(out, "shape", None)
    assert np.all(np.isfinite(out)), f"{int(np.sum(~np.isfinite(out)))} NaN/inf samples in the output"
    want = bus.copy()
    for c, i in bad:
        want[c, i] = 0.0
    d = max_abs_diff(out, want)
    print(f"garbage in: max abs diff to the cleaned input {d:.3g}")
    assert d == 0.0, f"the output is not the input with the garbage samples silenced (max abs diff {d:.3g})"
