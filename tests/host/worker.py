"""Runs one plugin job in a host (pedalboard or DawDreamer), in its own process.

The pytest side (hostlib.run_job) writes a JSON job file and starts this script, so a crash of the plugin
(SIGSEGV, abort) or a hang fails one test instead of killing pytest. Audio goes in and out as .npy files,
shaped (channels, samples), float32.

Job keys:
  host      "pedalboard" | "dawdreamer"
  op        "describe" | "process" | "editor"
  bundle    path of the .vst3 bundle
  sr, block sample rate and block size
  params    pedalboard: {python_name: plain value}; DawDreamer: {display name: displayed value or enum text}
  main, key .npy paths (key may be null)
  graph     DawDreamer only: "main+key" (default), "main-only", "main-only-disabled-aux"
  out       .npy path for the output
  result    .json path for the result (parameter lists, latency, texts)
  catch_errors  if true, an exception the host raises is written to result["error"] (exit code 0)
  state     DawDreamer only: if true, the plugin's state is saved after the render (save_state) and its
            nice-plug JSON (params and persisted fields) written to result["state"] (see vst3_state_json)

op "layout" (test_layouts.py) asks the host for a port layout, then processes `main` (and `key`) anyway:
  request   pedalboard: null (the channel count of `main` is the request: pedalboard sets the main bus to it);
            DawDreamer: [inputs, outputs] for set_bus(), or null to keep the plugin's default layout
  ref_main  optional .npy: a stereo buffer processed with the plugin's default layout and the same params
            (pedalboard: by the same instance, after the request; DawDreamer: by a fresh instance), saved to
            out_ref. An exception the host raises for the request is recorded, not raised:
            result["request_ok"], result["request_error"], result["set_bus"] (DawDreamer's return value).
"""

import json
import re
import struct
import sys
import time

import numpy as np


def parse_number(text):
    """Leading number in a parameter's display text ("-30.0 dB" -> -30.0), or None."""
    t = text.strip().lower()
    if t.startswith("-inf"):
        return float("-inf")
    if t.startswith("inf") or t.startswith("+inf"):
        return float("inf")
    m = re.match(r"\s*([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)", text)
    return float(m.group(1)) if m else None


# JUCE's MemoryBlock::toBase64Encoding alphabet (not RFC 4648): "<size>.<chars>", 6 bits a char, least
# significant bits first.
_JUCE_BASE64 = ".ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+"


