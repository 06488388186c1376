//! Prints the Stem Compressor's stem profiles as a Markdown table (pasted into the README).
fn main() {
    print!("{}", shared_dsp::stem_profile::markdown_table());
}
