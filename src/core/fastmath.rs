//! Inline exp, ln and ln_1p for the EM kernels: fdlibm's algorithms (Cody–Waite range reduction and the
//! same polynomials, error < 1 ulp), written without branches or tables so that they inline into the
//! per-point loops, and written once over [`Lanes`]: one `f64`, or two at a time in a WebAssembly SIMD
//! register (`F64x2`, wasm builds with `simd128`). Every lane runs the same IEEE operations in the same
//! order, so the two-lane code gives the scalar code's numbers bit for bit. Against std they differ by at
//! most 1 ulp (`tests/fastmath.rs` measures it). Edge values keep std's meaning: exp(−∞) = 0 (results
//! below 2⁻¹⁰⁷⁴ round to 0 as in std, subnormals are kept), exp(+∞) = +∞, ln 0 = −∞, ln of a negative
//! number is NaN, NaN in gives NaN out.

use std::ops::{Add, Div, Mul, Sub};

/// One or more f64 lanes and the operations the functions here need, lane by lane.
pub trait Lanes:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self>
{
    /// How many f64 lanes.
    const LANES: usize;
    /// The same lanes as 64-bit integers (an f64's bits).
    type Bits: Copy;
    /// Per lane, the outcome of a comparison.
    type Mask: Copy;
    /// Every lane `v`.
    fn splat(v: f64) -> Self;
    /// The first [`Lanes::LANES`] numbers of `s`, one per lane.
    fn load(s: &[f64]) -> Self;
    /// Lane `i`'s number.
    fn lane(self, i: usize) -> f64;
    /// Every integer lane `v`.
    fn splat_bits(v: i64) -> Self::Bits;
    /// The lanes' bits as integers.
    fn to_bits(self) -> Self::Bits;
    /// Integers as the bits of f64 lanes.
    fn from_bits(bits: Self::Bits) -> Self;
    /// a + b per integer lane, wrapping.
    fn add_bits(a: Self::Bits, b: Self::Bits) -> Self::Bits;
    /// a − b per integer lane, wrapping.
    fn sub_bits(a: Self::Bits, b: Self::Bits) -> Self::Bits;
    /// a & b per integer lane.
    fn and_bits(a: Self::Bits, b: Self::Bits) -> Self::Bits;
    /// Logical shift right of every integer lane (WebAssembly's i64x2 has no cheap arithmetic one).
    fn shr_bits(a: Self::Bits, by: u32) -> Self::Bits;
    /// Shift left of every integer lane.
    fn shl_bits(a: Self::Bits, by: u32) -> Self::Bits;
    /// a < b per lane (false where either is NaN).
    fn lt(a: Self, b: Self) -> Self::Mask;
    /// a ≥ b per lane (false where either is NaN).
    fn ge(a: Self, b: Self) -> Self::Mask;
    /// a == b per lane.
    fn eq(a: Self, b: Self) -> Self::Mask;
    /// Both masks per lane.
    fn and(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    /// Per lane: `yes` where the mask is set, else `no`.
    fn select(mask: Self::Mask, yes: Self, no: Self) -> Self;
    /// Per lane b where a < b, else a (so a where b is NaN): one instruction in SIMD, for clamping.
    fn pmax(a: Self, b: Self) -> Self;
    /// [`Lanes::LANES`] numbers of `s` from index `at`, one per lane. The methods taking `at` check their
    /// bounds once and slice nothing: at opt-level "z" a slice's range indexing is a call.
    fn load_at(s: &[f64], at: usize) -> Self;
    /// Writes two-column rows, one per lane, from index `at`: `out` = [a₀, b₀, a₁, b₁, …].
    fn store_rows(a: Self, b: Self, out: &mut [f64], at: usize);
    /// Writes three-column rows, one per lane, from index `at`: `out` = [a₀, b₀, c₀, a₁, b₁, c₁, …].
    fn store_rows3(a: Self, b: Self, c: Self, out: &mut [f64], at: usize);
    /// Reads two-column rows, one per lane, from index `at`: the columns of `s` = [a₀, b₀, a₁, b₁, …].
    fn load_rows(s: &[f64], at: usize) -> (Self, Self);
}

/// Panics unless `len` slots from `at` lie inside a slice of `total` (the one bounds check of the
/// `Lanes` methods taking an index).
#[inline(always)]
fn check_span(at: usize, len: usize, total: usize) {
    assert!(len <= total && at <= total - len, "lanes out of bounds");
}

impl Lanes for f64 {
    const LANES: usize = 1;
    type Bits = i64;
    type Mask = bool;
    #[inline(always)]
    fn splat(v: f64) -> f64 {
        v
    }
    #[inline(always)]
    fn load(s: &[f64]) -> f64 {
        s[0]
    }
    #[inline(always)]
    fn lane(self, _: usize) -> f64 {
        self
    }
    #[inline(always)]
    fn splat_bits(v: i64) -> i64 {
        v
    }
    #[inline(always)]
    fn to_bits(self) -> i64 {
        f64::to_bits(self) as i64
    }
    #[inline(always)]
    fn from_bits(bits: i64) -> f64 {
        f64::from_bits(bits as u64)
    }
    #[inline(always)]
    fn add_bits(a: i64, b: i64) -> i64 {
        a.wrapping_add(b)
    }
    #[inline(always)]
    fn sub_bits(a: i64, b: i64) -> i64 {
        a.wrapping_sub(b)
    }
    #[inline(always)]
    fn and_bits(a: i64, b: i64) -> i64 {
        a & b
    }
    #[inline(always)]
    fn shr_bits(a: i64, by: u32) -> i64 {
        ((a as u64) >> by) as i64
    }
    #[inline(always)]
    fn shl_bits(a: i64, by: u32) -> i64 {
        a.wrapping_shl(by)
    }
    #[inline(always)]
    fn lt(a: f64, b: f64) -> bool {
        a < b
    }
    #[inline(always)]
    fn ge(a: f64, b: f64) -> bool {
        a >= b
    }
    #[inline(always)]
    fn eq(a: f64, b: f64) -> bool {
        a == b
    }
    #[inline(always)]
    fn and(a: bool, b: bool) -> bool {
        a & b
    }
    #[inline(always)]
    fn select(mask: bool, yes: f64, no: f64) -> f64 {
        if mask {
            yes
        } else {
            no
        }
    }
    #[inline(always)]
    fn pmax(a: f64, b: f64) -> f64 {
        if a < b {
            b
        } else {
            a
        }
    }
    #[inline(always)]
    fn load_at(s: &[f64], at: usize) -> f64 {
        s[at]
    }
    #[inline(always)]
    fn store_rows(a: f64, b: f64, out: &mut [f64], at: usize) {
        check_span(at, 2, out.len());
        out[at] = a;
        out[at + 1] = b;
    }
    #[inline(always)]
    fn store_rows3(a: f64, b: f64, c: f64, out: &mut [f64], at: usize) {
        check_span(at, 3, out.len());
        out[at] = a;
        out[at + 1] = b;
        out[at + 2] = c;
    }
    #[inline(always)]
    fn load_rows(s: &[f64], at: usize) -> (f64, f64) {
        check_span(at, 2, s.len());
        (s[at], s[at + 1])
    }
}

/// The widest [`Lanes`] of the build: two f64 in a WebAssembly SIMD register where the build has `simd128`,
/// else a [`Pair`].
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub type Wide = F64x2;
/// The widest [`Lanes`] of the build: two f64 in a WebAssembly SIMD register where the build has `simd128`,
/// in an SSE2 register on x86-64, else one f64.
/// The widest [`Lanes`] of the build: two f64 in a WebAssembly SIMD register where the build has `simd128`,
/// else two f64 in a plain [`Pair`] (native builds: the tests and the benchmark run the same two-lane
/// kernels as the wasm, and the compiler may keep the pair in one SSE2 register).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub type Wide = Pair;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use simd::F64x2;

/// Two f64 lanes as a plain array: the two-lane code without SIMD instructions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair(pub [f64; 2]);

impl Add for Pair {
    type Output = Pair;
    #[inline(always)]
    fn add(self, b: Pair) -> Pair {
        Pair([self.0[0] + b.0[0], self.0[1] + b.0[1]])
    }
}
impl Sub for Pair {
    type Output = Pair;
    #[inline(always)]
    fn sub(self, b: Pair) -> Pair {
        Pair([self.0[0] - b.0[0], self.0[1] - b.0[1]])
    }
}
impl Mul for Pair {
    type Output = Pair;
    #[inline(always)]
    fn mul(self, b: Pair) -> Pair {
        Pair([self.0[0] * b.0[0], self.0[1] * b.0[1]])
    }
}
impl Div for Pair {
    type Output = Pair;
    #[inline(always)]
    fn div(self, b: Pair) -> Pair {
        Pair([self.0[0] / b.0[0], self.0[1] / b.0[1]])
    }
}

impl Lanes for Pair {
    const LANES: usize = 2;
    type Bits = [i64; 2];
    type Mask = [bool; 2];
    #[inline(always)]
    fn splat(v: f64) -> Pair {
        Pair([v; 2])
    }
    #[inline(always)]
    fn load(s: &[f64]) -> Pair {
        Pair([s[0], s[1]])
    }
    #[inline(always)]
    fn lane(self, i: usize) -> f64 {
        self.0[i]
    }
    #[inline(always)]
    fn splat_bits(v: i64) -> [i64; 2] {
        [v; 2]
    }
    #[inline(always)]
    fn to_bits(self) -> [i64; 2] {
        self.0.map(|v| f64::to_bits(v) as i64)
    }
    #[inline(always)]
    fn from_bits(bits: [i64; 2]) -> Pair {
        Pair(bits.map(|b| f64::from_bits(b as u64)))
    }
    #[inline(always)]
    fn add_bits(a: [i64; 2], b: [i64; 2]) -> [i64; 2] {
        [a[0].wrapping_add(b[0]), a[1].wrapping_add(b[1])]
    }
    #[inline(always)]
    fn sub_bits(a: [i64; 2], b: [i64; 2]) -> [i64; 2] {
        [a[0].wrapping_sub(b[0]), a[1].wrapping_sub(b[1])]
    }
    #[inline(always)]
    fn and_bits(a: [i64; 2], b: [i64; 2]) -> [i64; 2] {
        [a[0] & b[0], a[1] & b[1]]
    }
    #[inline(always)]
    fn shr_bits(a: [i64; 2], by: u32) -> [i64; 2] {
        a.map(|v| <f64 as Lanes>::shr_bits(v, by))
    }
    #[inline(always)]
    fn shl_bits(a: [i64; 2], by: u32) -> [i64; 2] {
        a.map(|v| <f64 as Lanes>::shl_bits(v, by))
    }
    #[inline(always)]
    fn lt(a: Pair, b: Pair) -> [bool; 2] {
        [a.0[0] < b.0[0], a.0[1] < b.0[1]]
    }
    #[inline(always)]
    fn ge(a: Pair, b: Pair) -> [bool; 2] {
        [a.0[0] >= b.0[0], a.0[1] >= b.0[1]]
    }
    #[inline(always)]
    fn eq(a: Pair, b: Pair) -> [bool; 2] {
        [a.0[0] == b.0[0], a.0[1] == b.0[1]]
    }
    #[inline(always)]
    fn and(a: [bool; 2], b: [bool; 2]) -> [bool; 2] {
        [a[0] & b[0], a[1] & b[1]]
    }
    #[inline(always)]
    fn select(mask: [bool; 2], yes: Pair, no: Pair) -> Pair {
        Pair([
            if mask[0] { yes.0[0] } else { no.0[0] },
            if mask[1] { yes.0[1] } else { no.0[1] },
        ])
    }
    #[inline(always)]
    fn pmax(a: Pair, b: Pair) -> Pair {
        Pair([f64::pmax(a.0[0], b.0[0]), f64::pmax(a.0[1], b.0[1])])
    }
    #[inline(always)]
    fn load_at(s: &[f64], at: usize) -> Pair {
        check_span(at, 2, s.len());
        Pair([s[at], s[at + 1]])
    }
    #[inline(always)]
    fn store_rows(a: Pair, b: Pair, out: &mut [f64], at: usize) {
        check_span(at, 4, out.len());
        out[at..at + 4].copy_from_slice(&[a.0[0], b.0[0], a.0[1], b.0[1]]);
    }
    #[inline(always)]
    fn store_rows3(a: Pair, b: Pair, c: Pair, out: &mut [f64], at: usize) {
        check_span(at, 6, out.len());
        out[at..at + 6].copy_from_slice(&[a.0[0], b.0[0], c.0[0], a.0[1], b.0[1], c.0[1]]);
    }
    #[inline(always)]
    fn load_rows(s: &[f64], at: usize) -> (Pair, Pair) {
        check_span(at, 4, s.len());
        (Pair([s[at], s[at + 2]]), Pair([s[at + 1], s[at + 3]]))
    }
}

/// Two f64 lanes of a WebAssembly SIMD register.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{check_span, Lanes};
    use core::arch::wasm32::*;
    use std::ops::{Add, Div, Mul, Sub};

