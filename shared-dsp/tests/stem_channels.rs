//! Channel modes and 5.1: Side only leaves a centred (L = R) signal untouched, Mid only leaves the
//! side untouched, and a loud LFE alone never causes gain reduction.
mod common;
use common::stem::*;
use common::*;
use shared_dsp::channel_mode::ChannelMode;
use shared_dsp::compressor::CompressorSettings;
use shared_dsp::stem_compressor::{KeyRouting, LfeMode, StemCompressorSettings, StemMode, LFE_CHANNEL};
use shared_dsp::stft::FftSize;

fn heavy(mode: StemMode, channel_mode: ChannelMode) -> StemCompressorSettings {
    StemCompressorSettings {
        mode,
        channel_mode,
        resolution: FftSize::N1024,
        dynamics: CompressorSettings {
            threshold_db: -40.0,
            ratio: 10.0,
            range_db: 30.0,
            attack_ms: 1.0,
            lookahead_ms: 1.5,
            makeup_db: 6.0,
            ..Default::default()
        },
        ..Default::default()
    }
}

const MODES: [StemMode; 2] = [StemMode::Broadband, StemMode::Unmask];

#[test]
fn side_only_with_centred_input_is_the_delayed_input() {
    let mut rng = Rng::new(0x51DE);
    for mode in MODES {
        let rate = rng.sample_rate();
        let x = noise(&mut rng, 20_000, 0.9);
        let input = vec![x.clone(), x];
        let (out, latency) = run(&input, &[], &heavy(mode, ChannelMode::SideOnly), rate, &even_blocks(20_000, 333));
        let d = max_diff(&out, &delayed(&input, latency));
        println!("{mode:?}: Side only, L = R: max |out - delayed in| = {d:e} (latency {latency})");
        assert_eq!(d, 0.0, "{mode:?}");
        // Not vacuous: the same settings in Stereo do compress.
        let (out, latency) = run(&input, &[], &heavy(mode, ChannelMode::Stereo), rate, &even_blocks(20_000, 333));
        assert!(max_diff(&out, &delayed(&input, latency)) > 0.1, "{mode:?}: stereo did not compress");
    }
}

#[test]
fn mid_only_leaves_the_side_untouched() {
    let mut rng = Rng::new(0x31D);
    for mode in MODES {
        let m = noise(&mut rng, 20_000, 0.5);
        let s = noise(&mut rng, 20_000, 0.2);
        let input = vec![m.iter().zip(&s).map(|(m, s)| m + s).collect(), m.iter().zip(&s).map(|(m, s)| m - s).collect()];
        let (out, latency) = run(&input, &[], &heavy(mode, ChannelMode::MidOnly), 48_000.0, &even_blocks(20_000, 256));
        let want = delayed(&input, latency);
        let (mut side_err, mut mid_change) = (0.0f32, 0.0f32);
        for i in latency + 4096..20_000 {
            let side_out = 0.5 * (out[0][i] - out[1][i]);
            let side_in = 0.5 * (want[0][i] - want[1][i]);
            side_err = side_err.max((side_out - side_in).abs());
            mid_change = mid_change.max((0.5 * (out[0][i] + out[1][i]) - 0.5 * (want[0][i] + want[1][i])).abs());
        }
        println!("{mode:?}: Mid only: side error {side_err:e}, mid change {mid_change}");
        assert!(side_err < 1e-6, "{mode:?}: side changed by {side_err}");
        assert!(mid_change > 0.05, "{mode:?}: mid not compressed");
    }
}

fn surround(lfe: LfeMode, mode: StemMode) -> StemCompressorSettings {
    StemCompressorSettings { lfe, ..heavy(mode, ChannelMode::Stereo) }
}

