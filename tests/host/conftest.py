"""Shared fixtures for the real-host tests: repo root, built VST3 bundles, and the stems-a test audio.

Bundles are found by globbing target/bundled/*.vst3 under the repo root. A missing bundle FAILS the tests
that need it (it is never a skip): build first with `cargo xtask bundle <package> --release`.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from hostlib import STEM_NAMES  # noqa: E402 - needs the sys.path entry above

REPO_ROOT = HERE.parents[1]
BUNDLE_DIR = REPO_ROOT / "target" / "bundled"
STEMS_DIR = REPO_ROOT / "testdata" / "stems-a"

BUS_COMPRESSOR = "Stem Bus Compressor"
DE_ESSER = "Stem De-Esser"
TRANSIENT_CLIPPER = "Stem Transient Clipper"
STEM_COMPRESSOR = "Stem Compressor"
STEM_NULL = "Stem Null Check"

_MISSING = "NO-VST3-BUNDLE-BUILT"
_BUILD_HINT = (
    f"no VST3 bundle found: {BUNDLE_DIR}/*.vst3 matched nothing. "
    "Build the plugins first, e.g. `cargo xtask bundle bus_compressor --release` from the repo root."
)


def _vst3_bundles():
    return sorted(p for p in BUNDLE_DIR.glob("*.vst3") if p.is_dir())


def pytest_generate_tests(metafunc):
    # Tests that take `vst3_bundle` run once per built bundle. With none built they still run once, and
    # fail, instead of being collected as an empty (silently skipped) parametrization.
    if "vst3_bundle" in metafunc.fixturenames:
        bundles = [str(p) for p in _vst3_bundles()] or [_MISSING]
        metafunc.parametrize("vst3_bundle_path", bundles, ids=[Path(b).stem for b in bundles], indirect=False)


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def vst3_bundles():
    """All built VST3 bundles (Path); fails if there are none."""
    bundles = _vst3_bundles()
    if not bundles:
        pytest.fail(_BUILD_HINT)
    return bundles


@pytest.fixture
def vst3_bundle(vst3_bundle_path):
    """One built VST3 bundle (tests using it are parametrized over all bundles)."""
    if vst3_bundle_path == _MISSING:
        pytest.fail(_BUILD_HINT)
    path = Path(vst3_bundle_path)
    so = path / "Contents" / "x86_64-linux" / (path.stem + ".so")
    assert so.is_file(), f"bundle {path} has no {so.relative_to(path)}"
    return path


def _named_bundle(vst3_bundles, name, package):
    """The bundle `<name>.vst3`; fails, with the command that builds it, if it was not built."""
    path = BUNDLE_DIR / f"{name}.vst3"
    if not path.is_dir():
        pytest.fail(
            f"{path} not found (have {[p.name for p in vst3_bundles]}); "
            f"build it with `cargo xtask bundle {package} --release`"
        )
    return path


def _bundle_fixture(name, package):
    """A session fixture `<package>_vst3`: the bundle `<name>.vst3` (see `_named_bundle`)."""

    @pytest.fixture(scope="session", name=f"{package}_vst3")
    def fixture(vst3_bundles):
        return _named_bundle(vst3_bundles, name, package)

    fixture.__doc__ = f"The {name} bundle, `{name}.vst3`."
    return fixture


bus_compressor_vst3 = _bundle_fixture(BUS_COMPRESSOR, "bus_compressor")
de_esser_vst3 = _bundle_fixture(DE_ESSER, "de_esser")
transient_clipper_vst3 = _bundle_fixture(TRANSIENT_CLIPPER, "transient_clipper")
# Stereo main + stereo sidechain; the 5.1 variant is CLAP-only.
stem_compressor_vst3 = _bundle_fixture(STEM_COMPRESSOR, "stem_compressor")
# Stereo main (the stem bus) + stereo sidechain (the reference mix).
stem_null_vst3 = _bundle_fixture(STEM_NULL, "stem_null")


def read_wav(path):
    """Reads a wav as float32 (channels, samples) plus its sample rate."""
    data, sr = sf.read(str(path), dtype="float32", always_2d=True)
    return np.ascontiguousarray(data.T), sr


@pytest.fixture(scope="session")
def stems():
    """testdata/stems-a as {name: float32 array (channels, samples)}, including "mix" (the exact sum)."""
    out = {}
    for name in STEM_NAMES + ("mix",):
        path = STEMS_DIR / f"{name}.wav"
        assert path.is_file(), f"missing test audio {path}"
        audio, sr = read_wav(path)
        assert sr == 48000 and audio.shape[0] == 2, f"{path}: expected 48 kHz stereo, got {sr} Hz {audio.shape}"
        out[name] = audio
    return out


@pytest.fixture(scope="session")
def vocals_long():
    """testdata/stems-a/vocals_long.wav (12 s of the lead vocal) as float32 (channels, samples)."""
    path = STEMS_DIR / "vocals_long.wav"
    assert path.is_file(), f"missing test audio {path}"
    audio, sr = read_wav(path)
    assert sr == 48000 and audio.shape[0] == 2, f"{path}: expected 48 kHz stereo, got {sr} Hz {audio.shape}"
    assert audio.shape[1] >= 10 * sr, f"{path}: only {audio.shape[1]} frames"
    return audio
