#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| elmo_fuzz::check(bytes));
