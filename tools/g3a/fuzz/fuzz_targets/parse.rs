//! Fuzz target: arbitrary bytes through `parse`, `verify` and, for whatever
//! parses, `to_bytes` and a second parse. Nothing may panic; a parsed file
//! must re-serialise to something that parses back to the same model, and a
//! file that verifies as valid must re-serialise byte for byte.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = g3a::verify(data);
    let _ = report.to_string();
    if let Ok(addin) = g3a::parse(data) {
        let bytes = addin.to_bytes().expect("a parsed file re-serialises");
        let again = g3a::parse(&bytes).expect("a re-serialised file parses");
        assert_eq!(again, addin);
        if report.is_valid() {
            assert!(bytes == data, "a valid file re-serialises byte for byte");
        }
    }
});