    /// Two f64 in one `v128`.
    #[derive(Clone, Copy, Debug)]
    pub struct F64x2(v128);

    impl Add for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn add(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_add(self.0, b.0))
        }
    }
    impl Sub for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn sub(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_sub(self.0, b.0))
        }
    }
    impl Mul for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn mul(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_mul(self.0, b.0))
        }
    }
    impl Div for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn div(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_div(self.0, b.0))
        }
    }

    impl Lanes for F64x2 {
        const LANES: usize = 2;
        type Bits = v128;
        type Mask = v128;
        #[inline(always)]
        fn splat(v: f64) -> F64x2 {
            F64x2(f64x2_splat(v))
        }
        #[inline(always)]
        fn load(s: &[f64]) -> F64x2 {
            assert!(s.len() >= 2);
            // SAFETY: `s` has 2 f64 (asserted above); v128 loads need no alignment.
            F64x2(unsafe { v128_load(s.as_ptr() as *const v128) })
        }
        #[inline(always)]
        fn lane(self, i: usize) -> f64 {
            if i == 0 {
                f64x2_extract_lane::<0>(self.0)
            } else {
                f64x2_extract_lane::<1>(self.0)
            }
        }
        #[inline(always)]
        fn splat_bits(v: i64) -> v128 {
            i64x2_splat(v)
        }
        #[inline(always)]
        fn to_bits(self) -> v128 {
            self.0
        }
        #[inline(always)]
        fn from_bits(bits: v128) -> F64x2 {
            F64x2(bits)
        }
        #[inline(always)]
        fn add_bits(a: v128, b: v128) -> v128 {
            i64x2_add(a, b)
        }
        #[inline(always)]
        fn sub_bits(a: v128, b: v128) -> v128 {
            i64x2_sub(a, b)
        }
        #[inline(always)]
        fn and_bits(a: v128, b: v128) -> v128 {
            v128_and(a, b)
        }
        #[inline(always)]
        fn shr_bits(a: v128, by: u32) -> v128 {
            u64x2_shr(a, by)
        }
        #[inline(always)]
        fn shl_bits(a: v128, by: u32) -> v128 {
            i64x2_shl(a, by)
        }
        #[inline(always)]
        fn lt(a: F64x2, b: F64x2) -> v128 {
            f64x2_lt(a.0, b.0)
        }
        #[inline(always)]
        fn ge(a: F64x2, b: F64x2) -> v128 {
            f64x2_ge(a.0, b.0)
        }
        #[inline(always)]
        fn eq(a: F64x2, b: F64x2) -> v128 {
            f64x2_eq(a.0, b.0)
        }
        #[inline(always)]
        fn and(a: v128, b: v128) -> v128 {
            v128_and(a, b)
        }
        #[inline(always)]
        fn select(mask: v128, yes: F64x2, no: F64x2) -> F64x2 {
            F64x2(v128_bitselect(yes.0, no.0, mask))
        }
        #[inline(always)]
        fn pmax(a: F64x2, b: F64x2) -> F64x2 {
            F64x2(f64x2_pmax(a.0, b.0))
        }
        #[inline(always)]
        fn load_at(s: &[f64], at: usize) -> F64x2 {
            check_span(at, 2, s.len());
            // SAFETY: 2 f64 from `at` lie inside `s` (checked); v128 loads need no alignment.
            F64x2(unsafe { v128_load(s.as_ptr().add(at) as *const v128) })
        }
        #[inline(always)]
        fn store_rows(a: F64x2, b: F64x2, out: &mut [f64], at: usize) {
            check_span(at, 4, out.len());
            let first = i64x2_shuffle::<0, 2>(a.0, b.0);
            let second = i64x2_shuffle::<1, 3>(a.0, b.0);
            // SAFETY: 4 f64 from `at` lie inside `out` (checked); v128 stores need no alignment.
            unsafe {
                let p = out.as_mut_ptr().add(at);
                v128_store(p as *mut v128, first);
                v128_store(p.add(2) as *mut v128, second);
            }
        }
        #[inline(always)]
        fn store_rows3(a: F64x2, b: F64x2, c: F64x2, out: &mut [f64], at: usize) {
            check_span(at, 6, out.len());
            let first = i64x2_shuffle::<0, 2>(a.0, b.0);
            let second = i64x2_shuffle::<0, 3>(c.0, a.0);
            let third = i64x2_shuffle::<1, 3>(b.0, c.0);
            // SAFETY: 6 f64 from `at` lie inside `out` (checked); v128 stores need no alignment.
            unsafe {
                let p = out.as_mut_ptr().add(at);
                v128_store(p as *mut v128, first);
                v128_store(p.add(2) as *mut v128, second);
                v128_store(p.add(4) as *mut v128, third);
            }
        }
        #[inline(always)]
        fn load_rows(s: &[f64], at: usize) -> (F64x2, F64x2) {
            check_span(at, 4, s.len());
            // SAFETY: 4 f64 from `at` lie inside `s` (checked); v128 loads need no alignment.
            let (first, second) = unsafe {
                let p = s.as_ptr().add(at);
                (
                    v128_load(p as *const v128),
                    v128_load(p.add(2) as *const v128),
                )
            };
            (
                F64x2(i64x2_shuffle::<0, 2>(first, second)),
                F64x2(i64x2_shuffle::<1, 3>(first, second)),
            )
        }
    }
}

