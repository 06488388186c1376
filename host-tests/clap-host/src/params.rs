//! The `clap.params` extension: parameter info, values, text conversion and setting values.

use clap_sys::ext::params::{
    clap_param_info, clap_plugin_params, CLAP_PARAM_IS_AUTOMATABLE, CLAP_PARAM_IS_BYPASS,
    CLAP_PARAM_IS_ENUM, CLAP_PARAM_IS_HIDDEN, CLAP_PARAM_IS_READONLY, CLAP_PARAM_IS_STEPPED,
};
use clap_sys::id::clap_id;

use crate::error::{HostError, Result};
use crate::events::{InputEvents, OutputEvents};
use crate::host::AudioThreadGuard;
use crate::instance::PluginInstance;
use crate::strings;

/// Owned copy of a `clap_param_info`. Values are in CLAP units, which are whatever the plugin
/// chose (nice-plug reports continuous parameters normalised to 0..1, and stepped ones as
/// 0..step_count).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// Stable CLAP id.
    pub id: clap_id,
    /// Display name.
    pub name: String,
    /// Module path (group), may be empty.
    pub module: String,
    /// `CLAP_PARAM_*` flags.
    pub flags: u32,
    /// Smallest CLAP value.
    pub min: f64,
    /// Largest CLAP value.
    pub max: f64,
    /// Default CLAP value.
    pub default: f64,
}

impl ParamInfo {
    pub fn is_stepped(&self) -> bool {
        self.flags & CLAP_PARAM_IS_STEPPED != 0
    }
    pub fn is_bypass(&self) -> bool {
        self.flags & CLAP_PARAM_IS_BYPASS != 0
    }
    pub fn is_enum(&self) -> bool {
        self.flags & CLAP_PARAM_IS_ENUM != 0
    }
    pub fn is_hidden(&self) -> bool {
        self.flags & CLAP_PARAM_IS_HIDDEN != 0
    }
    pub fn is_readonly(&self) -> bool {
        self.flags & CLAP_PARAM_IS_READONLY != 0
    }
    pub fn is_automatable(&self) -> bool {
        self.flags & CLAP_PARAM_IS_AUTOMATABLE != 0
    }
}

/// Reads the leading number of a display string such as `"-18.0 dB"`, `"100%"` or `"1.20 kHz"`.
/// A unit starting with `k` multiplies by 1000. Returns `None` for text like `"Off"`.
pub fn parse_display_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    for (word, v) in [
        ("-inf", f64::NEG_INFINITY),
        ("inf", f64::INFINITY),
        ("+inf", f64::INFINITY),
    ] {
        if lower.starts_with(word) {
            return Some(v);
        }
    }
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0)))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    let value: f64 = t[..end].parse().ok()?;
    let unit = t[end..].trim_start();
    let kilo = unit.starts_with('k') && unit.len() > 1;
    Some(if kilo { value * 1000.0 } else { value })
}