def vst3_state_json(path):
    """The nice-plug state in a DawDreamer `save_state` file, as a dict ({"version", "params", "fields"}).

    The file is JUCE's copyXmlToBinary ("VC2!", a little-endian length, XML): a <VST3PluginState> whose
    <IComponent> is the component state (IComponent::getState, nice-plug's JSON) in JUCE's base64."""
    data = open(path, "rb").read()
    if data[:4] != b"VC2!":
        raise ValueError(f"{path}: not a JUCE binary XML state (starts {data[:8]!r})")
    (length,) = struct.unpack("<I", data[4:8])
    xml = data[8 : 8 + length].decode("utf-8", errors="replace")
    m = re.search(r"<IComponent>(\d+)\.([^<]*)</IComponent>", xml)
    if not m:
        raise ValueError(f"{path}: no <IComponent> in {xml[:300]!r}")
    size, chars = int(m.group(1)), m.group(2)
    value = 0
    for i, c in enumerate(chars):
        value |= _JUCE_BASE64.index(c) << (6 * i)
    raw = value.to_bytes((6 * len(chars) + 7) // 8 + 1, "little")[:size]
    return json.loads(raw.decode("utf-8"))


# ---------------------------------------------------------------------------------------------- pedalboard


def pedalboard_job(job, result):
    import pedalboard

    plugin = pedalboard.load_plugin(job["bundle"])
    params = {}
    for name, p in plugin.parameters.items():
        entry = {}
        for attr in ("name", "label", "units", "string_value", "raw_value", "min_value", "max_value", "type"):
            try:
                v = getattr(p, attr)
            except Exception:  # noqa: BLE001 - pedalboard raises various errors for missing attributes
                continue
            if isinstance(v, type):
                v = v.__name__
            if isinstance(v, (str, int, float, bool)) or v is None:
                entry[attr] = v
        try:
            values = [str(x) for x in p.valid_values]
            entry["num_valid_values"] = len(values)
            entry["first_valid_value"], entry["last_valid_value"] = values[0], values[-1]
            if len(values) <= 16:
                entry["valid_values"] = values
        except Exception:  # noqa: BLE001
            pass
        params[name] = entry
    result["params"] = params
    result["plugin_name"] = plugin.name
    result["is_effect"] = bool(plugin.is_effect)
    if job["op"] == "describe":
        result["latency"] = int(plugin.reported_latency_samples)
        return

    if job["op"] == "layout":
        _pedalboard_layout(job, result, plugin)
        return

    for name, value in job.get("params", {}).items():
        # Every numeric parameter must take a number: pedalboard turns a parameter whose text is not
        # a plain number plus unit (e.g. "2.0:1" with no unit) into a list of strings.
        setattr(plugin, name, value)
    result["set_params"] = {name: str(plugin.parameters[name].string_value) for name in job.get("params", {})}
    main = np.load(job["main"]).astype(np.float32)
    out = plugin.process(main, float(job["sr"]), buffer_size=int(job.get("block", 512)), reset=True)
    # The latency a VST3 plugin reports is only (re)read by the host around process/reset.
    result["latency"] = int(plugin.reported_latency_samples)
    np.save(job["out"], np.asarray(out, dtype=np.float32))


def _pedalboard_layout(job, result, plugin):
    for name, value in job.get("params", {}).items():
        setattr(plugin, name, value)
    sr, block = float(job["sr"]), int(job.get("block", 512))
    main = np.load(job["main"]).astype(np.float32)
    try:
        out = plugin.process(main, sr, buffer_size=block, reset=True)
        result["request_ok"], result["request_error"] = True, None
        np.save(job["out"], np.asarray(out, dtype=np.float32))
    except Exception as e:  # noqa: BLE001 - a refusal is an exception; the test checks which
        result["request_ok"], result["request_error"] = False, f"{type(e).__name__}: {e}"
        print(f"WORKER: pedalboard refused {main.shape[0]} channels: {result['request_error']}", flush=True)
    result["latency"] = int(plugin.reported_latency_samples)
    if job.get("ref_main"):
        ref = np.load(job["ref_main"]).astype(np.float32)
        out_ref = plugin.process(ref, sr, buffer_size=block, reset=True)
        np.save(job["out_ref"], np.asarray(out_ref, dtype=np.float32))


# ---------------------------------------------------------------------------------------------- DawDreamer


def _dd_param_index(plugin, descs, display_name):
    for d in descs:
        if d["name"] == display_name:
            return int(d["index"])
    raise KeyError(f"DawDreamer: no parameter named {display_name!r}; have {[d['name'] for d in descs]}")


def _dd_text(plugin, index, x):
    plugin.set_parameter(index, float(x))
    return plugin.get_parameter_text(index)


def _dd_set(plugin, index, target):
    """Sets a parameter by its displayed value: bools directly, enums by their text, numbers by bisection
    on the normalized value until the displayed number equals the target."""
    if isinstance(target, bool):
        plugin.set_parameter(index, 1.0 if target else 0.0)
        return plugin.get_parameter_text(index)
    if isinstance(target, str):
        seen = []
        for i in range(101):
            x = i / 100.0
            text = _dd_text(plugin, index, x)
            seen.append(text)
            if text.strip().lower() == target.strip().lower():
                return text
        raise ValueError(f"no normalized value shows {target!r}; saw {sorted(set(seen))}")

    target = float(target)
    lo_v, hi_v = parse_number(_dd_text(plugin, index, 0.0)), parse_number(_dd_text(plugin, index, 1.0))
    if lo_v is None or hi_v is None or not (lo_v <= target <= hi_v):
        raise ValueError(f"target {target} outside displayed range {lo_v}..{hi_v}")

    def first_x(pred):
        a, b = 0.0, 1.0  # invariant: not pred(a) unless a == 0, pred(b)
        if pred(parse_number(_dd_text(plugin, index, 0.0))):
            return 0.0
        for _ in range(60):
            m = 0.5 * (a + b)
            if pred(parse_number(_dd_text(plugin, index, m))):
                b = m
            else:
                a = m
        return b

    x_ge = first_x(lambda v: v is not None and v >= target)
    x_gt = first_x(lambda v: v is not None and v > target) if target < hi_v else 1.0
    x = 0.5 * (x_ge + x_gt) if x_gt > x_ge else x_ge
    text = _dd_text(plugin, index, x)
    if parse_number(text) != target:
        x = x_ge
        text = _dd_text(plugin, index, x)
    return text


def dawdreamer_job(job, result):
    import dawdreamer as daw

    sr, block = int(job["sr"]), int(job.get("block", 512))
    engine = daw.RenderEngine(sr, block)
    plugin = engine.make_plugin_processor("plugin", job["bundle"])
    descs = plugin.get_parameters_description()
    result["params"] = [
        {k: v for k, v in d.items() if isinstance(v, (str, int, float, bool)) or v is None} for d in descs
    ]
    result["num_inputs"] = int(plugin.get_num_input_channels())
    result["num_outputs"] = int(plugin.get_num_output_channels())
    if job["op"] == "describe":
        result["latency"] = int(plugin.get_latency_samples())
        return

    texts = {}
    for name, value in job.get("params", {}).items():
        texts[name] = _dd_set(plugin, _dd_param_index(plugin, descs, name), value)
    result["set_params"] = texts

    if job["op"] == "editor":
        result["latency"] = int(plugin.get_latency_samples())
        print("WORKER: opening editor", flush=True)
        _write(job, result)
        plugin.open_editor()  # blocks until the window is closed (the test kills us instead)
        print("WORKER: editor closed", flush=True)
        return

    if job["op"] == "layout":
        request = job.get("request")
        if request is not None:
            try:
                result["set_bus"] = bool(plugin.set_bus(int(request[0]), int(request[1])))
                result["request_ok"], result["request_error"] = result["set_bus"], None
            except Exception as e:  # noqa: BLE001 - DawDreamer raises ValueError for a layout JUCE rejects
                result["set_bus"] = None
                result["request_ok"], result["request_error"] = False, f"{type(e).__name__}: {e}"
                print(f"WORKER: set_bus{tuple(request)} raised {result['request_error']}", flush=True)
        result["num_inputs_after_request"] = int(plugin.get_num_input_channels())
        result["num_outputs_after_request"] = int(plugin.get_num_output_channels())
        _dd_render(engine, plugin, job, job["main"], job["out"], result)
        if job.get("ref_main"):
            ref_engine = daw.RenderEngine(sr, block)
            ref_plugin = ref_engine.make_plugin_processor("plugin", job["bundle"])
            for name, value in job.get("params", {}).items():
                _dd_set(ref_plugin, _dd_param_index(ref_plugin, descs, name), value)
            _dd_render(ref_engine, ref_plugin, dict(job, graph="main-only"), job["ref_main"], job["out_ref"], {})
        return

    _dd_render(engine, plugin, job, job["main"], job["out"], result)


def _dd_render(engine, plugin, job, main_path, out_path, result):
    """Renders the .npy at `main_path` (and job["key"] on the aux bus, per job["graph"]) through `plugin`."""
    sr = int(job["sr"])
    main = np.load(main_path).astype(np.float32)
    n = main.shape[1]
    graph_kind = job.get("graph", "main+key")
    main_proc = engine.make_playback_processor("main", main)
    if graph_kind == "main+key":
        key = np.load(job["key"]).astype(np.float32)
        key_proc = engine.make_playback_processor("key", key)
        graph = [(main_proc, []), (key_proc, []), (plugin, ["main", "key"])]
    elif graph_kind == "main-only":
        graph = [(main_proc, []), (plugin, ["main"])]
    elif graph_kind == "main-only-disabled-aux":
        plugin.disable_nonmain_buses()
        result["num_inputs_after_disable"] = int(plugin.get_num_input_channels())
        graph = [(main_proc, []), (plugin, ["main"])]
    else:
        raise ValueError(graph_kind)
    if not engine.load_graph(graph):
        raise RuntimeError("load_graph returned False")
    if not engine.render(n / sr):
        raise RuntimeError("render returned False")
    out = np.asarray(plugin.get_audio(), dtype=np.float32)
    result["latency"] = int(plugin.get_latency_samples())
    np.save(out_path, out)
    if job.get("state"):
        state_file = out_path + ".state"
        plugin.save_state(state_file)
        result["state"] = vst3_state_json(state_file)


def _write(job, result):
    with open(job["result"], "w") as f:
        json.dump(result, f, indent=1)


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    t0 = time.monotonic()
    result = {"ok": False}
    try:
        if job["host"] == "pedalboard":
            pedalboard_job(job, result)
        elif job["host"] == "dawdreamer":
            dawdreamer_job(job, result)
        else:
            raise ValueError(job["host"])
    except Exception as e:  # noqa: BLE001 - the test decides which errors are expected
        if not job.get("catch_errors"):
            raise
        result["error"] = f"{type(e).__name__}: {e}"
        print(f"WORKER: host raised {result['error']}", flush=True)
    result["ok"] = "error" not in result
    result["seconds"] = time.monotonic() - t0
    _write(job, result)
    print("WORKER: done", flush=True)


if __name__ == "__main__":
    main()
