//! Any bytes: headers, a decode at a scale, region and format the input chooses.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = prizm_jpeg::fuzz_decode(data);
});
