//! `core::decimal::parse_f64` against the standard library's `str::parse::<f64>`, bit for bit: written
//! numbers, random digit strings, exact ties between two f64 and their neighbours, subnormals, overflow.

use emlab::core::decimal::parse_f64;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Fails with the text unless both parsers give the same bits (any NaN equals any NaN) or both refuse it.
fn same(text: &str) {
    let ours = parse_f64(text);
    let std = text.parse::<f64>().ok();
    let agree = match (ours, std) {
        (Some(a), Some(b)) => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
        (None, None) => true,
        _ => false,
    };
    assert!(agree, "{text:?}: ours {ours:?}, std {std:?}");
}

#[test]
fn the_grammar_is_the_standard_librarys() {
    for text in [
        "",
        "+",
        "-",
        ".",
        "+.",
        "-.",
        "e5",
        ".e5",
        "1e",
        "1e+",
        "1e-",
        "1.e5",
        ".5",
        "5.",
        "+.5",
        "-5.",
        "1..2",
        "1.2.3",
        "1e5e5",
        " 1",
        "1 ",
        "1_000",
        "0x10",
        "1,5",
        "١",
        "inf",
        "INF",
        "+inf",
        "-Inf",
        "infinity",
        "-INFINITY",
        "infinit",
        "infinityy",
        "nan",
        "NaN",
        "-nan",
        "+NAN",
        "nana",
        "in",
        "1e+-5",
        "00000",
        "-0",
        "+0.000e-99999",
        "0e999999999999999999999",
        "1e999999999999999999999",
        "1e-99999999999",
        "007",
        "000.000100",
        "1E5",
        "1E-5",
        "−1",
        "1f",
        "1d",
        "e",
        "E",
        "0.",
        "-.0",
    ] {
        same(text);
    }
}

#[test]
fn limits_and_the_numbers_around_them() {
    for text in [
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1.797693134862315807e308",
        "1.7976931348623158079e308",
        "1.797693134862315808e308",
        "179769313486231580793728971405301e276",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "2.225073858507201136057409796709131975934819546351645648e-308",
        "4.9406564584124654e-324",
        "4.94065645841246544e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.47032822920623272088e-324",
        "2.470328229206232720882e-324",
        "3e-324",
        "5e-324",
        "1e-324",
        "7e-324",
        "9007199254740993",
        "9007199254740992.5",
        "9007199254740993.0000000000000000000000000001",
        "18446744073709551615",
        "18446744073709551616",
        "340282366920938463463374607431768211455",
        "0.1",
        "0.2",
        "0.3",
        "1e22",
        "1e23",
        "9.999999999999999e22",
        "1e-21",
        "1e-22",
        "123456789e-21",
        "8.988465674311579e307",
        "4503599627370496.5",
        "4503599627370497.5",
        "2.5",
        "3.5",
        "-0.0",
        "0.000000000000000000000000000000000000000000000000000000000000000000000000000000001",
    ] {
        same(text);
    }
}

#[test]
fn every_way_rust_writes_a_random_f64_reads_back() {
    let mut rng = StdRng::seed_from_u64(12);
    for i in 0..60_000 {
        let x = match i % 4 {
            // Any bit pattern: every exponent, subnormals, NaN and ±∞.
            0 => f64::from_bits(rng.random()),
            // Data-like magnitudes.
            1 => rng.random_range(-1e6..1e6),
            2 => rng.random_range(-1.0..1.0) * 10f64.powi(rng.random_range(-30..30)),
            _ => f64::from_bits(rng.random_range(0..1u64 << 53)),
        };
        same(&format!("{x}"));
        same(&format!("{x:e}"));
        same(&format!("{x:E}"));
        let digits = rng.random_range(0..30);
        same(&format!("{x:.digits$e}"));
        same(&format!("{x:.digits$}"));
    }
}

#[test]
fn random_digit_strings_read_as_the_standard_librarys() {
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..60_000 {
        let zeros = rng.random_range(0..4);
        let longest = if rng.random_bool(0.1) { 900 } else { 30 };
        let len = rng.random_range(1..longest);
        let mut s: String = "0".repeat(zeros);
        for _ in 0..len {
            s.push(char::from(b'0' + rng.random_range(0..10u8)));
        }
        if rng.random_bool(0.7) {
            s.insert(rng.random_range(0..=s.len()), '.');
        }
        if rng.random_bool(0.7) {
            let e: i32 = rng.random_range(-400..400);
            let mark = if rng.random_bool(0.5) { 'e' } else { 'E' };
            s.push_str(&format!("{mark}{e}"));
        }
        if rng.random_bool(0.3) {
            s.insert(0, '-');
        }
        same(&s);
    }
}

