"""Reference rows for `cargo xtask bench`: pedalboard's own Compressor and Clipping (JUCE DSP, from PyPI) on
the bench signal, timed the same way as the suite's plugins (one call over the whole signal, blocks of the
given size, several runs).

    python bench_reference.py SIGNAL.wav [--runs N] [--block N]

Prints one line per row: "<label>\\t<ns per stereo frame, run 1> <run 2> ...".
"""

import argparse
import time

import numpy as np
import pedalboard
import soundfile as sf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("signal")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--block", type=int, default=512)
    a = ap.parse_args()
    data, sr = sf.read(a.signal, dtype="float32", always_2d=True)
    audio = np.ascontiguousarray(data.T)
    frames = audio.shape[1]
    rows = [
        ("pedalboard Compressor (JUCE), threshold -24 dB, ratio 4", pedalboard.Compressor(threshold_db=-24, ratio=4)),
        ("pedalboard Clipping (no oversampling), threshold -6 dB", pedalboard.Clipping(threshold_db=-6)),
    ]
    for label, plugin in rows:
        plugin.process(audio[:, :sr], sr, buffer_size=a.block, reset=True)  # warm-up
        ns = []
        for _ in range(a.runs):
            start = time.perf_counter_ns()
            plugin.process(audio, sr, buffer_size=a.block, reset=True)
            ns.append((time.perf_counter_ns() - start) / frames)
        print(f"{label}\t" + " ".join(f"{v:.3f}" for v in ns), flush=True)


if __name__ == "__main__":
    main()