/// 1.5 · 2⁵²: adding it rounds an f64 of magnitude < 2⁵¹ to an integer, which then sits in the low bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// The bits of [`SHIFT`].
const SHIFT_BITS: i64 = 0x4338_0000_0000_0000;
/// 1 / ln 2.
const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// ln 2's leading bits (its low 32 bits are zero, so k · LN2_HI is exact for the k here).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000); // 6.93147180369123816490e-01
/// ln 2 − [`LN2_HI`].
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76); // 1.90821492927058770002e-10
/// Below this exp is 0 and above it +∞ in f64; arguments are clamped here so that 2ᵏ stays two normal
/// factors.
const EXP_CLAMP: f64 = 1000.0;

/// x rounded to an integer k (ties to even), as the integer and as an f64 (|x| < 2⁵¹).
#[inline(always)]
fn round_int<L: Lanes>(x: L) -> (L::Bits, L) {
    let shifted = x + L::splat(SHIFT);
    let k = L::sub_bits(shifted.to_bits(), L::splat_bits(SHIFT_BITS));
    (k, shifted - L::splat(SHIFT))
}

/// An integer k (|k| < 2⁵¹) as an f64.
#[inline(always)]
fn int_to_f64<L: Lanes>(k: L::Bits) -> L {
    L::from_bits(L::add_bits(k, L::splat_bits(SHIFT_BITS))) - L::splat(SHIFT)
}

