//! The preset row every editor shows under its header: a menu with the plugin's factory presets and
//! the user's own, a name field and Save. GUI thread only: user files are read when the menu is made
//! and after a save, and a chosen preset goes to the host as begin/set/end gestures.

use std::collections::BTreeMap;
use std::path::PathBuf;

use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::Params;

use crate::factory_presets::FactoryPreset;
use crate::presets::{self, PresetError, PresetValue};
use crate::theme;

/// A chosen preset's values, or why they could not be read.
type Chosen = Result<BTreeMap<String, PresetValue>, PresetError>;

/// Preset menu state of one editor (GUI thread).
pub struct PresetMenu {
    /// CLAP id user preset files are filed under (a plugin's variants may share one).
    plugin_id: &'static str,
    /// Folder name of this plugin's user presets (see [`presets::user_preset_dir`]).
    user_folder: &'static str,
    /// Factory presets, in menu order.
    factory: Vec<FactoryPreset>,
    /// Name of the last preset loaded or saved.
    current: String,
    /// Name typed for saving.
    save_name: String,
    /// User presets found on disk, (name, path).
    user: Vec<(String, PathBuf)>,
    /// Last error or confirmation shown after the row, and whether it is an error.
    message: Option<(String, bool)>,
}

impl PresetMenu {
    /// A menu for the plugin filed as `plugin_id`, with user presets in `user_folder` and the
    /// parsed factory file; a factory file that did not parse leaves the factory list empty and
    /// says why. Reads the user preset folder.
    pub fn new(
        plugin_id: &'static str,
        user_folder: &'static str,
        factory: Result<Vec<FactoryPreset>, PresetError>,
    ) -> Self {
        let (factory, message) = match factory {
            Ok(list) => (list, None),
            Err(e) => (Vec::new(), Some((format!("factory presets: {e}"), true))),
        };
        let mut menu = Self {
            plugin_id,
            user_folder,
            factory,
            current: String::new(),
            save_name: String::new(),
            user: Vec::new(),
            message,
        };
        menu.refresh_user_presets();
        menu
    }

    /// The factory presets, in menu order.
    pub fn factory(&self) -> &[FactoryPreset] {
        &self.factory
    }

    /// The last error or confirmation, and whether it is an error.
    pub fn message(&self) -> Option<&(String, bool)> {
        self.message.as_ref()
    }

    /// Re-reads the user preset folder.
    pub fn refresh_user_presets(&mut self) {
        self.user = presets::user_preset_dir(self.user_folder)
            .map(|dir| presets::list(&dir, self.plugin_id))
            .unwrap_or_default();
    }

    /// Draws the row: the menu (Factory, then User), the name field and Save, and the last message.
    /// A chosen preset is checked against `params` and sent through `gui` whole, or not at all.
    pub fn show(&mut self, ui: &mut egui::Ui, params: &dyn Params, gui: &GuiContext) {
        self.show_with(ui, params, |changes| presets::apply(gui, changes));
    }

