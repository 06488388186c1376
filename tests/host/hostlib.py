"""Helpers for the real-host tests: run a job in worker.py (a child process) and measure audio."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
WORKER = HERE / "worker.py"

SR = 48000

# Display name -> pedalboard's Python name (pedalboard lower-cases the name, appends the unit label and turns
# everything else into "_"; "%" disappears).
PEDALBOARD_NAMES = {
    "Threshold": "threshold_db",
    "Ratio": "ratio",
    "Attack": "attack_ms",
    "Release": "release_ms",
    "Auto Release": "auto_release",
    "Knee": "knee_db",
    "Makeup": "makeup_db",
    "Mix": "mix",
    "Output": "output_db",
    "Key": "key",
    "Key HPF": "key_hpf_hz",
    "Key Listen": "key_listen",
    "Stereo Link": "stereo_link",
    "Lookahead": "lookahead_ms",
    "Detector": "detector",
    "Bypass": "bypass",
}

# Display names the plugin must report in every host.
DISPLAY_NAMES = list(PEDALBOARD_NAMES)

# De-Esser display name -> pedalboard's Python name.
DE_ESSER_PEDALBOARD_NAMES = {
    "Mode": "mode",
    "Frequency": "frequency_hz",
    "Filter": "filter",
    "Width": "width_oct",
    "Detection": "detection",
    "Threshold": "threshold_db",
    "Range": "range_db",
    "Attack": "attack_ms",
    "Release": "release_ms",
    "Lookahead": "lookahead_ms",
    "Stereo Link": "stereo_link",
    "Output": "output_db",
    "Listen": "listen",
    "Bypass": "bypass",
}

# Settings that really compress the stems (see the brief's stem-sum invariant).
COMPRESSING = {"Threshold": -30.0, "Ratio": 4.0, "Attack": 5.0, "Release": 100.0, "Lookahead": 2.0}


def _signal_name(rc):
    if rc is not None and rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return f"signal {-rc}"
    return None


def run_job(tmp_path, job, timeout=120, name="job"):
    """Runs `job` (see worker.py) in a child Python; returns (result dict, output array or None).

    Fails the calling test with the child's output if it crashes, hangs, or raises.
    """
    tmp_path = Path(tmp_path)
    job = dict(job)
    job.setdefault("sr", SR)
    job.setdefault("block", 512)
    job["out"] = str(tmp_path / f"{name}.out.npy")
    job["result"] = str(tmp_path / f"{name}.result.json")
    job_file = tmp_path / f"{name}.job.json"
    job_file.write_text(json.dumps(job, indent=1))
    try:
        proc = subprocess.run(
            [sys.executable, str(WORKER), str(job_file)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(tmp_path),
            env=env_without_display(),  # offline rendering must not need (or touch) an X server
        )
    except subprocess.TimeoutExpired as e:
        raise AssertionError(
            f"{job['host']} {name}: plugin host hung for more than {timeout} s\n"
            f"stdout:\n{e.stdout}\nstderr:\n{e.stderr}"
        ) from None
    sig = _signal_name(proc.returncode)
    if proc.returncode != 0 or not Path(job["result"]).exists():
        what = f"was killed by {sig} (plugin crash)" if sig else f"exited with code {proc.returncode}"
        raise AssertionError(
            f"{job['host']} {name}: host process {what}\n"
            f"stdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"
        )
    result = json.loads(Path(job["result"]).read_text())
    result["stderr"] = proc.stderr
    out = np.load(job["out"]) if Path(job["out"]).exists() else None
    return result, out


def pedalboard_describe(tmp_path_factory, bundle, label):
    """pedalboard's view of `bundle` (name, parameters with ranges and defaults, latency): a worker job."""
    result, _ = run_job(
        tmp_path_factory.mktemp(f"pb-{label}-describe"), {"host": "pedalboard", "op": "describe", "bundle": str(bundle)}
    )
    return result


def assert_exact_parameter_set(describe, plugin_name, pedalboard_names):
    """`describe` (from `pedalboard_describe`) is the effect `plugin_name` with exactly the parameters of
    `pedalboard_names` (display name -> pedalboard name), each under its display name."""
    assert describe["plugin_name"] == plugin_name, describe["plugin_name"]
    assert describe["is_effect"]
    names = set(describe["params"])
    missing = {disp: pb for disp, pb in pedalboard_names.items() if pb not in names}
    assert not missing, f"missing pedalboard parameters {missing}; pedalboard sees {sorted(names)}"
    extra = names - set(pedalboard_names.values())
    assert not extra, f"unexpected parameters {sorted(extra)}"
    for disp, pb in pedalboard_names.items():
        assert describe["params"][pb].get("name") == disp, describe["params"][pb]