/// 2ᵏ for −1022 ≤ k ≤ 1023.
#[inline(always)]
fn pow2<L: Lanes>(k: L::Bits) -> L {
    L::from_bits(L::shl_bits(L::add_bits(k, L::splat_bits(1023)), 52))
}

/// eˣ per lane (fdlibm's exp: x = k ln 2 + r, |r| ≤ ½ ln 2, a rational approximation of eʳ, times 2ᵏ).
#[inline(always)]
pub fn exp_lanes<L: Lanes>(x: L) -> L {
    let x = L::select(L::lt(x, L::splat(-EXP_CLAMP)), L::splat(-EXP_CLAMP), x);
    let x = L::select(L::lt(L::splat(EXP_CLAMP), x), L::splat(EXP_CLAMP), x);
    exp_clamped(x)
}

/// eˣ per lane for x ≤ 0, as [`exp_lanes`] bit for bit, and 0 for NaN (a gap below a row's largest
/// log-joint, NaN where every entry of the row is −∞): one `pmax` clamps, and as k ≤ 0 one exact product
/// y · 2^(k + 500) and one rounding product by 2⁻⁵⁰⁰ scale (both normal for k ≥ −1443).
#[inline(always)]
pub fn exp_gap_lanes<L: Lanes>(x: L) -> L {
    let (k, y) = exp_reduced(L::pmax(L::splat(-EXP_CLAMP), x));
    y * pow2::<L>(L::add_bits(k, L::splat_bits(500))) * L::splat(TWO_M500)
}

