//! The saved session's and the link's JSON, read and written by `core::json` (serde_json before): what
//! serde_json wrote still opens, every number and text comes back exactly, and bad text is an error
//! that says where, never a panic.

use emlab::core::json::{write_number, write_text, Json, MAX_DEPTH};
use emlab::core::lab::{Lab, Link, Session};
use proptest::prelude::*;

/// The sessions and links serde_json wrote (the build before `core::json`), by name.
fn written_by_serde(kind: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/serde-json");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(&format!(".{kind}.json")))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn sessions_and_links_serde_json_wrote_still_open_and_are_written_the_same_way() {
    let sessions = written_by_serde("session");
    let links = written_by_serde("link");
    assert_eq!(sessions.len(), 5);
    assert_eq!(links.len(), 5);
    for (name, old) in &sessions {
        let lab = Lab::restore_session(old, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let new = lab.save_session();
        // The same fields, in the same order, with the same values (numbers may be spelt differently:
        // serde_json wrote "1.3888888888887942e+29" where `{:?}` writes "…e29").
        assert_eq!(
            Json::parse(&new).unwrap(),
            Json::parse(old).unwrap(),
            "{name}"
        );
        let again = Lab::restore_session(&new, None).unwrap();
        assert_eq!(again.save_session(), new, "{name}");
        assert_eq!(
            format!("{:?}", again.em.saved()),
            format!("{:?}", lab.em.saved()),
            "{name}"
        );
        // Everything but the numbers' spelling is written as serde_json wrote it.
        let plain = |s: &str| s.replace("e+", "e");
        assert_eq!(plain(&new), plain(old), "{name}");
    }
    for (name, old) in &links {
        let link = Link::from_json(old).unwrap_or_else(|e| panic!("{name}: {e}"));
        let lab = Lab::from_link(&link).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            Json::parse(&link.to_json()).unwrap(),
            Json::parse(old).unwrap(),
            "{name}"
        );
        assert_eq!(
            lab.link().unwrap(),
            link,
            "{name}: the link of the lab it opens"
        );
    }
}

#[test]
fn numbers_come_back_to_the_bit() {
    let mut specials = vec![
        0.0,
        -0.0,
        1.0,
        0.1,
        1e-7,
        1e16,
        123456789012345680.0,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        1.3888888888887942e29,
    ];
    // Every exponent, with several mantissas each.
    for e in 0..2047u64 {
        for m in [
            0u64,
            1,
            0x8_0000_0000_0000,
            0xF_FFFF_FFFF_FFFF,
            0x1234_5678_9ABC,
        ] {
            specials.push(f64::from_bits(e << 52 | m));
            specials.push(-f64::from_bits(e << 52 | m));
        }
    }
    for v in specials {
        let mut out = String::new();
        write_number(&mut out, v);
        match Json::parse(&out) {
            Ok(Json::Number(back)) => assert_eq!(back.to_bits(), v.to_bits(), "{v:e} as {out}"),
            other => panic!("{v:e} as {out}: {other:?}"),
        }
    }
    // JSON has no infinities and no NaN: they are written as null, which reads back as no number.
    for v in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
        let mut out = String::new();
        write_number(&mut out, v);
        assert_eq!(out, "null");
    }
    // Numbers as other writers spell them.
    for (text, v) in [
        ("1E+2", 100.0),
        ("-0", -0.0),
        ("2.5e-3", 0.0025),
        ("1.3888888888887942e+29", 1.3888888888887942e29),
        (" 7 ", 7.0),
    ] {
        assert_eq!(Json::parse(text), Ok(Json::Number(v)), "{text}");
    }
}

