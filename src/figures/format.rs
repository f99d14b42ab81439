//! Every number a figure shows, formatted in one place: tick labels from the axis range, values with
//! the digits a log-likelihood needs, and gaps that read 0 — never −0 or 4.4e-16 — when they are rounding
//! noise.

pub use crate::core::format::{gap_value, NOISE};

/// A gap or difference `v` beside a log-likelihood `scale`: 0 (never negative) when it is below
/// [`NOISE`]·max(1, |scale|), else `v` as `show` writes it.
pub fn gap_number(v: f64, scale: f64, show: fn(f64) -> String) -> String {
    match gap_value(v, scale) {
        0.0 => "0".to_string(),
        v => show(v),
    }
}

/// A tick label with enough decimals to tell ticks `range / 6` apart, typeset as the readouts are: a
/// minus sign (U+2212), not a hyphen, and thousands separated ("−43,302", "−7.60e−4").
pub fn tick_number(v: f64, range: f64) -> String {
    typeset(&plain_tick_number(v, range))
}

/// `label` (a number as Rust prints it) as the page writes numbers: a minus sign (U+2212) for each hyphen
/// and, unless it is in e-notation, commas between the thousands of its whole part ("−43,302.5"); no sign
/// where it rounded to zero.
fn typeset(label: &str) -> String {
    let (sign, digits) = match label.strip_prefix('-') {
        // Never "−0.000": a value that rounds to zero has no sign.
        Some(rest)
            if rest
                .split('e')
                .next()
                .is_some_and(|m| m.bytes().any(|b| b.is_ascii_digit() && b != b'0')) =>
        {
            ("\u{2212}", rest)
        }
        Some(rest) => ("", rest),
        None => ("", label),
    };
    let mut out = String::from(sign);
    if digits.contains('e') {
        out.push_str(&digits.replace('-', "\u{2212}"));
        return out;
    }
    let whole = digits.find('.').unwrap_or(digits.len());
    for (n, c) in digits[..whole].chars().enumerate() {
        if n > 0 && (whole - n) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(&digits[whole..]);
    out
}

/// `v` with `decimals` decimals, typeset as every figure number: a minus sign, thousands separated
/// ("1,000", "−2.5").
pub fn fixed_number(v: f64, decimals: usize) -> String {
    typeset(&format!("{v:.decimals$}"))
}

/// [`tick_number`] as Rust prints it, with hyphens and no separators.
fn plain_tick_number(v: f64, range: f64) -> String {
    let step = (range / 6.0).abs();
    // A tick at zero reads 0, not the float noise of the range's arithmetic (2.12e-22).
    let v = if v.abs() < 1e-6 * step { 0.0 } else { v };
    // e-notation only where decimals would not do: tiny steps around small values, or huge values.
    if (step > 0.0 && step < 1e-4 && v.abs() < 1e-2) || v.abs() >= 1e7 {
        if v == 0.0 {
            return "0".to_string();
        }
        // Enough digits to tell the ticks apart: a zoomed Jensen axis a few millionths wide printed
        // "2.92e-3" under every tick.
        let digits = if step > 0.0 {
            ((v.abs() / step).log10().ceil().max(0.0) as usize).clamp(2, 10)
        } else {
            2
        };
        return format!("{v:.digits$e}");
    }
    if step > 0.0 && step < 1e-4 {
        let decimals = ((-step.log10()).ceil() as usize).min(12);
        return format!("{v:.decimals$}");
    }
    let decimals = if step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize).min(12)
    };
    format!("{v:.decimals$}")
}

/// How many zeros end `label`'s decimals (0 without decimals): the fewest over an axis's labels can be cut
/// from each with [`cut_zeros`], so they shorten alike and keep one number of decimals ("7.6e-4 7.8e-4
/// 8.0e-4", not "7.6e-4 … 8e-4").
pub fn ending_zeros(label: &str) -> usize {
    let mantissa = &label[..label.find('e').unwrap_or(label.len())];
    match mantissa.find('.') {
        Some(dot) => mantissa.len() - dot - 1 - mantissa[dot + 1..].trim_end_matches('0').len(),
        None => 0,
    }
}

/// `label` with `zeros` zeros cut from the end of its decimals (and the point, where no decimal is left).
pub fn cut_zeros(label: &str, zeros: usize) -> String {
    let end = label.find('e').unwrap_or(label.len());
    let from = match label[..end].find('.') {
        Some(dot) if zeros >= end - dot - 1 => dot,
        Some(_) => end - zeros,
        None => end,
    };
    let mut out = label[..from].to_string();
    out.push_str(&label[end..]);
    out
}

/// An axis number with as many digits as a log-likelihood needs: 1,234.5, −0.0123 or 1.500e−4.
pub fn axis_number(v: f64) -> String {
    if !v.is_finite() {
        return crate::core::format::short(v);
    }
    let a = v.abs();
    typeset(&if a >= 1e6 || (a < 1e-3 && a > 0.0) {
        format!("{v:.3e}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    })
}

/// A log-likelihood for the split figure: thousands separated, three decimals; gaps below 0.001 in
/// e-notation with three decimals, as the slice's KL label and the gap readout write them.
pub fn split_number(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        return typeset(&format!("{v:.3e}"));
    }
    typeset(&format!("{v:.3}"))
}

/// A number with at most `decimals` decimals and no trailing zeros ("0.6", "21.3", "−2", never "-0").
pub fn trimmed_number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    typeset(s)
}

/// A magnifier's factor to two significant digits, thousands separated ("×170,000", not "×172936" or
/// "×491,442,245": nine digits of a zoom claim a precision nobody reads).
pub fn factor_number(factor: f64) -> String {
    if !(factor.is_finite() && factor >= 1.0) {
        return fixed_number(factor.round(), 0);
    }
    let unit = 10f64.powi((factor.log10().floor() as i32 - 1).max(0));
    fixed_number((factor / unit).round() * unit, 0)
}