#[test]
fn a_loud_lfe_alone_causes_no_gain_reduction() {
    let mut rng = Rng::new(0x1FE);
    let len = 24_000;
    for mode in MODES {
        let mut input = vec![vec![0.0f32; len]; 6];
        // 0 dBFS 50 Hz in the LFE, quiet noise (-60 dBFS) elsewhere: far below the -40 dB threshold.
        input[LFE_CHANNEL] = (0..len).map(|i| (2.0 * std::f32::consts::PI * 50.0 * i as f32 / 48_000.0).sin()).collect();
        for ch in [0, 1, 2, 4, 5] {
            input[ch] = noise(&mut rng, len, 0.001);
        }
        for lfe in [LfeMode::Follow, LfeMode::Bypass] {
            let s = StemCompressorSettings { dynamics: CompressorSettings { makeup_db: 0.0, ..surround(lfe, mode).dynamics }, ..surround(lfe, mode) };
            let (out, latency) = run(&input, &[], &s, 48_000.0, &even_blocks(len, 512));
            let d = max_diff(&out, &delayed(&input, latency));
            println!("{mode:?} LFE {lfe:?}: loud LFE alone, max |out - delayed in| = {d:e}");
            assert!(d < 1e-6, "{mode:?} {lfe:?}: the LFE caused gain reduction ({d})");
        }
        // Not vacuous: the same level in the centre does compress, and the LFE follows it only in Follow.
        let mut loud_centre = input.clone();
        loud_centre[2] = input[LFE_CHANNEL].clone();
        for (lfe, follows) in [(LfeMode::Follow, true), (LfeMode::Bypass, false)] {
            let s = StemCompressorSettings { dynamics: CompressorSettings { makeup_db: 0.0, ..surround(lfe, mode).dynamics }, ..surround(lfe, mode) };
            let (out, latency) = run(&loud_centre, &[], &s, 48_000.0, &even_blocks(len, 512));
            let want = delayed(&loud_centre, latency);
            let centre_drop = peak(&[want[2][12_000..].to_vec()]) / peak(&[out[2][12_000..].to_vec()]);
            let lfe_drop = peak(&[want[LFE_CHANNEL][12_000..].to_vec()]) / peak(&[out[LFE_CHANNEL][12_000..].to_vec()]);
            println!("{mode:?} LFE {lfe:?}: loud centre: centre down {:.1} dB, LFE down {:.2} dB",
                20.0 * centre_drop.log10(), 20.0 * lfe_drop.log10());
            assert!(centre_drop > 2.0, "{mode:?}: centre not compressed");
            if follows {
                assert!(lfe_drop > 1.5, "{mode:?}: LFE did not follow");
            } else {
                assert!((lfe_drop - 1.0).abs() < 1e-5, "{mode:?}: bypassed LFE changed");
            }
        }
    }
}

#[test]
fn external_key_drives_the_gain_and_blend_mixes_both() {
    let mut rng = Rng::new(0xE7);
    let len = 20_000;
    let quiet = vec![noise(&mut rng, len, 0.001), noise(&mut rng, len, 0.001)];
    let loud = vec![noise(&mut rng, len, 0.9), noise(&mut rng, len, 0.9)];
    for mode in MODES {
        for (key, key_blend, expect_reduction) in
            [(KeyRouting::Internal, 0.0, false), (KeyRouting::External, 0.0, true), (KeyRouting::Blend, 0.5, true), (KeyRouting::Blend, 0.0, false)]
        {
            let s = StemCompressorSettings { key, key_blend, ..heavy(mode, ChannelMode::Stereo) };
            let s = StemCompressorSettings { dynamics: CompressorSettings { makeup_db: 0.0, ..s.dynamics }, ..s };
            let (out, latency) = run(&quiet, &loud, &s, 48_000.0, &even_blocks(len, 512));
            let ratio = peak(&delayed(&quiet, latency)) / peak(&out);
            println!("{mode:?} key {key:?} blend {key_blend}: quiet stem down {:.2} dB", 20.0 * ratio.log10());
            assert_eq!(ratio > 2.0, expect_reduction, "{mode:?} {key:?} {key_blend}");
        }
    }
}