/// 2⁻⁵⁰⁰.
const TWO_M500: f64 = f64::from_bits((1023 - 500) << 52);

/// eˣ per lane for −[`EXP_CLAMP`] ≤ x ≤ [`EXP_CLAMP`].
#[inline(always)]
fn exp_clamped<L: Lanes>(x: L) -> L {
    let (k, y) = exp_reduced(x);
    // 2ᵏ as two normal factors: y · 2^k₁ is exact, the second product rounds once (to a subnormal or 0
    // far down, to +∞ far up).
    let (k1, _) = round_int(int_to_f64::<L>(k) * L::splat(0.5));
    let k2 = L::sub_bits(k, k1);
    y * pow2::<L>(k1) * pow2::<L>(k2)
}

/// x = k ln 2 + r, |r| ≤ ½ ln 2: (k, y = eʳ).
#[inline(always)]
fn exp_reduced<L: Lanes>(x: L) -> (L::Bits, L) {
    let (k, kd) = round_int(x * L::splat(INV_LN2));
    let hi = x - kd * L::splat(LN2_HI);
    let lo = kd * L::splat(LN2_LO);
    let r = hi - lo;
    let t = r * r;
    // P1 + P2 t + … + P5 t⁴ by Estrin's scheme (a shorter chain of dependent operations than Horner's).
    let t2 = t * t;
    let low = L::splat(P1) + t * L::splat(P2);
    let high = L::splat(P3) + t * L::splat(P4) + t2 * L::splat(P5);
    let p = low + t2 * high;
    let c = r - t * p;
    let one = L::splat(1.0);
    (k, one - ((lo - (r * c) / (L::splat(2.0) - c)) - hi))
}

