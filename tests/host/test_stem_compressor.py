"""The Stem Compressor VST3 (stereo main + stereo aux "Sidechain") in pedalboard and DawDreamer.

pedalboard appends unit labels to parameter names (Threshold -> threshold_db), compensates the latency the
plugin reports and feeds a silent sidechain. DawDreamer routes a real sidechain through its graph
[(main, []), (key, []), (plugin, ["main", "key"])], sets parameters by their displayed value and does not
compensate latency: its output is the input delayed by what the plugin reports (Broadband: the lookahead in
samples; Unmask: the FFT size - 1). Every plugin call runs in a child process (worker.py). The audio is
testdata/stems-a (3 s of "Song A": drums, bass, keys, vocals and their exact sum, the mix).

The 5.1 variant is CLAP-only and not tested here: nice-plug 0.4.2's VST3 wrapper crashed in pedalboard while
the bundle declared a 5.1 layout, so the VST3 declares stereo only, and pedalboard must refuse a 6-channel
buffer with an error (no crash).
"""

import numpy as np
import pytest

from hostlib import (COMPRESSING, PEDALBOARD_NAMES, SR, UNCONNECTED_SIDECHAIN_GRAPHS, assert_exact_parameter_set,
                     band_energies, dawdreamer_render, frame_levels_db, gain_db, impulse_delays, max_abs_diff,
                     pedalboard_describe, pedalboard_process, rms, run_job, stem_sum_figures, stereo_impulse)

# Stem Compressor display name -> pedalboard's Python name: every Bus Compressor parameter, and nine more.
STEM_COMPRESSOR_PEDALBOARD_NAMES = dict(
    PEDALBOARD_NAMES,
    **{"Stem": "stem", "Mode": "mode", "Resolution": "resolution", "Range": "range_db", "Auto Makeup": "auto_makeup",
       "Channels": "channels", "Key Blend": "key_blend", "Delta": "delta", "LFE": "lfe"},
)
DISPLAY_NAMES = list(STEM_COMPRESSOR_PEDALBOARD_NAMES)

# Compressing settings of the stem-sum invariant (DawDreamer display names): the hostlib ones plus Range 18 dB.
SUM_SETTINGS = dict(COMPRESSING, Range=18.0, Key="External")
# The FFT sizes of Unmask's Resolution and the latency each reports (N - 1).
UNMASK_LATENCY = {"1024": 1023, "2048": 2047, "4096": 4095}


def _delay_residual(out, inp, latency):
    """(max |out| over the first `latency` samples, max |out - inp delayed by latency| after them)."""
    head = float(np.max(np.abs(out[:, :latency]))) if latency else 0.0
    return head, max_abs_diff(out[:, latency:], inp[:, : inp.shape[1] - latency])


# ---------------------------------------------------------------------------------------------- pedalboard


@pytest.fixture(scope="module")
def sc_describe(stem_compressor_vst3, tmp_path_factory):
    return pedalboard_describe(tmp_path_factory, stem_compressor_vst3, "stem-compressor")


def test_stem_compressor_pedalboard_parameter_set(sc_describe):
    """The Stem Compressor loads in pedalboard as an effect; every parameter is there under its pedalboard name,
    nothing else (the persisted editor size is no parameter), with the Stem choices in the documented order."""
    assert_exact_parameter_set(sc_describe, "Stem Compressor", STEM_COMPRESSOR_PEDALBOARD_NAMES)
    stems = sc_describe["params"]["stem"].get("valid_values")
    assert stems == ["Drums", "Bass", "Percussion", "Guitars", "Keys", "Lead Vocal", "Backing Vocals", "FX",
                     "Dialogue", "Music", "Effects", "Full Mix"], stems
    assert sc_describe["latency"] == 0, f"default latency {sc_describe['latency']} (Broadband, Lookahead 0)"


