//! Decimal text to f64, correctly rounded: the numbers of `str::parse::<f64>`, without its 10 KB table.
//!
//! The standard library's parser (Eisel–Lemire) carries a table of 650 128-bit powers of five: 10.4 KB of
//! random-looking bytes that gzip cannot shrink, plus its code, about 14 KB of the gzipped wasm (issue 12).
//! Here every number of at most 19 significant digits with a decimal exponent from −22 to 19 (what data
//! files, numpy's `savetxt` and this page's own JSON write) is one f64 operation on exact numbers, or an f64
//! quotient checked against its midpoints in u128 arithmetic; anything else starts from an f64 guess,
//! corrected an ulp at a time by exact big-integer comparisons. Both round to nearest, ties to even, as the
//! standard library does; `tests/decimal.rs` checks the two agree bit for bit.

use std::cmp::Ordering;

/// Parses `text` as `str::parse::<f64>` does: an optional sign, then digits with an optional point and an
/// optional exponent (`e`/`E`, signed), or `inf`, `infinity`, `nan` in any case. `None` where it would err.
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let magnitude = if rest.first().is_some_and(u8::is_ascii_digit) || rest.first() == Some(&b'.') {
        Decimal::read(rest)?.to_f64()
    } else if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The most significant digits kept for the exact path. A tie between two f64 can need 767 of them; beyond,
/// only whether a non-zero digit follows matters.
const MAX_DIGITS: usize = 800;

/// The digits of the quick paths: at most 19, so they fit a u64.
const QUICK_DIGITS: u32 = 19;

/// A non-negative decimal as read: its first (at most [`QUICK_DIGITS`]) significant digits `w` times
/// 10^`exponent`, exactly unless `more` (a non-zero digit beyond them).
struct Decimal<'a> {
    /// The digits and the point as written (no sign, no exponent), for the exact path.
    mantissa: &'a [u8],
    /// The exponent as written after `e`, saturated far beyond any f64's range.
    written_exponent: i64,
    /// The digits after the point, leading zeros included.
    after_point: i64,
    /// The first significant digits as an integer.
    w: u64,
    /// How many digits `w` has.
    kept: u32,
    /// The power of ten of `w`'s last digit.
    exponent: i64,
    /// Whether a non-zero digit follows those in `w`.
    more: bool,
}