/// fdlibm exp's polynomial coefficients.
const P1: f64 = f64::from_bits(0x3fc5_5555_5555_553e); // 1.66666666666666019037e-01
/// See [`P1`].
const P2: f64 = f64::from_bits(0xbf66_c16c_16be_bd93); // -2.77777777770155933842e-03
/// See [`P1`].
const P3: f64 = f64::from_bits(0x3f11_566a_af25_de2c); // 6.61375632143793436117e-05
/// See [`P1`].
const P4: f64 = f64::from_bits(0xbebb_bd41_c5d2_6bf1); // -1.65339022054652515390e-06
/// See [`P1`].
const P5: f64 = f64::from_bits(0x3e66_3769_72be_a4d0); // 4.13813679705723846039e-08

/// fdlibm log's polynomial coefficients.
const LG1: f64 = f64::from_bits(0x3fe5_5555_5555_5593); // 6.666666666666735130e-01
/// See [`LG1`].
const LG2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04); // 3.999999999940941908e-01
/// See [`LG1`].
const LG3: f64 = f64::from_bits(0x3fd2_4924_9422_9359); // 2.857142874366239149e-01
/// See [`LG1`].
const LG4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af); // 2.222219843214978396e-01
/// See [`LG1`].
const LG5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de); // 1.818357216161805012e-01
/// See [`LG1`].
const LG6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f); // 1.531383769920937332e-01
/// See [`LG1`].
const LG7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244); // 1.479819860511658591e-01

/// The parts of ln u for a positive normal u (fdlibm's log and log1p): u = 2ᵏ m, √2/2 ≤ m < √2,
/// f = m − 1; returns (k as an integer, k, f, 2 + f, m).
#[inline(always)]
fn ln_reduce<L: Lanes>(u: L) -> (L::Bits, L, L, L, L) {
    let ix = L::add_bits(u.to_bits(), L::splat_bits(SQRT_HALF_SHIFT << 32));
    let k = L::sub_bits(L::shr_bits(ix, 52), L::splat_bits(0x3ff));
    let mantissa = L::and_bits(ix, L::splat_bits(0x000f_ffff_ffff_ffff));
    let m = L::from_bits(L::add_bits(mantissa, L::splat_bits(SQRT_HALF_HIGH << 32)));
    let f = m - L::splat(1.0);
    (k, int_to_f64::<L>(k), f, L::splat(2.0) + f, m)
}

/// k ln 2 + ln(1 + f) + c from s = f / (2 + f) (fdlibm's polynomial in s²), for a correction c small
/// against the result's ulp scale.
#[inline(always)]
fn ln_combine<L: Lanes>(dk: L, f: L, s: L, c: L) -> L {
    let hfsq = L::splat(0.5) * f * f;
    let z = s * s;
    let w = z * z;
    let t1 = w * (L::splat(LG2) + w * (L::splat(LG4) + w * L::splat(LG6)));
    let t2 = z * (L::splat(LG1) + w * (L::splat(LG3) + w * (L::splat(LG5) + w * L::splat(LG7))));
    let r = t2 + t1;
    dk * L::splat(LN2_HI) - ((hfsq - (s * (hfsq + r) + (dk * L::splat(LN2_LO) + c))) - f)
}

