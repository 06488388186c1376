//! Key routing: what feeds each instance's sidechain input, always taken from the unprocessed
//! input files.

use std::fmt;

use super::session::{list, SUM};

/// The signal on an instance's sidechain (first non-main) input port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRoute {
    /// Nothing connected: the port is presented silent (CLAP `constant_mask` set).
    None,
    /// The sum of every *input* stem that is `in_sum` (the unprocessed full mix): the mastering
    /// engineer's routing, under which the stem-sum invariant holds.
    Sum,
    /// One other *input* stem, unprocessed (e.g. the vocal keying the music).
    Stem(String),
}

impl KeyRoute {
    /// Parses `"sum"`, `"stem:NAME"` or `"none"`; `NAME` must be one of `stems`.
    pub fn parse(text: &str, stems: &[&str]) -> Result<KeyRoute, String> {
        match text {
            SUM => Ok(KeyRoute::Sum),
            "none" => Ok(KeyRoute::None),
            _ => match text.strip_prefix("stem:") {
                Some(name) if stems.contains(&name) => Ok(KeyRoute::Stem(name.to_owned())),
                Some(name) => Err(format!(
                    "key `{text}`: there is no stem `{name}`; stems: {}",
                    list(stems)
                )),
                None => Err(format!(
                    "key `{text}`: expected \"sum\" (all input stems), \"stem:NAME\" (one input stem) or \"none\""
                )),
            },
        }
    }

    /// The key signal for this route: the unprocessed input stem or the input sum. Every
    /// instance's main input is latency-compensated (aligned with the input files), so the key
    /// needs no delay to be aligned with it, whatever the instance's position in its chain.
    pub fn signal<'a>(
        &self,
        names: &[&str],
        inputs: &'a [Vec<Vec<f32>>],
        input_sum: &'a [Vec<f32>],
    ) -> Option<&'a [Vec<f32>]> {
        match self {
            KeyRoute::None => None,
            KeyRoute::Sum => Some(input_sum),
            KeyRoute::Stem(name) => names
                .iter()
                .position(|n| n == name)
                .map(|i| inputs[i].as_slice()),
        }
    }
}

impl fmt::Display for KeyRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyRoute::None => write!(f, "none"),
            KeyRoute::Sum => write!(f, "{SUM}"),
            KeyRoute::Stem(name) => write!(f, "stem:{name}"),
        }
    }
}

/// The sample-wise sum of the stems flagged in `in_sum` (silence of `channels x frames` if none).
pub fn sum_of(stems: &[Vec<Vec<f32>>], in_sum: &[bool], channels: usize, frames: usize) -> Vec<Vec<f32>> {
    let mut sum = vec![vec![0.0f32; frames]; channels];
    for (stem, _) in stems.iter().zip(in_sum).filter(|(_, &keep)| keep) {
        for (acc, ch) in sum.iter_mut().zip(stem) {
            for (a, x) in acc.iter_mut().zip(ch) {
                *a += *x;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_route() {
        let stems = ["drums", "vocals"];
        for (text, route) in [
            ("sum", KeyRoute::Sum),
            ("none", KeyRoute::None),
            ("stem:vocals", KeyRoute::Stem("vocals".into())),
        ] {
            assert_eq!(KeyRoute::parse(text, &stems).unwrap(), route);
            assert_eq!(route.to_string(), text);
        }
    }

    #[test]
    fn refuses_unknown_stems_and_words() {
        let e = KeyRoute::parse("stem:bass", &["drums", "vocals"]).unwrap_err();
        assert!(e.contains("bass") && e.contains("drums, vocals"), "{e}");
        let e = KeyRoute::parse("mix", &["drums"]).unwrap_err();
        assert!(e.contains("stem:NAME"), "{e}");
    }

    #[test]
    fn the_sum_leaves_out_stems_not_in_the_sum() {
        let stems = vec![vec![vec![1.0, 2.0]], vec![vec![10.0, 20.0]], vec![vec![100.0, 200.0]]];
        assert_eq!(sum_of(&stems, &[true, false, true], 1, 2), vec![vec![101.0, 202.0]]);
        let names = ["a", "b", "c"];
        let sum = sum_of(&stems, &[true, true, true], 1, 2);
        assert_eq!(KeyRoute::Stem("b".into()).signal(&names, &stems, &sum), Some(&stems[1][..]));
        assert_eq!(KeyRoute::Sum.signal(&names, &stems, &sum), Some(&sum[..]));
        assert_eq!(KeyRoute::None.signal(&names, &stems, &sum), None);
    }
}