def test_stem_compressor_pedalboard_unmask_silent_key_is_the_delayed_input(stem_compressor_vst3, stems, tmp_path):
    """Unmask at Resolution 2048 with Key External: the plugin reports 2047 samples. pedalboard has no sidechain
    (the aux bus is silent), so nothing is reduced and the plugin's output is the input delayed by 2047 samples;
    pedalboard compensates the reported latency, so what it returns nulls against the input (<= 1e-5). A wrong
    report (or a delay other than the report) would leave the output shifted against the input."""
    mix = stems["mix"]
    params = {"mode": "Unmask", "resolution": 2048, "key": "External", "threshold_db": -50.0, "ratio": 4.0}
    result, out = pedalboard_process(tmp_path, stem_compressor_vst3, "unmask", mix, params)
    assert result["set_params"] == {"mode": "Unmask", "resolution": "2048", "key": "External",
                                    "threshold_db": "-50.0", "ratio": "4.0"}, result["set_params"]
    assert out is not None and out.shape == mix.shape and np.all(np.isfinite(out)), getattr(out, "shape", None)
    diff = max_abs_diff(out, mix)
    print(f"{result['set_params']}: latency {result['latency']}, max abs diff to the input after pedalboard's "
          f"compensation {diff:.3g}")
    assert result["latency"] == 2047, f"Unmask 2048 reported {result['latency']} samples, expected 2047"
    assert diff <= 1e-5, f"silent key: output is not the input delayed by 2047 samples (max abs diff {diff:.3g})"


def test_stem_compressor_pedalboard_broadband_drums_are_quieter(stem_compressor_vst3, stems, tmp_path):
    """Broadband on the drum stem (Stem Drums, Key Internal) with compressing settings (Threshold -30 dB,
    Ratio 4, Attack 5 ms, Release 100 ms, Lookahead 2 ms): finite output of the right shape, more than 1 dB
    quieter; the 2 ms lookahead reports 96 samples."""
    drums = stems["drums"]
    params = {"stem": "Drums", "mode": "Broadband", "threshold_db": -30.0, "ratio": 4.0, "attack_ms": 5.0,
              "release_ms": 100.0, "lookahead_ms": 2.0}
    result, out = pedalboard_process(tmp_path, stem_compressor_vst3, "drums", drums, params)
    assert out is not None and out.shape == drums.shape and np.all(np.isfinite(out)), getattr(out, "shape", None)
    g = gain_db(out, drums)
    print(f"{result['set_params']}: latency {result['latency']}, gain {g:+.2f} dB")
    assert result["set_params"]["stem"] == "Drums" and result["set_params"]["mode"] == "Broadband", result
    assert result["latency"] == 96, f"Lookahead 2 ms reported {result['latency']} samples, expected 96"
    assert g < -1.0, f"compressing settings changed the drums by only {g:+.2f} dB"


def test_stem_compressor_pedalboard_refuses_six_channels(stem_compressor_vst3, stems, tmp_path):
    """A 6-channel (5.1-sized) buffer: the VST3 declares stereo only, so pedalboard refuses it with an error
    and the host process survives (no crash). This is why 5.1 is CLAP-only: while the VST3 declared a 5.1
    layout, nice-plug 0.4.2's wrapper crashed in pedalboard."""
    six = np.vstack([stems["drums"], stems["bass"], stems["keys"]])
    result, out = pedalboard_process(tmp_path, stem_compressor_vst3, "six", six, catch_errors=True)
    print(f"6 channels: {result.get('error')!r}")
    assert "error" in result, f"pedalboard processed a 6-channel buffer: output shape {getattr(out, 'shape', None)}"
    assert "6-channel" in result["error"] and "2 input channels" in result["error"], result["error"]


# ---------------------------------------------------------------------------------------------- DawDreamer


