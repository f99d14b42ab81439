//! The E-step and M-step formulas with this step's numbers, for every model.
//!
//! Each model builds a plain [`Formulas`] description from its `Em` (the trait [`ShowFormulas`], implemented
//! at the end of the model's own file): lines of [`Node`]s — fixed symbols, numbers of this step, words from
//! the message table. The numbers are the ones the model's own E-step and M-step compute (the model's
//! `m_step` for θ, its sufficient statistics for the sums). [`Formulas::mathml`] renders a line as MathML
//! markup built only from those symbols, numbers and message-table words (never text a person typed).

use super::decimal::parse_f64;
use super::em::{argmax, soft_row, Em, Mixture};
use crate::text::{self, Lang};
use std::f64::consts::LN_10;

/// A value at or below this fraction of its scale is shown as 0 (float noise, not a number to read).
pub const NOISE: f64 = 1e-12;

/// A model whose E-step and M-step can be shown with this step's numbers.
pub trait ShowFormulas: Mixture + Sized {
    /// The E-step for observation `i` and the next M-step from the current q, with their numbers.
    fn formulas(em: &Em<Self>, i: usize) -> Formulas;
}

/// The formulas of one state: the E-step for one observation and the M-step, line by line.
#[derive(Clone, Debug, PartialEq)]
pub struct Formulas {
    /// The observation the E-step is shown for.
    pub point: usize,
    /// The E-step: the general formula, then its numbers.
    pub e: Vec<Line>,
    /// The M-step: the general formulas, then each component's numbers.
    pub m: Vec<Line>,
}

/// One displayed line of a formula.
pub type Line = Vec<Node>;

/// A piece of a formula.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A symbol such as x, μ or N (MathML `mi`).
    Sym(&'static str),
    /// An operator or bracket (MathML `mo`).
    Op(&'static str),
    /// A whole number shown exactly: a component's number (1-based), a count (MathML `mn`).
    Int(usize),
    /// A number of this step.
    Num(Num),
    /// Words from the message table, by id (MathML `mtext`).
    Text(&'static str),
    /// A base with a subscript.
    Sub(Box<Node>, Box<Node>),
    /// A base with a superscript.
    Sup(Box<Node>, Box<Node>),
    /// A base with a subscript and a superscript.
    SubSup(Box<Node>, Box<Node>, Box<Node>),
    /// A fraction.
    Frac(Box<Node>, Box<Node>),
    /// An operator with something under it (∑ over j, argmin over k).
    Under(Box<Node>, Box<Node>),
    /// A group.
    Row(Vec<Node>),
    /// A matrix or column vector in brackets, row by row.
    Matrix(Vec<Vec<Node>>),
}

/// What a number of a formula is, so tests can find the ones that are θ or q.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The symbol: "q", "N", "π", "μ", "σ²", "Σ", "θ", "H", "T".
    pub name: &'static str,
    /// The component (0-based).
    pub component: usize,
    /// The entry of a vector or matrix (row-major), 0 for a scalar.
    pub entry: usize,
}

/// A number of this step, and how it is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Num {
    /// The value.
    pub value: f64,
    /// The natural log of the value when it is known by its log (a density that may underflow).
    pub ln: Option<f64>,
    /// The value is shown as 0 when |value| ≤ [`NOISE`] × scale.
    pub scale: f64,
    /// What the number is, if it is one of θ, q or the sums.
    pub tag: Option<Tag>,
}

/// A number as shown: 4 significant digits (and every whole-number digit below a million), the sign as
/// U+2212.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Plain decimal digits ("172.3", "−0.5", "0").
    Plain(String),
    /// mantissa × 10^exponent, for very small or large values.
    Sci {
        /// "1.235", "−2".
        mantissa: String,
        /// The power of ten.
        exponent: i32,
    },
}

impl Num {
    /// A number shown as 0 when it is within [`NOISE`] × `scale` of 0.
    pub fn new(value: f64, scale: f64) -> Num {
        Num {
            value,
            ln: None,
            scale,
            tag: None,
        }
    }

    /// A positive number known by its log `ln` (shown even when exp(ln) underflows), 0 when it is below
    /// [`NOISE`] times exp(`ln_scale`).
    pub fn from_ln(ln: f64, ln_scale: f64) -> Num {
        Num {
            value: ln.exp(),
            ln: Some(ln),
            scale: ln_scale,
            tag: None,
        }
    }

