-- Ardour session round trip for one VST3 plugin, run headless by ardour7-lua (dummy backend).
--
--   ardour7-lua session_roundtrip.lua create DIR NAME "PLUGIN NAME" "PARAM LABEL" VALUE
--   ardour7-lua session_roundtrip.lua verify DIR NAME "PLUGIN NAME" "PARAM LABEL" VALUE
--
-- create: new session at 48 kHz, a stereo audio track "Bus", the VST3 plugin inserted by name, the parameter
--         set (VALUE is the plugin's plain value, e.g. dB), transport rolled ~2 s, state saved, session closed.
-- verify: (a fresh process) re-opens the session, finds the plugin on "Bus", checks the parameter kept its
--         value, rolls ~1 s, closes.
-- Each phase prints "ROUNDTRIP <phase> OK" on success, or "ROUNDTRIP <phase> FAIL: reason".
-- PARAM LABEL "" means: the first input parameter, set to VALUE (a fraction of its range).
--
-- NOTE: re-opening in the same ardour7-lua process segfaulted, or came back with routes without processors,
-- in Ardour 7.3; a second process is also the stronger persistence check.

local mode, dir, name, plugin_name, param_label, value_str, type_str = table.unpack(arg or {})
-- Optional 7th argument "LV2" (used to try the script on a bundled Ardour plugin); VST3 by default.
local ptype = (type_str == "LV2") and ARDOUR.PluginType.LV2 or ARDOUR.PluginType.VST3

local function fail(msg)
  print("ROUNDTRIP " .. tostring(mode) .. " FAIL: " .. msg)
  -- An error stops the script; the wrapper checks the marker and the exit code.
  error("roundtrip failed: " .. msg)
end

if not (mode and dir and name and plugin_name and param_label and value_str) then
  print("usage: session_roundtrip.lua create|verify DIR NAME PLUGIN PARAM VALUE")
  fail("bad arguments")
end
local value = tonumber(value_str)

local function roll(s, seconds)
  local start = s:transport_sample()
  s:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
  ARDOUR.LuaAPI.usleep(math.floor(seconds * 1000000))
  local pos = s:transport_sample()
  local rolling = s:transport_rolling()
  s:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
  ARDOUR.LuaAPI.usleep(300000)
  print(string.format("rolled: %d -> %d samples (rolling=%s)", start, pos, tostring(rolling)))
  if not rolling or pos - start < s:nominal_sample_rate() * seconds * 0.5 then
    fail(string.format("transport did not roll (position %d -> %d)", start, pos))
  end
end

-- Parameter index by label, among the plugin's input controls.
local function find_param(pl, label)
  local labels = {}
  for i = 0, pl:parameter_count() - 1 do
    if pl:parameter_is_input(i) and pl:parameter_is_control(i) then
      local l = pl:parameter_label(i)
      if label == "" or l == label then
        return i
      end
      labels[#labels + 1] = l
    end
  end
  fail("no input parameter labelled '" .. label .. "'; have: " .. table.concat(labels, ", "))
end

local function param_range(pl, i)
  local ok, refs = pcall(function()
    local desc = ARDOUR.ParameterDescriptor()
    local _, r = pl:get_parameter_descriptor(i, desc)
    return r
  end)
  if ok and refs and refs[2] then
    return refs[2].lower, refs[2].upper
  end
  return nil, nil
end

if mode == "create" then
  local s = create_session(dir, name, 48000)
  if not s then fail("create_session returned nil") end
  print("backend: " .. AudioEngine:current_backend_name())

  local tl = s:new_audio_track(2, 2, nil, 1, "Bus", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true)
  if tl:size() ~= 1 then fail("could not create the audio track") end
  local track = tl:front()

  local p = ARDOUR.LuaAPI.new_plugin(s, plugin_name, ptype, "")
  if p:isnil() then
    local found = {}
    for pi in ARDOUR.LuaAPI.list_plugins():iter() do
      if pi.type == ptype then found[#found + 1] = pi.name end
    end
    fail("VST3 plugin '" .. plugin_name .. "' not found; VST3 plugins seen: [" .. table.concat(found, ", ") .. "]")
  end
  if track:add_processor_by_index(p, 0, nil, true) ~= 0 then fail("add_processor_by_index failed") end

  local pl = p:to_insert():plugin(0)
  print(string.format("plugin: name='%s' label='%s' unique_id='%s' params=%d",
    pl:name(), pl:label(), pl:unique_id(), pl:parameter_count()))
  local idx = find_param(pl, param_label)
  local lo, hi = param_range(pl, idx)
  print(string.format("param %d '%s' range %s..%s, default value %s", idx, pl:parameter_label(idx),
    tostring(lo), tostring(hi), tostring(ARDOUR.LuaAPI.get_processor_param(p, idx, true))))
  if param_label == "" then
    if not (lo and hi) then fail("no range for parameter " .. idx) end
    value = lo + value * (hi - lo)
  end
  if not ARDOUR.LuaAPI.set_processor_param(p, idx, value) then
    fail(string.format("set_processor_param(%d, %g) refused", idx, value))
  end
  local got = ARDOUR.LuaAPI.get_processor_param(p, idx, true)
  print(string.format("set '%s' = %g, reads back %g", pl:parameter_label(idx), value, got))
  if math.abs(got - value) > 1e-3 * math.max(1, math.abs(value)) then
    fail(string.format("parameter reads back %g, set %g", got, value))
  end

  roll(s, 2.0)
  -- The latency Ardour has for the plugin after rolling (it compensates by it).
  print(string.format("LATENCY %d", p:signal_latency()))
  if s:save_state("", false, false, false, false, false) ~= 0 then fail("save_state failed") end
  print(string.format("VALUE %.6f", value))

  -- Drop every reference into the session before closing it, or Ardour 7.3 crashes later on.
  pl = nil; p = nil; track = nil; tl = nil; s = nil
  collectgarbage()
  close_session()
  print("ROUNDTRIP create OK")

elseif mode == "verify" then
  local s = load_session(dir, name)
  if not s then fail("load_session returned nil") end
  local bus = s:route_by_name("Bus")
  if bus:isnil() then fail("track 'Bus' is gone") end

  local found = nil
  local names = {}
  local i = 0
  while true do
    local proc = bus:nth_plugin(i)
    if proc:isnil() then break end
    local ins = proc:to_insert()
    local pname = ins:isnil() and proc:display_name() or ins:plugin(0):name()
    names[#names + 1] = pname
    if pname == plugin_name then found = proc end
    i = i + 1
  end
  if not found then fail("plugin '" .. plugin_name .. "' not on track after reload; plugins: [" .. table.concat(names, ", ") .. "]") end
  local pl = found:to_insert():plugin(0)
  if pl:get_info().type ~= ptype then fail("reloaded plugin has the wrong type") end
  local idx = find_param(pl, param_label)
  local got = ARDOUR.LuaAPI.get_processor_param(found, idx, true)
  print(string.format("reloaded '%s': '%s' = %g (expected %g)", pl:name(), pl:parameter_label(idx), got, value))
  if math.abs(got - value) > 1e-3 * math.max(1, math.abs(value)) then
    fail(string.format("parameter not restored: %g, expected %g", got, value))
  end
  if not found:active() then fail("plugin inactive after reload") end

  roll(s, 1.0)
  pl = nil; found = nil; bus = nil; s = nil
  collectgarbage()
  close_session()
  print("ROUNDTRIP verify OK")
else
  fail("unknown mode " .. tostring(mode))
end
