//! Conversions from the C strings a plugin hands over to owned Rust strings.

use std::ffi::{c_char, CStr};

/// Copies a nul-terminated C string; null becomes the empty string.
///
/// # Safety
/// `ptr` must be null or point to a nul-terminated string that stays valid during the call.
pub(crate) unsafe fn from_ptr(ptr: *const c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    CStr::from_ptr(ptr).to_string_lossy().into_owned()
}

/// Copies a fixed-size `char` array, stopping at the first nul or at the end of the array, so a
/// plugin that forgets the terminator cannot make us read past the buffer.
pub(crate) fn from_array(buf: &[c_char]) -> String {
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Copies a null-terminated array of C strings (such as `clap_plugin_descriptor::features`).
///
/// # Safety
/// `list` must be null or point to a null-terminated array of valid C strings.
pub(crate) unsafe fn from_list(list: *const *const c_char) -> Vec<String> {
    let mut out = Vec::new();
    if list.is_null() {
        return out;
    }
    let mut i = 0;
    // NOTE: the bound only protects against a missing terminator in a broken plugin.
    while i < 1024 {
        let item = *list.add(i);
        if item.is_null() {
            break;
        }
        out.push(from_ptr(item));
        i += 1;
    }
    out
}
