//! How a number is shown to a person in a message: 4 to 6 significant digits, never 300 of them.

/// `text` with each hyphen-minus written as a minus sign (U+2212), as the formulas write their numbers: a point
/// described as "x = (-0.5159, -0.582)" beside formulas reading "−0.5159" looked like two notations.
pub fn with_minus(text: &str) -> String {
    text.replace('-', "\u{2212}")
}

/// A count for a sentence, its thousands set apart by commas ("2,000,000"; "2000000" was hard to read).
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Differences below this fraction of max(1, |ℓ|) are rounding noise and read 0. After an E-step ℓ − L is
/// exactly 0 in every lesson; L at another θ (the slice, from the M-step's statistics) is within ~1e−14·|ℓ|
/// of a pass over the data, also for data at 1e8 ± 3. At 1e−9 the gap after an M-step read 0 for the last
/// 240 of heights' 1,038 iterations (1.9e−7 nats at iteration 900), beside "Converged: no".
pub const NOISE: f64 = 1e-12;

/// A gap or difference `v` beside a log-likelihood `scale` as the page, the figures and the trace's CSV
/// give it: 0 where it is below [`NOISE`]·max(1, |scale|) (ℓ − L after an E-step is rounding noise, which
/// may be negative), else `v`.
pub fn gap_value(v: f64, scale: f64) -> f64 {
    if v.is_finite() && v < NOISE * scale.abs().max(1.0) {
        0.0
    } else {
        v
    }
}

/// `v` with every digit it needs to tell it from its neighbours (1000001, 2.0000001, not [`short`]'s 1e6
/// and 2, which a message about a whole number in a range would show as if they were in it); from 1e16
/// up, where every f64 is whole, as [`short`]; below 1e-4 in exponent form with every digit (a seed of
/// 1e-320 was quoted as "0.000…" in 320 zeros).
pub fn distinct(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-4 {
        return format!("{v:e}");
    }
    if v.is_finite() && v.abs() < 1e16 {
        let text = format!("{v}");
        return if text == "-0" { "0".to_string() } else { text };
    }
    short(v)
}

/// `v` in at most 6 significant digits, trailing zeros dropped: "175.5", "0.000123", "1e+300" is
/// "1e300", "-2.5"; ±∞ as "∞" / "-∞" and NaN as "NaN" (so a message can still say what it got).
pub fn short(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞" } else { "-∞" }.to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let a = v.abs();
    if (1e-4..1e6).contains(&a) {
        // 6 significant digits as decimals, then trim: 0.1 + 0.2 reads 0.3.
        let decimals = (5 - a.log10().floor() as i32).clamp(0, 9) as usize;
        let text = format!("{v:.decimals$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        };
        return if text == "-0" { "0".to_string() } else { text };
    }
    // Scientific with up to 4 significant digits: 1.235e-8, 1e300.
    let text = format!("{v:.3e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}e{exponent}")
}

/// A number as the shortest text that reads back as the same f64: plain decimals ("0.1", "-2.5"), or
/// with an exponent when plain decimals would be long ("1e-300" rather than 300 zeros).
pub fn exact(x: f64) -> String {
    let plain = x.to_string();
    if plain.len() <= 24 {
        plain
    } else {
        format!("{x:e}")
    }
}

/// Flat x, y pairs as `x,y` lines, each number exact (see [`exact`]).
pub fn points_text(data: &[f64]) -> String {
    let mut out = String::with_capacity(data.len() * 8);
    for p in data.chunks_exact(2) {
        out.push_str(&exact(p[0]));
        out.push(',');
        out.push_str(&exact(p[1]));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn short_numbers() {
        assert_eq!(short(1e300), "1e300");
        assert_eq!(short(-0.5), "-0.5");
        assert_eq!(short(175.5), "175.5");
        assert_eq!(short(0.1 + 0.2), "0.3");
        assert_eq!(short(123456.7), "123457");
        assert_eq!(short(1.23456789e-8), "1.235e-8");
        assert_eq!(short(5e-324), "4.941e-324");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(-1e-300), "-1e-300");
        assert_eq!(short(f64::NEG_INFINITY), "-∞");
        assert_eq!(short(2.0), "2");
        assert_eq!(short(0.000123), "0.000123");
    }
}