def dawdreamer_render(tmp_path, bundle, name, main, key=None, params=None, graph="main+key", block=512, timeout=180):
    """Renders `main` (and `key` on the aux bus) through `bundle` in DawDreamer (a `worker.py` job); checks
    the output is stereo, at least as long as the input and finite, and returns (result, output cut to the
    input's length)."""
    job = {
        "host": "dawdreamer",
        "op": "process",
        "bundle": str(bundle),
        "main": save_audio(tmp_path, f"{name}-main", main),
        "key": None if key is None else save_audio(tmp_path, f"{name}-key", key),
        "params": params or {},
        "graph": graph,
        "block": block,
    }
    result, out = run_job(tmp_path, job, timeout=timeout, name=name)
    n = main.shape[1]
    assert out is not None and out.ndim == 2 and out.shape[0] == 2, f"{name}: output shape {getattr(out, 'shape', None)}"
    assert out.shape[1] >= n, f"{name}: output has {out.shape[1]} samples, input {n}"
    out = out[:, :n]
    assert np.all(np.isfinite(out)), f"{name}: output has NaN/inf"
    return result, out


def save_audio(tmp_path, name, audio):
    """Saves (channels, samples) audio as float32 .npy and returns its path."""
    path = Path(tmp_path) / f"{name}.npy"
    np.save(path, np.ascontiguousarray(audio, dtype=np.float32))
    return str(path)


def rms(x):
    return float(np.sqrt(np.mean(np.square(np.asarray(x, dtype=np.float64)))))


def db(x):
    return 20.0 * np.log10(max(float(x), 1e-12))


def gain_db(out, inp):
    """RMS gain of out relative to inp, in dB."""
    return db(rms(out)) - db(rms(inp))


def max_abs_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def env_without_display():
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    return env


def band_figures(inp, out, sr=SR, latency=0, frame=1024, hop=512):
    """The de-esser's vocal figures (as in shared-dsp/tests/deesser_vocal.rs), on (channels, samples) arrays.

    1024-sample Hann frames, hop 512, on every channel; the output frame at t + latency is compared with the
    input frame at t. A frame above -50 dBFS is sibilant when its input 4-10 kHz energy exceeds its 200 Hz-3 kHz
    energy, non-sibilant when 4-10 kHz is at least 10 dB below 200 Hz-3 kHz. Energies are summed per class.
    Returns a dict: sibilant_frames, non_sibilant_frames, sibilant_drop_db (4-10 kHz, input over output),
    non_sibilant_change_db (200 Hz-3 kHz, output over input)."""
    inp = np.asarray(inp, dtype=np.float64)
    out = np.asarray(out, dtype=np.float64)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / frame)
    hi = (int(np.ceil(4000 * frame / sr)), int(np.floor(10000 * frame / sr)))
    mid = (int(np.ceil(200 * frame / sr)), int(np.floor(3000 * frame / sr)))
    n = min(inp.shape[1], out.shape[1])
    starts = np.arange(0, n - latency - frame + 1, hop)
    idx = starts[:, None] + np.arange(frame)[None, :]

    def energies(x, offset):
        spec = np.abs(np.fft.rfft(x[:, idx + offset] * window, axis=-1)) ** 2  # (channels, frames, bins)
        return spec[..., hi[0] : hi[1] + 1].sum(axis=(0, 2)), spec[..., mid[0] : mid[1] + 1].sum(axis=(0, 2))

    hi_in, mid_in = energies(inp, 0)
    hi_out, mid_out = energies(out, latency)
    power = np.mean(inp[:, idx] ** 2, axis=(0, 2))
    loud = 10 * np.log10(np.maximum(power, 1e-30)) > -50
    sib = loud & (hi_in > mid_in)
    non = loud & (hi_in * 10 <= mid_in)
    return {
        "sibilant_frames": int(sib.sum()),
        "non_sibilant_frames": int(non.sum()),
        "sibilant_drop_db": float(10 * np.log10(hi_in[sib].sum() / hi_out[sib].sum())),
        "non_sibilant_change_db": float(10 * np.log10(mid_out[non].sum() / mid_in[non].sum())),
    }
