ardour {
	["type"]    = "dsp",
	name        = "Stem Layout Source",
	category    = "Utility",
	license     = "MIT",
	author      = "stem-suite host tests",
	description = [[Test signal for tests/host/test_layouts.py: a sine of the given level and frequency on every channel (it replaces the input). One second of it is computed when the level or frequency changes and then looped, so pick a frequency with a whole number of cycles per second.]]
}

function dsp_ioconfig ()
	return { { audio_in = -1, audio_out = -1 } }
end

function dsp_params ()
	return {
		{ ["type"] = "input", name = "Level", min = -90, max = 0, default = -40, unit = "dB" },
		{ ["type"] = "input", name = "Frequency", min = 1, max = 20000, default = 1000, unit = "Hz" },
	}
end

local MAX_BLOCK = 8192
local rate, len, pos = 48000, 48000, 0
local table_db, table_hz = nil, nil
local cmem = nil

function dsp_init (r)
	rate = r
	len = math.floor (r)
	cmem = ARDOUR.DSP.DspShm (len + MAX_BLOCK)
end

local function fill (level_db, hz)
	local a = cmem:to_float (0):array ()
	local amp = ARDOUR.DSP.dB_to_coefficient (level_db)
	for s = 1, len + MAX_BLOCK do
		a[s] = amp * math.sin (2 * math.pi * hz * ((s - 1) % len) / rate)
	end
	table_db, table_hz = level_db, hz
end

function dsp_run (ins, outs, n_samples)
	local ctrl = CtrlPorts:array ()
	if ctrl[1] ~= table_db or ctrl[2] ~= table_hz then
		fill (ctrl[1], ctrl[2])
	end
	local done = 0
	while done < n_samples do
		local n = math.min (n_samples - done, MAX_BLOCK)
		for c = 1, #outs do
			ARDOUR.DSP.copy_vector (outs[c]:offset (done), cmem:to_float (pos), n)
		end
		pos = (pos + n) % len
		done = done + n
	end
end
