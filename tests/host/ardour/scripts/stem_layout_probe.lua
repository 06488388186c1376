ardour {
	["type"]    = "dsp",
	name        = "Stem Layout Probe",
	category    = "Utility",
	license     = "MIT",
	author      = "stem-suite host tests",
	description = [[Pass-through meter for tests/host/test_layouts.py. Its shared memory (floats): [1] a reset request (set it to 1; the probe zeroes its statistics in the process thread and sets it back to 0), then per channel (up to 8) four fields: peak |x|, sum of x^2, the count of NaN/inf samples, the count of samples.]]
}

function dsp_ioconfig ()
	return { { audio_in = -1, audio_out = -1 } }
end

local MAXCH = 8
local FIELDS = 4

function dsp_init (rate)
	self:shmem ():allocate (1 + MAXCH * FIELDS)
	self:shmem ():clear ()
end

function dsp_run (ins, outs, n_samples)
	local shm = self:shmem ():to_float (0):array ()
	if shm[1] ~= 0 then
		for i = 2, 1 + MAXCH * FIELDS do shm[i] = 0 end
		shm[1] = 0
	end
	for c = 1, #ins do
		if ins[c] ~= outs[c] then
			ARDOUR.DSP.copy_vector (outs[c], ins[c], n_samples)
		end
		if c <= MAXCH then
			local a = ins[c]:array ()
			local o = 1 + (c - 1) * FIELDS
			local peak, ss, bad = shm[o + 1], shm[o + 2], shm[o + 3]
			for s = 1, n_samples do
				local v = a[s]
				if v ~= v or v == math.huge or v == -math.huge then
					bad = bad + 1
				else
					if v > peak then peak = v elseif -v > peak then peak = -v end
					ss = ss + v * v
				end
			end
			shm[o + 1], shm[o + 2], shm[o + 3] = peak, ss, bad
			shm[o + 4] = shm[o + 4] + n_samples
		end
	end
end