/// `value` where 0 < x < +∞, else std's ln x: x = 0 → −∞, x = +∞ → +∞, x < 0 or NaN → NaN.
#[inline(always)]
fn ln_edges<L: Lanes>(x: L, value: L) -> L {
    let inf = L::splat(f64::INFINITY);
    let regular = L::and(L::lt(L::splat(0.0), x), L::lt(x, inf));
    let edge = L::select(
        L::eq(x, L::splat(0.0)),
        L::splat(f64::NEG_INFINITY),
        x * inf,
    );
    let edge = L::select(L::ge(x, L::splat(0.0)), edge, L::splat(f64::NAN));
    L::select(regular, value, edge)
}

/// 2⁵³: from here on 1 + x has no rounding error worth correcting.
const TWO53: f64 = 9_007_199_254_740_992.0;
/// 2⁵⁴, to bring a subnormal into the normal range.
const TWO54: f64 = 18_014_398_509_481_984.0;
/// The high word of √2/2's bits.
const SQRT_HALF_HIGH: i64 = 0x3fe6_a09e;
/// Added to the high word so that the exponent steps up at √2 instead of 2.
const SQRT_HALF_SHIFT: i64 = 0x3ff0_0000 - SQRT_HALF_HIGH;

/// ln x per lane.
#[inline(always)]
pub fn ln_lanes<L: Lanes>(x: L) -> L {
    let tiny = L::lt(x, L::splat(f64::MIN_POSITIVE));
    let (_, dk, f, two_f, _) = ln_reduce(L::select(tiny, x * L::splat(TWO54), x));
    let dk = dk - L::select(tiny, L::splat(54.0), L::splat(0.0));
    ln_edges(x, ln_combine(dk, f, f / two_f, L::splat(0.0)))
}

/// ln(1 + x) per lane, accurate for x near 0 (what the kernels pass is e^{gap} ∈ [0, 1]; any x ≥ −1 works).
#[inline(always)]
pub fn ln_1p_lanes<L: Lanes>(x: L) -> L {
    let (u, dk, f, s, c) = ln_1p_parts(x);
    let c = L::select(L::lt(u, L::splat(TWO53)), c, L::splat(0.0));
    ln_edges(u, ln_combine(dk, f, s, c))
}

/// [`ln_1p_lanes`] for x ∈ [0, 1] or NaN (the K = 2 kernels' e^{gap}, gap ≤ 0), where its edge cases
/// cannot occur: the same numbers with a few operations less.
#[inline(always)]
pub fn ln_1p_unit_lanes<L: Lanes>(x: L) -> L {
    let (_, dk, f, s, c) = ln_1p_parts(x);
    ln_combine(dk, f, s, c)
}

/// The parts of ln(1 + x): (u = 1 + x, k, f, s, c) for [`ln_combine`], c the rounding error of 1 + x over
/// u (u − 1 is exact for u ≤ 2⁵³). One division gives both s = f / (2 + f) and 1 / u.
#[inline(always)]
fn ln_1p_parts<L: Lanes>(x: L) -> (L, L, L, L, L) {
    let u = L::splat(1.0) + x;
    let (k, dk, f, two_f, m) = ln_reduce(u);
    let d = L::splat(1.0) / (two_f * m);
    let s = f * m * d;
    let inv_u = two_f * d * pow2::<L>(L::sub_bits(L::splat_bits(0), k));
    let c = (x - (u - L::splat(1.0))) * inv_u;
    (u, dk, f, s, c)
}

/// eˣ, within 1 ulp of `f64::exp` (the kernels inline [`exp_lanes`]).
#[inline]
pub fn exp(x: f64) -> f64 {
    exp_lanes(x)
}

/// ln x, within 1 ulp of `f64::ln` (the kernels inline [`ln_lanes`]).
#[inline]
pub fn ln(x: f64) -> f64 {
    ln_lanes(x)
}

/// ln(1 + x), within 1 ulp of `f64::ln_1p` for x ≥ −1 (the kernels inline [`ln_1p_lanes`]).
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    ln_1p_lanes(x)
}
