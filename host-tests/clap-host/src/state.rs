//! The `clap.state` extension: saving to and loading from in-memory streams.

use std::ffi::c_void;

use clap_sys::ext::state::clap_plugin_state;
use clap_sys::stream::{clap_istream, clap_ostream};

use crate::error::{HostError, Result};
use crate::instance::PluginInstance;

/// Output stream appending to a `Vec<u8>`, accepting at most `max_chunk` bytes per `write` call
/// (partial writes are legal in CLAP and plugins must loop).
pub(crate) struct VecWriter {
    /// Everything written so far.
    pub(crate) data: Vec<u8>,
    /// Largest number of bytes accepted by one call.
    pub(crate) max_chunk: usize,
}

/// Input stream over a byte slice, returning at most `max_chunk` bytes per `read` call, then 0 at
/// the end of the data.
pub(crate) struct SliceReader<'a> {
    /// The bytes to hand out.
    pub(crate) data: &'a [u8],
    /// Read position in `data`.
    pub(crate) pos: usize,
    /// Largest number of bytes returned by one call.
    pub(crate) max_chunk: usize,
}

pub(crate) unsafe extern "C" fn ostream_write(
    stream: *const clap_ostream,
    buffer: *const c_void,
    size: u64,
) -> i64 {
    if stream.is_null() || (*stream).ctx.is_null() || (buffer.is_null() && size > 0) {
        return -1;
    }
    let writer = &mut *((*stream).ctx as *mut VecWriter);
    let n = (size as usize).min(writer.max_chunk);
    if n > 0 {
        writer
            .data
            .extend_from_slice(std::slice::from_raw_parts(buffer as *const u8, n));
    }
    n as i64
}

pub(crate) unsafe extern "C" fn istream_read(
    stream: *const clap_istream,
    buffer: *mut c_void,
    size: u64,
) -> i64 {
    if stream.is_null() || (*stream).ctx.is_null() || (buffer.is_null() && size > 0) {
        return -1;
    }
    let reader = &mut *((*stream).ctx as *mut SliceReader);
    let remaining = reader.data.len() - reader.pos;
    let n = (size as usize).min(remaining).min(reader.max_chunk);
    if n > 0 {
        std::ptr::copy_nonoverlapping(reader.data.as_ptr().add(reader.pos), buffer as *mut u8, n);
        reader.pos += n;
    }
    n as i64
}

impl PluginInstance {
    fn state_ext(&self) -> Result<&clap_plugin_state> {
        if self.ext.state.is_null() {
            return Err(HostError::MissingExtension("clap.state"));
        }
        Ok(unsafe { &*self.ext.state })
    }

    /// Saves the plugin state into a byte vector.
    pub fn save_state(&mut self) -> Result<Vec<u8>> {
        self.save_state_chunked(usize::MAX)
    }

    /// Saves the state through a stream that accepts at most `max_chunk` bytes per write.
    pub fn save_state_chunked(&mut self, max_chunk: usize) -> Result<Vec<u8>> {
        if max_chunk == 0 {
            return Err(HostError::Usage("max_chunk must be at least 1".into()));
        }
        let save = self
            .state_ext()?
            .save
            .ok_or(HostError::NullFunction("state.save"))?;
        let mut writer = VecWriter {
            data: Vec::new(),
            max_chunk,
        };
        let stream = clap_ostream {
            ctx: &mut writer as *mut VecWriter as *mut c_void,
            write: Some(ostream_write),
        };
        let ok = unsafe { save(self.plugin, &stream) };
        self.service_host_requests()?;
        if !ok {
            return Err(HostError::Rejected("state.save() returned false".into()));
        }
        Ok(writer.data)
    }

    /// Loads a state. `Err(Rejected)` when the plugin returns false.
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<()> {
        self.load_state_chunked(bytes, usize::MAX)
    }

    /// Loads a state through a stream that returns at most `max_chunk` bytes per read.
    pub fn load_state_chunked(&mut self, bytes: &[u8], max_chunk: usize) -> Result<()> {
        if max_chunk == 0 {
            return Err(HostError::Usage("max_chunk must be at least 1".into()));
        }
        let load = self
            .state_ext()?
            .load
            .ok_or(HostError::NullFunction("state.load"))?;
        let mut reader = SliceReader {
            data: bytes,
            pos: 0,
            max_chunk,
        };
        let stream = clap_istream {
            ctx: &mut reader as *mut SliceReader as *mut c_void,
            read: Some(istream_read),
        };
        let ok = unsafe { load(self.plugin, &stream) };
        self.service_host_requests()?;
        if !ok {
            return Err(HostError::Rejected("state.load() returned false".into()));
        }
        Ok(())
    }
}
