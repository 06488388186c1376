//! Exports libFuzzer's coverage callbacks from the fuzz executables, so that plugin libraries built
//! with sanitizer coverage (see xtask/src/fuzz.rs) resolve their `__sanitizer_cov_*` calls into the
//! libFuzzer linked here when they are loaded with dlopen.

fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=__sanitizer_cov_*");
}
