//! The editor window every plugin shares: its size, persisted with the plugin state, its resize
//! limits, and creating it.

use std::sync::RwLock;

use nice_plug::editor::dpi::LogicalSize;
use nice_plug::prelude::*;
use nice_plug_egui::{baseview, EguiEditor, EguiEditorState, EguiNiceSettings, NiceEguiApp, RepaintNotifier};
use serde::{Deserialize, Serialize};

/// Editor window size in logical pixels, persisted with the plugin state.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct EditorSize {
    /// Width in logical pixels.
    pub width: u32,
    /// Height in logical pixels.
    pub height: u32,
}

impl EditorSize {
    /// The size as an egui vector.
    pub fn vec2(self) -> egui::Vec2 {
        egui::vec2(self.width as f32, self.height as f32)
    }

    fn logical(self) -> LogicalSize<f32> {
        LogicalSize::new(self.width as f32, self.height as f32)
    }
}

/// What a plugin's editor window is: its title, its size when first opened, and its smallest size.
#[derive(Debug, Clone, Copy)]
pub struct WindowSpec {
    /// Window title (the plugin's name).
    pub title: &'static str,
    /// Size of a freshly opened editor.
    pub default_size: EditorSize,
    /// Smallest size the editor can be resized to.
    pub min_size: EditorSize,
}

/// Creates the editor window for `app`, sized from the persisted `size` and resizable down to the
/// spec's minimum. `None` if the size lock is poisoned.
pub fn create_editor<A: NiceEguiApp>(
    spec: &WindowSpec,
    size: &RwLock<EditorSize>,
    repaint: RepaintNotifier,
    app: A,
) -> Option<EguiEditor<A>> {
    let size = *size.read().ok()?;
    let state = EguiEditorState::from_size(size.logical(), 1.0);
    let hint = ResizeHint::resizable().with_min_logical_size(spec.min_size.logical());
    nice_plug_egui::create_egui_editor(state, repaint, EguiNiceSettings::new().with_tile(spec.title).with_resize_hint(hint), app)
}

/// Stores the window's new logical size, so the session reopens the editor at that size.
pub fn persist_size(size: &RwLock<EditorSize>, window: baseview::WindowSize) {
    if let Ok(mut s) = size.write() {
        *s = EditorSize { width: window.logical.width.round() as u32, height: window.logical.height.round() as u32 };
    }
}