    /// The same number, marked as entry `entry` of `name` for component `component`.
    pub fn tagged(mut self, name: &'static str, component: usize, entry: usize) -> Num {
        self.tag = Some(Tag {
            name,
            component,
            entry,
        });
        self
    }

    /// How the number is shown.
    pub fn shown(&self) -> Shown {
        let plain = |s: &str| Shown::Plain(s.to_string());
        let (negative, log10) = match self.ln {
            Some(ln) => {
                if ln.is_nan() {
                    return plain("?");
                }
                if ln == f64::INFINITY {
                    return plain("∞");
                }
                if ln == f64::NEG_INFINITY || ln - self.scale < NOISE.ln() {
                    return plain("0");
                }
                (false, ln / LN_10)
            }
            None => {
                let v = self.value;
                if v.is_nan() {
                    return plain("?");
                }
                if v.is_infinite() {
                    return plain(if v > 0.0 { "∞" } else { "−∞" });
                }
                if v == 0.0 || v.abs() <= NOISE * self.scale.abs() {
                    return plain("0");
                }
                if v == v.round() && v.abs() < 1e15 {
                    let digits = format!("{}", v.abs() as u64);
                    return Shown::Plain(signed(v < 0.0, digits));
                }
                (v < 0.0, v.abs().log10())
            }
        };
        let mut exponent = log10.floor() as i32;
        // Every whole-number digit of a plain number: 42,395.4 rounded to 42400 made "42400 / 500 = 84.79"
        // an arithmetic a student could not check.
        let decimals = if (4..6).contains(&exponent) {
            exponent as usize
        } else {
            3
        };
        let mut digits = format!("{:.decimals$}", 10f64.powf(log10 - f64::from(exponent)));
        if digits.starts_with("10") {
            exponent += 1;
            digits = format!("{:.decimals$}", 1.0);
        }
        let digits: String = digits.chars().filter(|c| *c != '.').collect();
        if (-3..6).contains(&exponent) {
            let text = if exponent >= 0 {
                let whole = exponent as usize + 1;
                let padded = format!("{digits:0<width$}", width = whole.max(4));
                let (int, frac) = padded.split_at(whole);
                trim_fraction(int, frac)
            } else {
                let zeros = "0".repeat((-exponent - 1) as usize);
                trim_fraction("0", &format!("{zeros}{digits}"))
            };
            Shown::Plain(signed(negative, text))
        } else {
            Shown::Sci {
                mantissa: signed(negative, trim_fraction(&digits[..1], &digits[1..])),
                exponent,
            }
        }
    }

    /// The number as shown, read back (what a person reading the formula sees).
    pub fn printed(&self) -> f64 {
        let read = |s: &str| parse_f64(&s.replace('−', "-")).unwrap_or(f64::NAN);
        match self.shown() {
            Shown::Plain(s) => match s.as_str() {
                "∞" => f64::INFINITY,
                "−∞" => f64::NEG_INFINITY,
                _ => read(&s),
            },
            Shown::Sci { mantissa, exponent } => read(&mantissa) * 10f64.powi(exponent),
        }
    }

    /// The number as plain text ("1.235×10^−8"), for captions and tests.
    pub fn text(&self) -> String {
        match self.shown() {
            Shown::Plain(s) => s,
            Shown::Sci { mantissa, exponent } => format!("{mantissa}×10^{}", minus(exponent)),
        }
    }
}

/// `text` with a leading U+2212 when `negative`.
fn signed(negative: bool, text: String) -> String {
    if negative {
        format!("−{text}")
    } else {
        text
    }
}

/// An integer with U+2212 for its sign.
fn minus(n: i32) -> String {
    signed(n < 0, n.unsigned_abs().to_string())
}

