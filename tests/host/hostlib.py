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