def test_stem_compressor_dawdreamer_layout_and_parameters(stem_compressor_vst3, tmp_path):
    """Main stereo + stereo sidechain = 4 inputs, 2 outputs; every parameter by its display name, nothing else;
    latency 0 at the defaults."""
    result, _ = run_job(tmp_path, {"host": "dawdreamer", "op": "describe", "bundle": str(stem_compressor_vst3)})
    names = [p["name"] for p in result["params"]]
    print(f"inputs {result['num_inputs']}, outputs {result['num_outputs']}, latency {result['latency']}, {names}")
    assert (result["num_inputs"], result["num_outputs"]) == (4, 2), result
    assert sorted(names) == sorted(DISPLAY_NAMES), f"DawDreamer sees {names}, expected {DISPLAY_NAMES}"
    assert result["latency"] == 0, result["latency"]


@pytest.mark.parametrize("mode", ["Broadband", "Unmask"])
def test_stem_compressor_stem_sum_invariant(stem_compressor_vst3, stems, tmp_path, mode):
    """Key External with the mix M on every instance's sidechain: sum_i process(S_i) == process(M) within 1e-5
    (the stems at 512-sample blocks, the mix at 1000), in Broadband and in Unmask (Resolution 2048): Threshold
    -30 dB, Ratio 4, Attack 5 ms, Release 100 ms, Lookahead 2 ms, Range 18 dB. The mix really got reduced."""
    params = dict(SUM_SETTINGS, Mode=mode, Resolution="2048")
    result, g, d = stem_sum_figures(tmp_path, stem_compressor_vst3, stems, params, 512, 1000)
    print(f"{mode}: {result['set_params']}; latency {result['latency']}; mix gain {g:+.2f} dB; "
          f"stem-sum residual {d:.3g}")
    assert result["set_params"]["Mode"] == mode, result["set_params"]
    assert g < -1.0, f"{mode}: the mix only changed by {g:+.2f} dB: no real reduction"
    assert d <= 1e-5, f"{mode}: stem sum differs from the processed mix by up to {d:.3g}"


# Unmask of the keys, keyed by the vocal (DawDreamer display names).
UNMASK_SONG = {"Mode": "Unmask", "Key": "External", "Threshold": -50.0, "Ratio": 4.0, "Range": 9.0,
               "Attack": 10.0, "Release": 150.0}
# Measurement: 4096-sample Hann frames every 1024 (11.7 Hz bins, so the low third octaves hold bins); a frame is
# "during the vocal" when the vocal's frame level is above -40 dBFS.
SONG_FRAME, SONG_HOP, SINGING_DB = 4096, 1024, -40.0
# A band where the vocal is strong: its level at least 15 dB over the threshold; with no vocal energy: the band
# and both neighbours at least 20 dB under it (Unmask interpolates the gains between neighbouring band
# centres, so a band next to a reduced one is partly reduced).
STRONG_OVER_DB, SILENT_UNDER_DB = 15.0, 20.0


def _third_octaves(frame, sr=SR):
    """ISO third-octave bands (lo, hi, centre) from 25 Hz below Nyquist that hold at least one bin of `frame`."""
    bands = []
    for k in range(-16, 14):
        c = 1000.0 * 10.0 ** (k / 10.0)
        lo, hi = c * 10 ** -0.05, c * 10 ** 0.05
        if np.floor(hi * frame / sr) >= np.ceil(lo * frame / sr):
            bands.append((lo, hi, c))
    return bands