    /// [`Self::show`], handing a chosen preset's checked changes to `send`.
    fn show_with(&mut self, ui: &mut egui::Ui, params: &dyn Params, mut send: impl FnMut(&[presets::Change])) {
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new("Preset").color(theme::LABEL));
            let mut chosen: Option<(String, Chosen)> = None;
            egui::ComboBox::from_id_salt("preset")
                .width(200.0)
                .selected_text(if self.current.is_empty() { "(none)" } else { &self.current })
                .show_ui(ui, |ui| {
                    ui.label(egui::RichText::new("Factory").color(theme::ACCENT));
                    for preset in &self.factory {
                        if ui.selectable_label(false, &preset.name).clicked() {
                            chosen = Some((preset.name.clone(), Ok(preset.values.clone())));
                        }
                    }
                    if !self.user.is_empty() {
                        ui.separator();
                        ui.label(egui::RichText::new("User").color(theme::ACCENT));
                    }
                    for (name, path) in &self.user {
                        if ui.selectable_label(false, name).clicked() {
                            chosen = Some((name.clone(), presets::load(path, self.plugin_id).map(|f| f.values)));
                        }
                    }
                });
            if let Some((name, values)) = chosen {
                match values.and_then(|v| presets::resolve(params, &v)) {
                    Ok(changes) => {
                        send(&changes);
                        self.current = name;
                        self.message = None;
                    }
                    Err(e) => self.message = Some((format!("{name}: {e}"), true)),
                }
            }
            ui.add(egui::TextEdit::singleline(&mut self.save_name).hint_text("preset name").desired_width(140.0));
            if ui.button("Save").clicked() && !self.save_name.trim().is_empty() {
                self.save(params);
            }
            if let Some((text, error)) = &self.message {
                ui.label(egui::RichText::new(text).size(11.0).color(if *error { theme::WARNING } else { theme::LABEL }));
            }
        });
    }

    /// Saves the current settings under the typed name and re-reads the folder.
    fn save(&mut self, params: &dyn Params) {
        let name = self.save_name.trim().to_owned();
        let result = presets::user_preset_dir(self.user_folder)
            .ok_or_else(|| PresetError::Io("no config folder".into()))
            .and_then(|dir| presets::save(&dir, self.plugin_id, &name, presets::capture(params)));
        self.message = Some(match result {
            Ok(path) => (format!("saved {}", path.display()), false),
            Err(e) => (e.to_string(), true),
        });
        self.current = name;
        self.refresh_user_presets();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{pos2, vec2, Context, Event, Modifiers, PointerButton, Pos2, RawInput, Rect};
    use nice_plug::prelude::*;

    #[derive(Params)]
    struct TestParams {
        #[id = "thresh"]
        thresh: FloatParam,
        #[id = "auto"]
        auto: BoolParam,
    }

    fn test_params() -> TestParams {
        TestParams {
            thresh: FloatParam::new("Threshold", -18.0, FloatRange::Linear { min: -60.0, max: 0.0 }),
            auto: BoolParam::new("Auto", false),
        }
    }

    fn factory() -> Vec<FactoryPreset> {
        let preset = |name: &str, thresh: f32, auto: &str| FactoryPreset {
            name: name.into(),
            values: [
                ("thresh".to_owned(), PresetValue::Number(thresh)),
                ("auto".to_owned(), PresetValue::Text(auto.into())),
            ]
            .into_iter()
            .collect(),
        };
        vec![preset("Drums", -20.0, "Off"), preset("Bass", -30.0, "On"), preset("Broken", -10.0, "Onn")]
    }

    /// One headless frame of the row with `events`; returns every text drawn, with its bounds.
    fn frame(
        ctx: &Context,
        menu: &mut PresetMenu,
        params: &TestParams,
        events: Vec<Event>,
        sent: &mut Vec<Vec<(String, f32)>>,
    ) -> Vec<(Rect, String)> {
        let input = RawInput { screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(900.0, 400.0))), events, ..Default::default() };
        let ids: Vec<(ParamPtr, String)> = params.param_map().into_iter().map(|(id, p, _)| (p, id)).collect();
        let output = ctx.run_ui(input, |ui| {
            menu.show_with(ui, params, |changes| {
                let named = changes.iter().map(|(p, v)| (ids.iter().find(|(q, _)| q == p).unwrap().1.clone(), *v));
                sent.push(named.collect());
            });
        });
        let texts = crate::test_shapes::texts(&output.shapes);
        output.drop_without_applying_deltas();
        texts
    }

    /// Clicks the text `label` drawn in the last frame, over three frames; returns the last texts.
    fn click(
        ctx: &Context,
        menu: &mut PresetMenu,
        params: &TestParams,
        texts: &[(Rect, String)],
        label: &str,
        sent: &mut Vec<Vec<(String, f32)>>,
    ) -> Vec<(Rect, String)> {
        let at = texts.iter().rev().find(|(_, t)| t == label).unwrap_or_else(|| panic!("no {label:?} in {texts:?}")).0.center();
        let button = |pressed| Event::PointerButton { pos: at, button: PointerButton::Primary, pressed, modifiers: Modifiers::NONE };
        frame(ctx, menu, params, vec![Event::PointerMoved(at)], sent);
        frame(ctx, menu, params, vec![button(true)], sent);
        frame(ctx, menu, params, vec![button(false)], sent);
        frame(ctx, menu, params, vec![Event::PointerMoved(pos2(890.0, 390.0))], sent)
    }

    #[test]
    fn choosing_a_factory_preset_sends_it_whole_and_a_broken_one_not_at_all() {
        let ctx = Context::default();
        let params = test_params();
        let _ = (&params.thresh, &params.auto);
        let mut menu = PresetMenu::new("org.test", "Stem Suite test: no user presets here", Ok(factory()));
        let mut sent = Vec::new();
        let texts = frame(&ctx, &mut menu, &params, vec![], &mut sent);
        assert!(texts.iter().any(|(_, t)| t == "Preset") && texts.iter().any(|(_, t)| t == "Save"), "{texts:?}");

        let texts = click(&ctx, &mut menu, &params, &texts, "(none)", &mut sent);
        for name in ["Factory", "Drums", "Bass", "Broken"] {
            assert!(texts.iter().any(|(_, t)| t == name), "the open menu lacks {name:?}: {texts:?}");
        }
        assert!(!texts.iter().any(|(_, t)| t == "User"), "no user presets, no User section: {texts:?}");
        let texts = click(&ctx, &mut menu, &params, &texts, "Bass", &mut sent);
        assert_eq!(sent.len(), 1, "{sent:?}");
        let mut got = sent[0].clone();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        // Bass: Auto on, Threshold -30 dB, halfway along -60..0 dB.
        assert_eq!(got, vec![("auto".to_owned(), 1.0), ("thresh".to_owned(), 0.5)]);
        assert!(texts.iter().any(|(_, t)| t == "Bass"), "the menu shows the chosen preset: {texts:?}");

        let texts = click(&ctx, &mut menu, &params, &texts, "Bass", &mut sent);
        let texts = click(&ctx, &mut menu, &params, &texts, "Broken", &mut sent);
        assert_eq!(sent.len(), 1, "the broken preset was sent: {sent:?}");
        let (message, error) = menu.message().expect("a message for the broken preset");
        assert!(*error && message.starts_with("Broken: bad value"), "{message}");
        assert!(texts.iter().any(|(_, t)| t == message), "the message is shown: {texts:?}");
        assert!(texts.iter().any(|(_, t)| t == "Bass"), "the menu still shows the last preset loaded: {texts:?}");
    }

    #[test]
    fn a_factory_file_that_did_not_parse_leaves_an_empty_list_and_the_reason() {
        let menu = PresetMenu::new("org.test", "Test", Err(PresetError::Format("version 9".into())));
        assert!(menu.factory().is_empty());
        let (text, error) = menu.message().unwrap();
        assert!(*error && text.contains("factory presets") && text.contains("version 9"), "{text}");
    }

    #[test]
    fn factory_presets_keep_their_order() {
        let preset = |n: &str| FactoryPreset { name: n.into(), values: BTreeMap::new() };
        let menu = PresetMenu::new("org.test", "Test", Ok(vec![preset("Drums"), preset("Bass"), preset("Alto")]));
        let names: Vec<&str> = menu.factory().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Drums", "Bass", "Alto"]);
        assert!(menu.message().is_none());
    }
}