#[test]
fn texts_come_back_exactly_with_every_escape() {
    let every_control: String = (0u8..0x20).map(char::from).collect();
    for s in [
        "",
        "plain",
        "quote \" and backslash \\ and slash /",
        "tab\tnewline\nreturn\r",
        &every_control,
        "身高（厘米）",
        "emoji 😀 and é",
        "\u{7f}\u{2028}\u{2029}",
    ] {
        let mut out = String::new();
        write_text(&mut out, s);
        assert!(
            !out.bytes().any(|b| b < 0x20),
            "{out:?}: raw control characters"
        );
        assert_eq!(Json::parse(&out), Ok(Json::Text(s.to_string())), "{s:?}");
    }
    // Escapes other writers use.
    assert_eq!(
        Json::parse(r#""\u00e9\ud83d\ude00\/\b\f\u0041""#),
        Ok(Json::Text("é😀/\u{8}\u{c}A".to_string()))
    );
}

#[test]
fn bad_text_is_an_error_that_says_where_never_a_panic() {
    for (text, error) in [
        ("", "expected a value at character 1"),
        ("{\"a\" 1}", "expected ':' at character 6"),
        ("[1 2]", "expected ',' or ']' at character 4"),
        ("{\"a\":1,}", "expected '\"' at character 8"),
        ("tru", "expected true at character 1"),
        ("01", "expected the end of the text at character 2"),
        ("1.", "expected a digit at character 3"),
        ("-", "expected a digit at character 2"),
        ("1e", "expected a digit at character 3"),
        ("1e999", "a number out of range at character 1"),
        ("\"abc", "expected '\"' at character 5"),
        (
            "\"a\u{1}\"",
            "expected a control character escaped at character 3",
        ),
        ("\"\\x\"", "expected an escape at character 3"),
        ("\"\\u12G4\"", "expected a hex digit at character 6"),
        (
            "\"\\ud83d\"",
            "expected the second half of a surrogate pair at character 8",
        ),
        ("\"\\ude00\"", "expected a character at character 8"),
        ("{} {}", "expected the end of the text at character 4"),
    ] {
        assert_eq!(Json::parse(text), Err(error.to_string()), "{text:?}");
    }
    // Nesting: as deep as MAX_DEPTH reads, deeper is an error (not a stack overflow), even very deep.
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(Json::parse(&nested(MAX_DEPTH + 1)).is_ok());
    assert!(Json::parse(&nested(MAX_DEPTH + 2)).is_err());
    assert!(Json::parse(&nested(1_000_000)).is_err());
    // A saved session cut at every character, or with a character removed: an error, never a panic.
    let lab = {
        let mut lab = Lab::from_csv("gmm1d", "1\n2\n3\n10\n11\n12\n", 2, 1, 0).unwrap();
        lab.step().unwrap();
        lab
    };
    let good = lab.save_session();
    for cut in (0..good.len()).filter(|&i| good.is_char_boundary(i)) {
        assert!(Session::from_json(&good[..cut]).is_err(), "cut at {cut}");
        let mut without = good.clone();
        without.remove(cut);
        let _ = Lab::restore_session(&without, None);
    }
    // Wrong types name the field.
    let wrong = good.replace("\"version\":2", "\"version\":\"2\"");
    assert_eq!(
        Session::from_json(&wrong).unwrap_err(),
        "field `version`: expected a number"
    );
    let missing = good.replace("\"model\"", "\"modal\"");
    assert_eq!(
        Session::from_json(&missing).unwrap_err(),
        "missing field `model`"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any text: a value or an error, never a panic; and a text read back is the text written.
    #[test]
    fn any_text_reads_without_panicking(s in any::<String>()) {
        let _ = Json::parse(&s);
        let mut out = String::new();
        write_text(&mut out, &s);
        prop_assert_eq!(Json::parse(&out), Ok(Json::Text(s)));
    }

    /// Any JSON-looking text made of the characters JSON uses: never a panic.
    #[test]
    fn json_like_text_reads_without_panicking(s in "[\\[\\]{}\",:0-9eE.+\\-tnulfrase\\\\ ]{0,40}") {
        let _ = Json::parse(&s);
        let _ = Session::from_json(&s);
        let _ = Link::from_json(&s);
    }

    /// Any finite number comes back to the bit.
    #[test]
    fn any_number_comes_back(bits in any::<u64>()) {
        let v = f64::from_bits(bits);
        prop_assume!(v.is_finite());
        let mut out = String::new();
        write_number(&mut out, v);
        match Json::parse(&out) {
            Ok(Json::Number(back)) => prop_assert_eq!(back.to_bits(), bits),
            other => prop_assert!(false, "{} as {}: {:?}", v, out, other),
        }
    }
}
