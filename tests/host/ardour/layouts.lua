-- Layout matrix for VST3 plugins in Ardour 7.3, run headless by ardour7-lua (dummy backend); see
-- tests/host/test_layouts.py.
--
--   ardour7-lua -- layouts.lua DIR NAME ARG ...
--
-- ARG, in order:
--   seconds=S        roll until the transport has moved S seconds (default 2)
--   main_db=L        level of the 1 kHz sine each cell's track plays (default -40 dBFS)
--   key_db=L         level of the 300 Hz sine each key track plays (default -6 dBFS)
--   plugin=NAME      the VST3 plugin of the cells that follow
--   param=LABEL=V    set the input parameter LABEL to the plain value V on the cells that follow (until plugin=)
--   cell=ID:CH:SC    one audio track with CH inputs (1 = mono, 2 = stereo, 6 = 5.1) and strict I/O:
--                      [Stem Layout Source] -> [the plugin] -> [Stem Layout Probe]
--                    SC is the sidechain:
--                      none  Ardour's default: no sidechain input; the plugin's aux pins stay unmapped and
--                            Ardour deactivates the VST3 aux bus (it still hands the plugin silent buffers)
--                      open  Route:add_sidechain: the insert gets a sidechain input, one port per aux pin,
--                            with nothing connected to it
--                      key   as open, with a stereo key track (Stem Layout Source at key_db, 300 Hz)
--                            connected to it
--
-- The two DSP scripts (ardour/scripts/*.lua) must be in $XDG_CONFIG_HOME/ardour7/scripts. The probes'
-- statistics are cleared once every track is set up, then the transport rolls. Prints, per cell:
--   CELL <id> count=<instances> natural_in=<n> natural_out=<n> route_in=<n> route_out=<n> pins=<map>
--   STATS <id> ch=<i> peak=<max |x|> ms=<mean square> bad=<NaN/inf samples> n=<samples>
-- (a STATS line for each channel the probe saw: the track's channel count, with strict I/O), then
-- "LAYOUTS OK", or "LAYOUTS FAIL: reason" (and an error: non-zero exit).

local dir, name = arg[1], arg[2]
local seconds, main_db, key_db = 2.0, -40.0, -6.0
local cells = {}
local plugin_name, params = nil, {}

local function fail(msg)
  print("LAYOUTS FAIL: " .. msg)
  error("layouts failed: " .. msg)
end

if not (dir and name) then
  fail("usage: layouts.lua DIR NAME ARG ...")
end
for i = 3, #arg do
  local a = arg[i]
  local k, v = a:match("^([%w_]+)=(.*)$")
  if k == "seconds" then seconds = tonumber(v)
  elseif k == "main_db" then main_db = tonumber(v)
  elseif k == "key_db" then key_db = tonumber(v)
  elseif k == "plugin" then plugin_name, params = v, {}
  elseif k == "param" then
    local label, value = v:match("^(.*)=([^=]+)$")
    if not label then fail("bad param " .. a) end
    params[#params + 1] = { label, tonumber(value) }
  elseif k == "cell" then
    local id, ch, sc = v:match("^([^:%s]+):(%d+):(%a+)$")
    if not id or not (sc == "none" or sc == "open" or sc == "key") then fail("bad cell " .. a) end
    if not plugin_name then fail("cell " .. id .. " before any plugin=") end
    cells[#cells + 1] = { name = id, channels = tonumber(ch), sc = sc, plugin = plugin_name, params = { table.unpack(params) } }
  else
    fail("unknown argument " .. a)
  end
end
if #cells == 0 then fail("no cell") end

local AUDIO = ARDOUR.DataType("audio")

local s = create_session(dir, name, 48000)
if not s then fail("create_session returned nil") end
print("backend: " .. AudioEngine:current_backend_name())

local function new_track(channels, label)
  local tl = s:new_audio_track(channels, channels, nil, 1, label, ARDOUR.PresentationInfo.max_order,
    ARDOUR.TrackMode.Normal, true)
  if tl:size() ~= 1 then fail("could not create track " .. label) end
  local t = tl:front()
  t:set_strict_io(true) -- the GUI's default for new tracks
  return t
end

local function add(track, proc, index, what)
  if proc:isnil() then fail(what .. " could not be created") end
  if track:add_processor_by_index(proc, index, nil, true) ~= 0 then fail("could not add " .. what) end
  return proc
end

local function set_param(proc, label, value, what)
  local pl = proc:to_insert():plugin(0)
  local labels = {}
  for i = 0, pl:parameter_count() - 1 do
    if pl:parameter_is_input(i) and pl:parameter_is_control(i) then
      if pl:parameter_label(i) == label then
        if not ARDOUR.LuaAPI.set_processor_param(proc, i, value) then
          fail(string.format("%s: %s = %g refused", what, label, value))
        end
        return
      end
      labels[#labels + 1] = pl:parameter_label(i)
    end
  end
  fail(what .. ": no input parameter '" .. label .. "'; have: " .. table.concat(labels, ", "))
end

local function source(track, db, hz)
  local src = add(track, ARDOUR.LuaAPI.new_luaproc(s, "Stem Layout Source"), 0, "Stem Layout Source")
  set_param(src, "Level", db, "source")
  set_param(src, "Frequency", hz, "source")
  return src
end

local function shm(probe)
  return probe:to_insert():plugin(0):to_luaproc():shmem()
end

for _, c in ipairs(cells) do
  local t = new_track(c.channels, "cell " .. c.name)
  source(t, main_db, 1000)
  local plugin_name = c.plugin
  local p = ARDOUR.LuaAPI.new_plugin(s, plugin_name, ARDOUR.PluginType.VST3, "")
  if p:isnil() then
    local found = {}
    for pi in ARDOUR.LuaAPI.list_plugins():iter() do
      if pi.type == ARDOUR.PluginType.VST3 then found[#found + 1] = pi.name end
    end
    fail("VST3 plugin '" .. plugin_name .. "' not found; VST3 plugins seen: [" .. table.concat(found, ", ") .. "]")
  end
  add(t, p, 1, plugin_name)
  c.probe = add(t, ARDOUR.LuaAPI.new_luaproc(s, "Stem Layout Probe"), 2, "Stem Layout Probe")
  for _, pv in ipairs(c.params) do set_param(p, pv[1], pv[2], plugin_name) end

  if c.sc ~= "none" then
    if not t:add_sidechain(p) then fail(c.name .. ": Route:add_sidechain refused") end
    local sc = p:to_insert():sidechain_input()
    if sc:isnil() then fail(c.name .. ": no sidechain input after add_sidechain") end
    local n = sc:n_ports():n_audio()
    if n == 0 then fail(c.name .. ": the sidechain input has no audio port") end
    if c.sc == "key" then
      local k = new_track(2, "key " .. c.name)
      source(k, key_db, 300)
      for i = 0, n - 1 do
        local from = k:output():audio(i % 2)
        if from:connect(sc:audio(i):name()) ~= 0 or not from:connected_to(sc:audio(i):name()) then
          fail(string.format("%s: could not connect %s to %s", c.name, from:name(), sc:audio(i):name()))
        end
      end
    end
  end

  local ins = p:to_insert()
  local im = ins:input_map(0)
  local nat_in = ins:natural_input_streams():n_audio()
  local pins = {}
  for pin = 0, nat_in - 1 do
    local buf = im:get(AUDIO, pin)
    pins[#pins + 1] = (buf == 4294967295) and "-" or tostring(buf)
  end
  local ok, count = pcall(function() return ins:get_count() end)
  c.line = string.format("CELL %s count=%s natural_in=%d natural_out=%d route_in=%d route_out=%d pins=%s",
    c.name, ok and tostring(count) or "?", nat_in, ins:natural_output_streams():n_audio(),
    t:n_inputs():n_audio(), t:n_outputs():n_audio(), table.concat(pins, ","))
  print(c.line)
end

-- Measure only what rolls from here on: each probe zeroes its statistics in the process thread when asked
-- (clearing them from here would race with a block in progress).
for _, c in ipairs(cells) do shm(c.probe):to_float(0):array()[1] = 1 end
local waited = 0
for _, c in ipairs(cells) do
  while shm(c.probe):to_float(0):array()[1] ~= 0 do
    if waited > 10 then fail("probe of " .. c.name .. " did not reset: is the engine running?") end
    ARDOUR.LuaAPI.usleep(10000)
    waited = waited + 0.01
  end
end

local target = math.floor(seconds * s:nominal_sample_rate())
s:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
waited = 0
while s:transport_sample() < target and waited < 30 + 4 * seconds do
  ARDOUR.LuaAPI.usleep(100000)
  waited = waited + 0.1
end
local pos = s:transport_sample()
s:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
ARDOUR.LuaAPI.usleep(200000)
print(string.format("rolled %d samples in %.1f s", pos, waited))
if pos < target then fail(string.format("transport reached only %d of %d samples", pos, target)) end

for _, c in ipairs(cells) do
  local a = shm(c.probe):to_float(0):array()
  for ch = 0, 7 do
    local o = 1 + ch * 4
    local n = a[o + 4]
    if n > 0 then print(string.format("STATS %s ch=%d peak=%.9g ms=%.9g bad=%d n=%d", c.name, ch, a[o + 1],
      a[o + 2] / n, math.floor(a[o + 3]), math.floor(n))) end
  end
end

-- Drop every reference into the session before closing it (Ardour 7.3 crashes later on otherwise).
for _, c in ipairs(cells) do c.probe = nil end
s = nil
collectgarbage()
close_session()
print("LAYOUTS OK")