impl<'a> Decimal<'a> {
    /// Reads digits, an optional point and an optional exponent; `None` unless that is all of `s` and there
    /// is at least one digit before the exponent.
    fn read(s: &'a [u8]) -> Option<Decimal<'a>> {
        let (mut w, mut kept, mut beyond, mut more) = (0u64, 0u32, 0i64, false);
        let (mut at, mut seen, mut point, mut after_point) = (0, false, false, 0i64);
        while let Some(&b) = s.get(at) {
            if b.is_ascii_digit() {
                seen = true;
                after_point += i64::from(point);
                if kept < QUICK_DIGITS {
                    // Leading zeros add nothing and take no place in `w`.
                    if w > 0 || b != b'0' {
                        w = w * 10 + u64::from(b - b'0');
                        kept += 1;
                    }
                } else {
                    beyond += 1;
                    more |= b != b'0';
                }
            } else if b == b'.' && !point {
                point = true;
            } else {
                break;
            }
            at += 1;
        }
        if !seen {
            return None;
        }
        let mantissa = &s[..at];
        let mut written_exponent = 0i64;
        if let Some(b'e' | b'E') = s.get(at) {
            at += 1;
            let negative = s.get(at) == Some(&b'-');
            at += usize::from(matches!(s.get(at), Some(b'-' | b'+')));
            let start = at;
            while let Some(&b) = s.get(at).filter(|b| b.is_ascii_digit()) {
                // Far beyond any f64's range either way; saturating keeps the sums below from overflowing.
                written_exponent = (written_exponent * 10 + i64::from(b - b'0')).min(1 << 40);
                at += 1;
            }
            if at == start {
                return None;
            }
            if negative {
                written_exponent = -written_exponent;
            }
        }
        (at == s.len()).then_some(Decimal {
            mantissa,
            written_exponent,
            after_point,
            w,
            kept,
            exponent: written_exponent - after_point + beyond,
            more,
        })
    }

    /// The nearest f64 (ties to even).
    fn to_f64(&self) -> f64 {
        let (w, e) = (self.w, self.exponent);
        if w == 0 {
            return 0.0;
        }
        // Above 10^309 every such number is +∞; below 10^-325 every one rounds to 0.
        let magnitude = i64::from(self.kept) + e;
        if magnitude > 310 {
            return f64::INFINITY;
        }
        if magnitude < -325 {
            return 0.0;
        }
        if !self.more {
            // Both exact, so one rounding: Clinger's fast path.
            if w <= 1 << 53 && (-22..=22).contains(&e) {
                let p = POW10[e.unsigned_abs() as usize];
                return if e < 0 { w as f64 / p } else { w as f64 * p };
            }
            if (-22..=19).contains(&e) {
                return quick(w, e as i32);
            }
        }
        self.exact()
    }

    /// Any number: the f64 near w · 10^exponent, moved an ulp at a time until the exact number lies between
    /// the midpoints to its neighbours (comparisons of big integers, no division).
    fn exact(&self) -> f64 {
        // All the digits (up to MAX_DIGITS), and whether a non-zero one was left out.
        let mut num = Big(vec![0]);
        let (mut count, mut dropped, mut inexact) = (0usize, 0i64, false);
        for &b in self.mantissa.iter().filter(|b| b.is_ascii_digit()) {
            if count == 0 && b == b'0' {
                continue;
            }
            if count < MAX_DIGITS {
                num.mul_add(10, u32::from(b - b'0'));
                count += 1;
            } else {
                dropped += 1;
                inexact |= b != b'0';
            }
        }
        // The number is num / den, and a little more when inexact.
        let e = self.written_exponent - self.after_point + dropped;
        let mut den = Big(vec![1]);
        if e >= 0 {
            num.mul_pow10(e as u32);
        } else {
            den.mul_pow10((-e) as u32);
        }
        // Two buffers reused by every comparison.
        let (mut mid, mut scaled) = (Big(Vec::new()), Big(Vec::new()));
        let guess = scale10(self.w as f64, self.exponent).min(f64::MAX);
        nearest(guess, |m2, t| {
            // num / den against m2 · 2^t: num · 2^(−t) against m2 · den · 2^t, whichever shift is positive.
            mid.set_shifted(&den, t.max(0) as u32);
            mid.mul_u64(m2);
            scaled.set_shifted(&num, (-t).max(0) as u32);
            match scaled.cmp(&mid) {
                Ordering::Equal if inexact => Ordering::Greater,
                order => order,
            }
        })
    }
}

/// The f64 nearest a positive number, from a `guess` a few ulp away: moved an ulp at a time until the
/// number lies between the midpoints to its neighbours, a tie going to the even one. `against(m2, t)` orders
/// the number against m2 · 2^t, the midpoint between an f64 and the one above it.
fn nearest(mut x: f64, mut against: impl FnMut(u64, i64) -> Ordering) -> f64 {
    // The midpoint between x and the f64 above: (2m + 1) · 2^(q − 1), x = m · 2^q.
    let mut above_midpoint_over = |x: f64| {
        let bits = x.to_bits();
        let (m, q) = match bits >> 52 {
            0 => (bits, -1074),
            biased => ((bits & ((1 << 52) - 1)) | (1 << 52), biased as i64 - 1075),
        };
        against(2 * m + 1, q - 1)
    };
    let even = |a: f64, b: f64| if a.to_bits() & 1 == 0 { a } else { b };
    // The guesses are a few ulp off (at most 15 or so, through `scale10`'s steps); the bound only keeps a
    // mistake here from ever spinning.
    for _ in 0..MAX_MOVES {
        match above_midpoint_over(x) {
            Ordering::Greater => {
                x = x.next_up();
                if x.is_infinite() {
                    return x;
                }
                continue;
            }
            Ordering::Equal => return even(x, x.next_up()),
            Ordering::Less => {}
        }
        if x > 0.0 {
            let below = x.next_down();
            match above_midpoint_over(below) {
                Ordering::Less => {
                    x = below;
                    continue;
                }
                Ordering::Equal => return even(below, x),
                Ordering::Greater => {}
            }
        }
        return x;
    }
    x
}

/// The most ulps [`nearest`] moves its guess.
const MAX_MOVES: usize = 2_000;

/// 10⁰ … 10²², each exact in an f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// f · 10^e to within a few ulp (the exact path's first guess): the value moves toward its result one
/// exact power of ten at a time, so only the last steps can be subnormal.
fn scale10(mut f: f64, mut e: i64) -> f64 {
    while e > 22 {
        f *= 1e22;
        e -= 22;
    }
    while e < -22 {
        f /= 1e22;
        e += 22;
    }
    let p = POW10[e.unsigned_abs() as usize];
    if e < 0 {
        f / p
    } else {
        f * p
    }
}

/// 5⁰ … 5²², each below 2⁵².
const POW5: [u64; 23] = {
    let mut pow = [1u64; 23];
    let mut i = 1;
    while i < 23 {
        pow[i] = pow[i - 1] * 5;
        i += 1;
    }
    pow
};

/// w · 10^e for e in −22..=19, w < 2^64, with no division: for e ≥ 0 one exact u128 product, rounded once;
/// for e < 0 the f64 quotient (within two ulp), checked against its midpoints in u128: w / 10^k against
/// m2 · 2^t is w against m2 · 5^k · 2^(t + k), below 2^106 either way.
fn quick(w: u64, e: i32) -> f64 {
    if e >= 0 {
        return round(u128::from(w) * 10u128.pow(e as u32), 0, false);
    }
    let k = (-e) as usize;
    let five = u128::from(POW5[k]);
    nearest(w as f64 / POW10[k], |m2, t| {
        let (left, right) = (u128::from(w), u128::from(m2) * five);
        let s = t + k as i64;
        // A shift that would pass 128 bits makes its side the larger (each side is below 2^106).
        let shifted = |v: u128, by: i64| (by < i64::from(v.leading_zeros())).then(|| v << by);
        if s >= 0 {
            shifted(right, s).map_or(Ordering::Less, |r| left.cmp(&r))
        } else {
            shifted(left, -s).map_or(Ordering::Greater, |l| l.cmp(&right))
        }
    })
}

/// The f64 nearest m · 2^e (ties to even), `sticky` when the exact value is a little above m · 2^e.
fn round(m: u128, e: i32, sticky: bool) -> f64 {
    if m == 0 {
        return 0.0;
    }
    // The value is in [2^top, 2^(top+1)).
    let top = 127 - m.leading_zeros() as i32 + e;
    if top > 1023 {
        return f64::INFINITY;
    }
    // The place of the last bit kept: 52 below the top, or 2^-1074 for a subnormal.
    let last = (top - 52).max(-1074);
    let drop = last - e;
    let (mut kept, above_half, at_half) = if drop <= 0 {
        (m << (-drop) as u32, false, false)
    } else if drop > 128 {
        (0, false, false)
    } else {
        let kept = if drop == 128 { 0 } else { m >> drop };
        let rest = if drop == 128 {
            m
        } else {
            m & ((1u128 << drop) - 1)
        };
        let half = 1u128 << (drop - 1);
        (
            kept,
            rest > half || (rest == half && sticky),
            rest == half && !sticky,
        )
    };
    if above_half || (at_half && kept & 1 == 1) {
        kept += 1;
    }
    // kept < 2^53, or exactly 2^53 after rounding up (then the next binade's 2^52 · 2 is the same bits).
    let kept = kept as u64;
    if last == -1074 && kept < 1 << 52 {
        return f64::from_bits(kept);
    }
    let biased = (last + 1075) as u64;
    let bits = (biased << 52) + (kept - (1 << 52));
    if bits >= 0x7ff0_0000_0000_0000 {
        return f64::INFINITY;
    }
    f64::from_bits(bits)
}

/// A non-negative big integer in 32-bit limbs, least significant first.
struct Big(Vec<u32>);

impl Big {
    /// self · mul + add.
    fn mul_add(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(mul) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// self · mul.
    fn mul_u64(&mut self, mul: u64) {
        let mut carry = 0u128;
        for limb in &mut self.0 {
            let v = u128::from(*limb) * u128::from(mul) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        while carry > 0 {
            self.0.push(carry as u32);
            carry >>= 32;
        }
    }

    /// self · 10^k.
    fn mul_pow10(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(9);
            self.mul_add(10u32.pow(step), 0);
            k -= step;
        }
    }

    /// Makes self `from` · 2^by.
    fn set_shifted(&mut self, from: &Big, by: u32) {
        let (limbs, bits) = ((by / 32) as usize, by % 32);
        self.0.clear();
        self.0.resize(limbs, 0);
        let mut carry = 0;
        for &limb in &from.0 {
            let v = u64::from(limb) << bits | carry;
            self.0.push(v as u32);
            carry = v >> 32;
        }
        self.0.push(carry as u32);
    }

    /// The order of self and other.
    fn cmp(&self, other: &Big) -> Ordering {
        let len = self.0.len().max(other.0.len());
        (0..len)
            .rev()
            .map(|i| {
                let limb = |b: &Big| b.0.get(i).copied().unwrap_or(0);
                limb(self).cmp(&limb(other))
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}