def test_stem_compressor_unmask_keys_under_the_vocal(stem_compressor_vst3, stems, tmp_path):
    """Unmask (Resolution 2048) on the keys stem with the vocal stem on the sidechain: Key External, Threshold
    -50 dB, Ratio 4, Range 9 dB, Attack 10 ms, Release 150 ms. During the vocal, every third-octave band where the
    vocal is strong loses at least 3 dB of keys, and every band where the vocal has no energy changes by at most
    0.5 dB. The vocal's band level is measured as Unmask does (mean square summed over both channels, in dBFS).
    DawDreamer does not compensate the 2047 samples of latency: output frames are taken 2047 samples later."""
    keys, vocal = stems["keys"], stems["vocals"]
    result, out = dawdreamer_render(tmp_path, stem_compressor_vst3, "keys-under-vocal", keys, vocal, UNMASK_SONG)
    L = result["latency"]
    assert L == 2047, f"Unmask 2048 reported {L} samples, expected 2047 ({result['set_params']})"
    bands = _third_octaves(SONG_FRAME)
    edges = [(lo, hi) for lo, hi, _ in bands]
    frames = (keys.shape[1] - L - SONG_FRAME) // SONG_HOP + 1
    k_in = band_energies(keys, edges, frame=SONG_FRAME, hop=SONG_HOP, frames=frames)
    k_out = band_energies(out, edges, frame=SONG_FRAME, hop=SONG_HOP, offset=L, frames=frames)
    v = band_energies(vocal, edges, frame=SONG_FRAME, hop=SONG_HOP, frames=frames)
    singing = frame_levels_db(vocal, SONG_FRAME, SONG_HOP, frames) > SINGING_DB
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(SONG_FRAME) / SONG_FRAME)
    to_ms = 2.0 / (SONG_FRAME * np.sum(window**2))  # band energy -> mean square (one-sided spectrum)
    vocal_db = 10 * np.log10(np.maximum(v[:, singing].mean(axis=1) * to_ms, 1e-30))
    keys_db = 10 * np.log10(np.maximum(k_in[:, singing].mean(axis=1) * to_ms, 1e-30))
    change_db = 10 * np.log10(k_out[:, singing].sum(axis=1) / k_in[:, singing].sum(axis=1))
    threshold = UNMASK_SONG["Threshold"]
    strong = vocal_db >= threshold + STRONG_OVER_DB
    quiet = vocal_db <= threshold - SILENT_UNDER_DB
    silent = quiet & np.r_[True, quiet[:-1]] & np.r_[quiet[1:], True]
    lines = [f"{c:7.0f} Hz: vocal {vd:7.1f} dBFS, keys {kd:7.1f} dBFS, keys change {ch:+6.2f} dB"
             f"{'  strong' if s else ''}{'  no vocal' if q else ''}"
             for (_, _, c), vd, kd, ch, s, q in zip(bands, vocal_db, keys_db, change_db, strong, silent)]
    print(f"{result['set_params']}; latency {L}; {int(singing.sum())} of {frames} frames during the vocal\n"
          + "\n".join(lines))
    assert singing.sum() >= 0.5 * frames, f"only {singing.sum()} of {frames} frames during the vocal"
    assert strong.sum() >= 5 and silent.sum() >= 3, (
        f"too few bands to judge: {strong.sum()} strong, {silent.sum()} without vocal")
    weak = [line for line, s, ch in zip(lines, strong, change_db) if s and ch > -3.0]
    assert not weak, "bands where the vocal is strong lost less than 3 dB of keys:\n" + "\n".join(weak)
    moved = [line for line, q, ch in zip(lines, silent, change_db) if q and abs(ch) > 0.5]
    assert not moved, "bands without vocal energy changed by more than 0.5 dB:\n" + "\n".join(moved)


LATENCY_CASES = {"Broadband-lookahead-5ms": ({"Mode": "Broadband", "Lookahead": 5.0}, 240)} | {
    f"Unmask-{n}": ({"Mode": "Unmask", "Resolution": n}, latency) for n, latency in UNMASK_LATENCY.items()
}