/// "int.frac" with the fraction's trailing zeros (and a bare point) dropped.
fn trim_fraction(int: &str, frac: &str) -> String {
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

impl Formulas {
    /// Every number of the formulas (E-step lines first), in reading order.
    pub fn numbers(&self) -> Vec<&Num> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Num>) {
            match node {
                Node::Num(n) => out.push(n),
                Node::Sub(a, b) | Node::Sup(a, b) | Node::Frac(a, b) | Node::Under(a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                Node::SubSup(a, b, c) => {
                    walk(a, out);
                    walk(b, out);
                    walk(c, out);
                }
                Node::Row(v) => v.iter().for_each(|n| walk(n, out)),
                Node::Matrix(rows) => rows.iter().flatten().for_each(|n| walk(n, out)),
                Node::Sym(_) | Node::Op(_) | Node::Int(_) | Node::Text(_) => {}
            }
        }
        let mut out = Vec::new();
        for node in self.e.iter().chain(&self.m).flatten() {
            walk(node, &mut out);
        }
        out
    }

    /// The number tagged `name` for `component` and `entry` (the last such, the result of its line).
    pub fn find(&self, name: &str, component: usize, entry: usize) -> Option<&Num> {
        self.numbers().into_iter().rev().find(|n| {
            n.tag
                .is_some_and(|t| t.name == name && t.component == component && t.entry == entry)
        })
    }

    /// The caption of the E-step, "i = 3: x = 172.3", with the point as `description` (in the page's
    /// language: `Mixture::describe`).
    pub fn caption(&self, description: &str) -> String {
        format!("i = {}: {}", self.point + 1, description)
    }

    /// Each line as a `<math display="block">` element in MathML markup, words in `lang`.
    pub fn mathml(lines: &[Line], lang: Lang) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                let mut out = String::from(
                    r#"<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mrow>"#,
                );
                for node in line {
                    render(node, lang, &mut out);
                }
                out.push_str("</mrow></math>");
                out
            })
            .collect()
    }
}

