//! Stem profiles: twelve kinds with the host-visible names in host order, every profile usable, the
//! Bass profile holding a 40 Hz period, and the README table listing them all.
use shared_dsp::key_weighting::KeyWeightingKind as W;
use shared_dsp::stem_profile::{markdown_table, ProfileDetector as D, StemKind};
use std::collections::HashSet;

const NAMES: [&str; 12] = [
    "Drums",
    "Bass",
    "Percussion",
    "Guitars",
    "Keys",
    "Lead Vocal",
    "Backing Vocals",
    "FX",
    "Dialogue",
    "Music",
    "Effects",
    "Full Mix",
];

#[test]
fn twelve_kinds_with_the_host_names_in_order() {
    assert_eq!(StemKind::ALL.len(), 12);
    let names: Vec<&str> = StemKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(names, NAMES);
    assert_eq!(names.iter().collect::<HashSet<_>>().len(), 12, "names are not unique");
    assert_eq!(StemKind::ALL.iter().collect::<HashSet<_>>().len(), 12, "ALL repeats a kind");
}

#[test]
fn every_profile_is_usable() {
    for kind in StemKind::ALL {
        let p = kind.profile();
        let window = p.rms_window_ms;
        assert!(window.is_finite() && (1.0..=300.0).contains(&window), "{kind:?}: window {window}");
        assert!(
            p.low_frequency_hold_ms.is_finite() && (0.0..=100.0).contains(&p.low_frequency_hold_ms),
            "{kind:?}: hold {}",
            p.low_frequency_hold_ms
        );
        let d = p.description;
        // One sentence that fits in a Markdown table cell.
        assert!(d.len() > 20 && d.ends_with('.') && !d.contains('|') && !d.contains('\n'), "{kind:?}: {d:?}");
        assert!(!d[..d.len() - 1].contains(". "), "{kind:?}: more than one sentence: {d:?}");
    }
}

#[test]
fn bass_holds_one_period_of_40_hz() {
    let hold = StemKind::Bass.profile().low_frequency_hold_ms;
    assert!(hold >= 25.0, "Bass hold {hold} ms is shorter than one period of 40 Hz");
}

#[test]
fn profiles_are_the_designed_ones() {
    // Pinned so that a change to the table is deliberate (and reaches the README).
    let expected = [
        (D::Peak, W::Bright),
        (D::Peak, W::LowWeighted),
        (D::Peak, W::Bright),
        (D::Rms, W::Flat),
        (D::Rms, W::Flat),
        (D::Rms, W::Presence),
        (D::Rms, W::Presence),
        (D::CrestBlend, W::Flat),
        (D::Rms, W::SpeechBand),
        (D::CrestBlend, W::KWeighting),
        (D::Peak, W::Flat),
        (D::Rms, W::KWeighting),
    ];
    for (kind, (detector, weighting)) in StemKind::ALL.into_iter().zip(expected) {
        let p = kind.profile();
        assert_eq!((p.auto_detector, p.key_weighting), (detector, weighting), "{kind:?}");
    }
    let window = |k: StemKind| k.profile().rms_window_ms;
    assert!(window(StemKind::BackingVocals) > window(StemKind::LeadVocal), "backing vocals need the longer window");
}

#[test]
fn markdown_table_lists_every_profile() {
    let table = markdown_table();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2 + 12, "{table}");
    let columns = lines[0].matches('|').count();
    assert!(lines.iter().all(|l| l.starts_with('|') && l.ends_with('|') && l.matches('|').count() == columns), "{table}");
    for (kind, line) in StemKind::ALL.into_iter().zip(&lines[2..]) {
        let p = kind.profile();
        assert!(line.starts_with(&format!("| {} |", kind.name())), "{line}");
        for cell in [p.auto_detector.name(), p.key_weighting.name(), p.description] {
            assert!(line.contains(cell), "{kind:?}: {cell:?} missing from {line}");
        }
    }
    eprintln!("{table}");
}