/// Number of digits after the decimal point in the leading number of `text`.
fn display_decimals(text: &str) -> i32 {
    let t = text.trim();
    let Some(dot) = t.find('.') else { return 0 };
    t[dot + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .count() as i32
}

impl PluginInstance {
    fn params_ext(&self) -> Result<&clap_plugin_params> {
        if self.ext.params.is_null() {
            return Err(HostError::MissingExtension("clap.params"));
        }
        Ok(unsafe { &*self.ext.params })
    }

    /// Every parameter, in plugin order.
    pub fn params(&self) -> Result<Vec<ParamInfo>> {
        let ext = self.params_ext()?;
        let count = ext.count.ok_or(HostError::NullFunction("params.count"))?;
        let get_info = ext
            .get_info
            .ok_or(HostError::NullFunction("params.get_info"))?;
        let n = unsafe { count(self.plugin) };
        let mut out = Vec::with_capacity(n as usize);
        for index in 0..n {
            let mut info: clap_param_info = unsafe { std::mem::zeroed() };
            if !unsafe { get_info(self.plugin, index, &mut info) } {
                return Err(HostError::Rejected(format!(
                    "params.get_info({index}) returned false"
                )));
            }
            out.push(ParamInfo {
                id: info.id,
                name: strings::from_array(&info.name),
                module: strings::from_array(&info.module),
                flags: info.flags,
                min: info.min_value,
                max: info.max_value,
                default: info.default_value,
            });
        }
        Ok(out)
    }

    /// The parameter whose display name is exactly `name`.
    pub fn param_info(&self, name: &str) -> Result<ParamInfo> {
        let params = self.params()?;
        if let Some(p) = params.iter().find(|p| p.name == name) {
            return Ok(p.clone());
        }
        let names: Vec<_> = params.iter().map(|p| p.name.as_str()).collect();
        Err(HostError::Usage(format!(
            "no parameter named `{name}`; the plugin has {names:?}"
        )))
    }

    /// The parameter with CLAP id `id`.
    pub fn param_info_by_id(&self, id: clap_id) -> Result<ParamInfo> {
        self.params()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| HostError::Usage(format!("no parameter with id {id}")))
    }

    /// Current value of parameter `id` in CLAP units.
    pub fn param_value(&self, id: clap_id) -> Result<f64> {
        let get_value = self
            .params_ext()?
            .get_value
            .ok_or(HostError::NullFunction("params.get_value"))?;
        let mut value = f64::NAN;
        if !unsafe { get_value(self.plugin, id, &mut value) } {
            return Err(HostError::Rejected(format!(
                "params.get_value({id}) returned false"
            )));
        }
        Ok(value)
    }

    /// Current value of the parameter named `name`, in CLAP units.
    pub fn param_value_by_name(&self, name: &str) -> Result<f64> {
        self.param_value(self.param_info(name)?.id)
    }

    /// The plugin's text for `value` of parameter `id`.
    pub fn value_to_text(&self, id: clap_id, value: f64) -> Result<String> {
        let f = self
            .params_ext()?
            .value_to_text
            .ok_or(HostError::NullFunction("params.value_to_text"))?;
        let mut buf = [0 as std::ffi::c_char; 256];
        if !unsafe { f(self.plugin, id, value, buf.as_mut_ptr(), buf.len() as u32) } {
            return Err(HostError::Rejected(format!(
                "params.value_to_text({id}, {value}) returned false"
            )));
        }
        Ok(strings::from_array(&buf))
    }

    /// The plugin's CLAP value for display text `text` of parameter `id`.
    pub fn text_to_value(&self, id: clap_id, text: &str) -> Result<f64> {
        let f = self
            .params_ext()?
            .text_to_value
            .ok_or(HostError::NullFunction("params.text_to_value"))?;
        let c = std::ffi::CString::new(text)
            .map_err(|_| HostError::Usage("text contains a nul".into()))?;
        let mut value = f64::NAN;
        if !unsafe { f(self.plugin, id, c.as_ptr(), &mut value) } {
            return Err(HostError::Rejected(format!(
                "params.text_to_value({id}, {text:?}) returned false"
            )));
        }
        Ok(value)
    }

    /// The current value of parameter `name` as the plugin displays it.
    pub fn param_text(&self, name: &str) -> Result<String> {
        let info = self.param_info(name)?;
        self.value_to_text(info.id, self.param_value(info.id)?)
    }

    /// The current value of parameter `name` in display units (the leading number of its text).
    pub fn param_display_value(&self, name: &str) -> Result<f64> {
        let text = self.param_text(name)?;
        parse_display_number(&text).ok_or_else(|| {
            HostError::Rejected(format!("`{name}` displays {text:?}, which is not a number"))
        })
    }

    /// Sets parameter `id` to `value` (CLAP units, must lie in `min..=max`).
    ///
    /// While processing, the change is queued and delivered as a `CLAP_EVENT_PARAM_VALUE` at time
    /// 0 of the next process call, which is how a DAW sends automation. Otherwise it is delivered
    /// at once through `params.flush()`, so `param_value` reflects it immediately.
    pub fn set_param(&mut self, id: clap_id, value: f64) -> Result<()> {
        let info = self.param_info_by_id(id)?;
        if !value.is_finite() || value < info.min || value > info.max {
            return Err(HostError::Usage(format!(
                "value {value} outside {}..={} of `{}`",
                info.min, info.max, info.name
            )));
        }
        self.pending_params.push((id, value));
        if !self.processing {
            self.flush_params()?;
        }
        Ok(())
    }

    /// Sets parameter `name` from a value in display units (dB, ms, %, Hz, ...), converted by the
    /// plugin's own `text_to_value`. The result is checked by converting it back to text, so a
    /// plugin that parses the number differently from how it displays it yields an error rather
    /// than a silently wrong value. Returns the CLAP value that was set.
    pub fn set_param_by_name(&mut self, name: &str, display_value: f64) -> Result<f64> {
        let info = self.param_info(name)?;
        let default_text = self.value_to_text(info.id, info.default)?;
        let unit: String = {
            let t = default_text.trim();
            let end = t
                .char_indices()
                .find(|&(i, c)| {
                    !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0))
                })
                .map(|(i, _)| i)
                .unwrap_or(t.len());
            t[end..].to_string()
        };
        let number = format!("{display_value}");
        let candidates = [
            number.clone(),
            format!("{number}{unit}"),
            format!("{number} {}", unit.trim()),
        ];
        let mut tried = Vec::new();
        for text in candidates.iter() {
            let Ok(value) = self.text_to_value(info.id, text) else {
                tried.push(format!("{text:?} -> rejected"));
                continue;
            };
            let back = self.value_to_text(info.id, value)?;
            let tolerance =
                (0.5 * 10f64.powi(-display_decimals(&back))).max(display_value.abs() * 1e-6);
            match parse_display_number(&back) {
                Some(shown) if (shown - display_value).abs() <= tolerance => {
                    self.set_param(info.id, value)?;
                    return Ok(value);
                }
                _ => tried.push(format!("{text:?} -> {value} -> {back:?}")),
            }
        }
        Err(HostError::Rejected(format!(
            "cannot set `{name}` to {display_value}: {}",
            tried.join("; ")
        )))
    }

    /// Sets parameter `name` from display text, e.g. `("Key", "External")`. Returns the CLAP value.
    pub fn set_param_text(&mut self, name: &str, text: &str) -> Result<f64> {
        let info = self.param_info(name)?;
        let value = self.text_to_value(info.id, text)?;
        self.set_param(info.id, value)?;
        Ok(value)
    }

    /// Sends queued parameter changes through `params.flush()` now. Must not be called while
    /// processing (the render functions deliver queued changes themselves then).
    pub fn flush_params(&mut self) -> Result<()> {
        if self.processing {
            return Err(HostError::Usage(
                "flush_params() while processing; render instead".into(),
            ));
        }
        let flush = self
            .params_ext()?
            .flush
            .ok_or(HostError::NullFunction("params.flush"))?;
        let mut input = InputEvents::default();
        for (id, value) in self.pending_params.drain(..) {
            input.push_param(0, id, value);
        }
        let mut output = OutputEvents::default();
        {
            // [active ? audio-thread : main-thread]
            let _audio = self.active.map(|_| AudioThreadGuard::enter());
            let in_list = input.as_clap();
            let out_list = output.as_clap();
            unsafe { flush(self.plugin, &in_list, &out_list) };
        }
        self.service_host_requests()
    }
}