/// `s` with the five XML special characters escaped.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Appends the MathML of `node` to `out`.
fn render(node: &Node, lang: Lang, out: &mut String) {
    let wrap = |tag: &str, children: &[&Node], out: &mut String| {
        out.push_str(&format!("<{tag}>"));
        for child in children {
            // Every child of a script or fraction is one element.
            out.push_str("<mrow>");
            render(child, lang, out);
            out.push_str("</mrow>");
        }
        out.push_str(&format!("</{tag}>"));
    };
    match node {
        Node::Sym(s) => out.push_str(&format!("<mi>{}</mi>", escape(s))),
        Node::Op(s) => out.push_str(&format!("<mo>{}</mo>", escape(s))),
        Node::Int(n) => out.push_str(&format!("<mn>{n}</mn>")),
        Node::Text(id) => out.push_str(&format!(
            "<mtext>\u{a0}{}\u{a0}</mtext>",
            escape(text::get(lang, id))
        )),
        Node::Num(n) => match n.shown() {
            Shown::Plain(s) => out.push_str(&format!("<mn>{}</mn>", escape(&s))),
            Shown::Sci { mantissa, exponent } => out.push_str(&format!(
                "<mrow><mn>{}</mn><mo>×</mo><msup><mn>10</mn><mn>{}</mn></msup></mrow>",
                escape(&mantissa),
                minus(exponent)
            )),
        },
        Node::Sub(a, b) => wrap("msub", &[a, b], out),
        Node::Sup(a, b) => wrap("msup", &[a, b], out),
        Node::SubSup(a, b, c) => wrap("msubsup", &[a, b, c], out),
        Node::Frac(a, b) => wrap("mfrac", &[a, b], out),
        Node::Under(a, b) => wrap("munder", &[a, b], out),
        Node::Row(v) => {
            out.push_str("<mrow>");
            v.iter().for_each(|n| render(n, lang, out));
            out.push_str("</mrow>");
        }
        Node::Matrix(rows) => {
            // The brackets are the table's borders (class "matrix" in www/style.css): a stretched "(" needs a
            // math font that not every machine has.
            out.push_str(r#"<mtable class="matrix">"#);
            for r in rows {
                out.push_str("<mtr>");
                for cell in r {
                    out.push_str("<mtd>");
                    render(cell, lang, out);
                    out.push_str("</mtd>");
                }
                out.push_str("</mtr>");
            }
            out.push_str("</mtable>");
        }
    }
}

/// What the E-step computes for observation `i` under the current θ, exactly as the runner's E-step does:
/// ln p(xᵢ, k | θ) for every k, qᵢ, and ln p(xᵢ | θ) (for hard EM, qᵢ is one-hot at the best k).
pub fn e_step_row<M: Mixture>(em: &Em<M>, i: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let log_joint = em.log_joint_row(i);
    if M::HARD {
        let best = argmax(&log_joint);
        let q = (0..log_joint.len())
            .map(|j| f64::from(u8::from(j == best)))
            .collect();
        return (log_joint.clone(), q, log_joint[best]);
    }
    let mut q = log_joint.clone();
    let (lse, _) = soft_row(&mut q);
    (log_joint, q, lse)
}

// Building blocks for the models' formulas.

/// A component index: the letter k or j, or component number `c` (0-based, shown 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ix {
    /// A symbolic index such as k or j.
    Letter(&'static str),
    /// Component `c` (0-based).
    At(usize),
}

impl Ix {
    /// The index as shown.
    pub fn node(self) -> Node {
        match self {
            Ix::Letter(s) => Node::Sym(s),
            Ix::At(c) => Node::Int(c + 1),
        }
    }
}

/// A symbol.
pub fn sym(s: &'static str) -> Node {
    Node::Sym(s)
}

/// An operator.
pub fn op(s: &'static str) -> Node {
    Node::Op(s)
}

/// A group of nodes.
pub fn row(nodes: Vec<Node>) -> Node {
    Node::Row(nodes)
}

/// `a` over `b`.
pub fn frac(a: Node, b: Node) -> Node {
    Node::Frac(Box::new(a), Box::new(b))
}

/// `base` with subscript `s`.
pub fn sub(base: Node, s: Node) -> Node {
    Node::Sub(Box::new(base), Box::new(s))
}

/// `base` to the power `s`.
pub fn sup(base: Node, s: Node) -> Node {
    Node::Sup(Box::new(base), Box::new(s))
}

/// The symbol `name` with component index `k`: μₖ, π₂.
pub fn of(name: &'static str, k: Ix) -> Node {
    sub(sym(name), k.node())
}

/// The symbol `name` with index `k` and a square: σₖ².
pub fn squared(name: &'static str, k: Ix) -> Node {
    Node::SubSup(
        Box::new(sym(name)),
        Box::new(k.node()),
        Box::new(Node::Int(2)),
    )
}

/// xᵢ (or any symbol with the index i).
pub fn at_i(name: &'static str) -> Node {
    sub(sym(name), sym("i"))
}

/// qᵢₖ for component index `k`.
pub fn q_ik(k: Ix) -> Node {
    sub(sym("q"), row(vec![sym("i"), k.node()]))
}

/// ∑ over `index`, followed by `body`.
pub fn sum_over(index: &'static str, body: Vec<Node>) -> Node {
    let mut nodes = vec![Node::Under(Box::new(op("∑")), Box::new(sym(index)))];
    nodes.extend(body);
    row(nodes)
}

/// A number of this step.
pub fn num(value: f64, scale: f64) -> Node {
    Node::Num(Num::new(value, scale))
}

/// A number of this step, tagged as entry `entry` of `name` for component `k`.
pub fn tagged(value: f64, scale: f64, name: &'static str, k: usize, entry: usize) -> Node {
    Node::Num(Num::new(value, scale).tagged(name, k, entry))
}

/// `a + b + …` of nodes.
pub fn plus(terms: Vec<Node>) -> Node {
    let mut nodes = Vec::new();
    for (j, t) in terms.into_iter().enumerate() {
        if j > 0 {
            nodes.push(op("+"));
        }
        nodes.push(t);
    }
    row(nodes)
}

/// (a, b): a pair of numbers in a row.
pub fn pair(a: Node, b: Node) -> Node {
    row(vec![op("("), a, op(","), b, op(")")])
}

/// A column vector of two entries.
pub fn column(a: Node, b: Node) -> Node {
    Node::Matrix(vec![vec![a], vec![b]])
}

/// The E-step of a soft mixture for observation `i`: the general qᵢₖ = J(k) / Σⱼ J(j) with `joint` giving
/// the symbols J of a component's joint term, then for each k the term with its numbers (`numbers`),
/// its value, and qᵢₖ as that value over the sum. The numbers are the runner's own ([`e_step_row`]).
pub fn soft_e_step<M: Mixture>(
    em: &Em<M>,
    i: usize,
    joint: &dyn Fn(Ix) -> Vec<Node>,
    numbers: &dyn Fn(usize) -> Vec<Node>,
) -> Vec<Line> {
    let (log_joint, q, _) = e_step_row(em, i);
    let k_sym = Ix::Letter("k");
    let mut lines = vec![vec![
        q_ik(k_sym),
        op("="),
        frac(row(joint(k_sym)), sum_over("j", joint(Ix::Letter("j")))),
    ]];
    // Exact to their last digit however small (products and exps, from logs: no cancellation), so never
    // rounded to 0 as noise: "π₂N(−1.91 | 8, 1) = 0" and "qᵢ₂ = 0" stood beside a Jensen figure that used
    // qᵢ₂ = 3.3 × 10⁻²² (the collapse lesson's start). Only what underflows a double reads 0.
    let value = |c: usize| Node::Num(Num::from_ln(log_joint[c], f64::NEG_INFINITY));
    for c in 0..q.len() {
        let mut line = joint(Ix::At(c));
        line.push(op("="));
        line.extend(numbers(c));
        line.extend([op("="), value(c)]);
        lines.push(line);
    }
    for (c, &qc) in q.iter().enumerate() {
        lines.push(vec![
            q_ik(Ix::At(c)),
            op("="),
            frac(value(c), plus((0..q.len()).map(value).collect())),
            op("="),
            tagged(qc, 0.0, "q", c, 0),
        ]);
    }
    lines
}

/// The line of a component that the M-step left empty: Nₖ = 0, it keeps its old values.
pub fn empty_line(c: usize, nk: f64) -> Line {
    vec![
        of("N", Ix::At(c)),
        op("="),
        tagged(nk, 1.0, "N", c, 0),
        Node::Text("formula-empty"),
    ]
}

/// The line πₖ = Nₖ / N = value for component `c`.
pub fn weight_line(c: usize, nk: f64, n: usize, weight: f64) -> Vec<Node> {
    vec![
        of("π", Ix::At(c)),
        op("="),
        frac(num(nk, n as f64), Node::Int(n)),
        op("="),
        tagged(weight, 1.0, "π", c, 0),
    ]
}

/// The largest |value| of the data (at least the smallest positive number), a scale for sums and means.
pub fn largest(data: &[f64]) -> f64 {
    data.iter()
        .fold(f64::MIN_POSITIVE, |m, v| m.max(v.abs()))
        .min(f64::MAX)
}

#[cfg(test)]
mod tests {
    use super::{Num, Shown};

    fn text(v: f64) -> String {
        Num::new(v, 1.0).text()
    }

    #[test]
    fn numbers_have_four_significant_digits_and_no_noise() {
        assert_eq!(text(172.34), "172.3");
        assert_eq!(text(0.1 + 0.2), "0.3");
        assert_eq!(text(-3.5), "−3.5");
        assert_eq!(text(123456.7), "123457");
        assert_eq!(text(42395.4), "42395");
        assert_eq!(text(1234.56), "1235");
        assert_eq!(text(99999.7), "100000");
        assert_eq!(text(150.0), "150");
        assert_eq!(text(0.0012346), "0.001235");
        assert_eq!(text(9.99996), "10");
        assert_eq!(text(0.5), "0.5");
        assert_eq!(text(1.23456e-8), "1.235×10^−8");
        assert_eq!(text(-2.0e7 - 0.5), "−2×10^7");
        assert_eq!(text(1e-13), "0");
        assert_eq!(Num::new(1e-13, 1e-10).text(), "1×10^−13");
        assert_eq!(Num::from_ln(-2000.0, -1990.0).text(), "2.577×10^−869");
        assert_eq!(Num::from_ln(-2000.0, -1900.0).text(), "0");
        assert_eq!(Num::from_ln(0.5f64.ln(), 0.0).text(), "0.5");
        assert_eq!(
            Num::new(1e300, 1.0).shown(),
            Shown::Sci {
                mantissa: "1".into(),
                exponent: 300
            }
        );
        assert!((Num::new(0.123456, 1.0).printed() - 0.1235).abs() < 1e-15);
    }
}
