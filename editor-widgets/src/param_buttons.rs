//! Buttons bound to parameters: a toggle for booleans and a segmented choice for enums. Both go
//! through the host's begin/set/end gesture, so automation records them.

use egui::{Response, Ui};
use nice_plug::prelude::{BoolParam, Enum, EnumParam, ParamSetter};

/// A labelled on/off button for a boolean parameter.
pub fn toggle(ui: &mut Ui, label: &str, param: &BoolParam, setter: &ParamSetter) -> Response {
    let on = param.value();
    let response = ui.add(egui::Button::new(label).selected(on));
    if response.clicked() {
        setter.begin_set_parameter(param);
        setter.set_parameter(param, !on);
        setter.end_set_parameter(param);
    }
    response
}

/// One button per variant of an enum parameter; the current one is highlighted.
pub fn choice<T: Enum + PartialEq + 'static>(ui: &mut Ui, param: &EnumParam<T>, setter: &ParamSetter) {
    let current = param.value().to_index();
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        for (i, name) in T::variants().iter().enumerate() {
            if ui.selectable_label(i == current, *name).clicked() && i != current {
                setter.begin_set_parameter(param);
                setter.set_parameter(param, T::from_index(i));
                setter.end_set_parameter(param);
            }
        }
    });
}