/// The exact decimal digits and the power of ten of the first of them, from Rust's exact `{:e}` formatting.
fn exact_digits(x: f64) -> (Vec<u8>, i64) {
    let text = format!("{x:.1100e}");
    let (mantissa, exponent) = text.split_once('e').unwrap();
    let digits = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    (digits, exponent.parse().unwrap())
}

/// The exact decimal of the number halfway between two positive finite f64 `a` < `b`, and its exponent.
fn halfway(a: f64, b: f64) -> String {
    let ((da, ea), (db, eb)) = (exact_digits(a), exact_digits(b));
    // Both as integers of digits over the same last place, plus one place for the half.
    let top = ea.max(eb);
    let width = da.len().max(db.len()) + (top - ea.min(eb)) as usize + 2;
    let align = |d: &[u8], e: i64| {
        let mut v = vec![0u8; width];
        let start = (top - e) as usize;
        v[start..start + d.len()].copy_from_slice(d);
        v
    };
    let (va, vb) = (align(&da, ea), align(&db, eb));
    let mut sum = vec![0u8; width + 1];
    let mut carry = 0;
    for i in (0..width).rev() {
        let s = va[i] + vb[i] + carry;
        sum[i + 1] = s % 10;
        carry = s / 10;
    }
    sum[0] = carry;
    let mut half = Vec::with_capacity(sum.len());
    let mut rest = 0;
    for d in sum {
        let v = rest * 10 + d;
        half.push(b'0' + v / 2);
        rest = v % 2;
    }
    assert_eq!(
        rest, 0,
        "the sum of two f64 has an even last digit one place further down"
    );
    // sum[0] stands for 10^(top + 1).
    format!("0.{}e{}", String::from_utf8(half).unwrap(), top + 2)
}

#[test]
fn ties_round_to_even_and_anything_past_them_rounds_away() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut cases: Vec<f64> = vec![
        0.0,
        f64::from_bits(1),
        f64::from_bits((1 << 52) - 1),
        f64::MIN_POSITIVE,
        1.0,
        9007199254740992.0,
        f64::MAX / 2.0,
        1e300,
        1e-300,
    ];
    for _ in 0..1_500 {
        cases.push(match rng.random_range(0..3) {
            0 => f64::from_bits(rng.random_range(0..0x7fe0_0000_0000_0000)),
            1 => f64::from_bits(rng.random_range(0..1u64 << 53)),
            _ => rng.random_range(1e-5..1e12),
        });
    }
    for a in cases {
        let b = a.next_up();
        let tie = halfway(a, b);
        same(&tie);
        // Just above the tie, far down, and just below it.
        let (mantissa, exponent) = tie.split_once('e').unwrap();
        same(&format!("{mantissa}000000000000001e{exponent}"));
        let trimmed = mantissa.trim_end_matches('0');
        let last = trimmed.len() - 1;
        let below = format!(
            "{}{}9999e{exponent}",
            &trimmed[..last],
            char::from(trimmed.as_bytes()[last] - 1)
        );
        same(&below);
        // The same tie with fewer digits where its digits end early (few do: most need hundreds).
        same(&format!("{trimmed}e{exponent}"));
    }
}

#[test]
fn the_largest_f64_and_the_overflow_tie() {
    same(&halfway(f64::MAX.next_down(), f64::MAX));
    // f64::MAX + ulp/2, the tie with 2^1024: it rounds to +∞ (the even side); anything below it to f64::MAX.
    let ulp = f64::MAX - f64::MAX.next_down();
    let (digits, e) = exact_digits(f64::MAX);
    let (half, he) = exact_digits(ulp / 2.0);
    // Both are integers: add their 309 and 292 digits, aligned at the units.
    let (len, half_len) = (e as usize + 1, he as usize + 1);
    let mut value = vec![0u8; len + 1];
    value[1..].copy_from_slice(&digits[..len]);
    let mut carry = 0;
    for i in 0..len {
        let add = if i < half_len {
            half[half_len - 1 - i]
        } else {
            0
        };
        let s = value[len - i] + add + carry;
        value[len - i] = s % 10;
        carry = s / 10;
    }
    value[0] = carry;
    let text: String = value.iter().map(|&d| char::from(b'0' + d)).collect();
    assert_eq!(parse_f64(&text), Some(f64::INFINITY));
    same(&text);
    same(&format!("{text}.000001"));
    same(&format!("{}9.99", &text[..text.len() - 1]));
}