@pytest.mark.parametrize("case", list(LATENCY_CASES))
def test_stem_compressor_reported_latency_is_the_impulse_argmax(stem_compressor_vst3, tmp_path, case):
    """Threshold 0 dB, Ratio 1 (nothing reduced), a 0.25 impulse in each channel (the right one 7 samples later,
    inverted): the latency DawDreamer reads equals argmax|out| - argmax|in| in both channels and is the
    documented one: Broadband with Lookahead 5 ms 240 samples, Unmask FFT size - 1 (1023, 2047, 4095)."""
    settings, expected = LATENCY_CASES[case]
    imp = stereo_impulse(n=8192)
    params = dict(settings, Threshold=0.0, Ratio=1.0)
    result, out = dawdreamer_render(tmp_path, stem_compressor_vst3, "impulse", imp, params=params, graph="main-only")
    measured = impulse_delays(out, imp)
    print(f"{case}: {result['set_params']}; reported {result['latency']}, impulse argmax delay {measured}, "
          f"peaks {np.max(np.abs(out), axis=1).round(4).tolist()}")
    assert result["latency"] == expected, f"{case}: reported {result['latency']} samples, expected {expected}"
    assert measured == [expected] * 2, f"{case}: impulse delayed by {measured}, reported {result['latency']}"


@pytest.mark.parametrize("graph", UNCONNECTED_SIDECHAIN_GRAPHS)
@pytest.mark.parametrize("key", ["Internal", "External", "Blend"])
@pytest.mark.parametrize("mode", ["Broadband", "Unmask"])
def test_stem_compressor_unconnected_sidechain_does_not_crash(stem_compressor_vst3, stems, tmp_path, mode, key,
                                                              graph):
    """Only the main input connected (and, in the second graph, the aux bus disabled by the host): no crash,
    finite output. The unconnected sidechain reads as silence: with Key External nothing is reduced and the
    output is the input delayed by the latency (<= 1e-5); Broadband with Key Internal still compresses."""
    mix = stems["mix"]
    params = dict(SUM_SETTINGS, Mode=mode, Key=key)
    result, out = dawdreamer_render(tmp_path, stem_compressor_vst3, f"{graph}-{key}", mix, None, params, graph=graph)
    head, d = _delay_residual(out, mix, result["latency"])
    g = gain_db(out, mix)
    print(f"{graph}: {result['set_params']}; latency {result['latency']}; gain {g:+.2f} dB; "
          f"max abs diff to the delayed input {d:.3g}")
    assert rms(out) > 0.1 * rms(mix), f"output nearly silent ({g:+.2f} dB)"
    if key == "External":
        assert head <= 1e-6 and d <= 1e-5, f"silent key: not the delayed input (head {head:.3g}, diff {d:.3g})"
    if key == "Internal" and mode == "Broadband":
        assert g < -1.0, f"key internal: no compression ({g:+.2f} dB)"


@pytest.mark.parametrize("mode", ["Broadband", "Unmask"])
def test_stem_compressor_side_only_leaves_a_centred_signal(stem_compressor_vst3, stems, tmp_path, mode):
    """Channels "Side only" on a centred signal (L = R: the mix's left channel in both), keyed by the stereo mix
    (Key External, the compressing settings): the side is zero, so the output is the input delayed by the
    latency (<= 1e-6). With Channels "Stereo" the same settings reduce it by more than 1 dB (the key is active)."""
    mix = stems["mix"]
    centred = np.ascontiguousarray(np.vstack([mix[0], mix[0]]))
    params = dict(SUM_SETTINGS, Mode=mode)
    result, out = dawdreamer_render(tmp_path, stem_compressor_vst3, "side-only", centred, mix,
                                    dict(params, Channels="Side only"))
    _, stereo = dawdreamer_render(tmp_path, stem_compressor_vst3, "stereo", centred, mix,
                                  dict(params, Channels="Stereo"))
    head, d = _delay_residual(out, centred, result["latency"])
    g = gain_db(stereo, centred)
    print(f"{result['set_params']}; latency {result['latency']}; Side only: first samples {head:.3g}, max abs diff "
          f"to the delayed input {d:.3g}; Stereo: gain {g:+.2f} dB")
    assert result["set_params"]["Channels"] == "Side only", result["set_params"]
    assert head <= 1e-6 and d <= 1e-6, f"Side only changed a centred signal: head {head:.3g}, max abs diff {d:.3g}"
    assert g < -1.0, f"the key does not reduce the centred signal in Stereo ({g:+.2f} dB): nothing tested"
