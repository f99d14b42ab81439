//! Typed errors of the math core, each with a message in the page's language.

use super::collapse::Collapse;
use crate::text::{self, Lang};

/// What went wrong, with the numbers a person needs to fix it. (Each variant is documented; its fields
/// are named for what they hold: the 1-based line and column, the 0-based component, the value.)
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    /// The data set has no observations.
    EmptyData,
    /// The text's only line is not numbers: read as column names, with no data under them.
    OnlyHeader { text: String },
    /// More observations than the page can hold.
    TooManyPoints { got: usize, max: usize },
    /// A CSV field that is not a number.
    NotANumber {
        line: usize,
        column: usize,
        text: String,
    },
    /// A CSV field that is NaN or ±∞.
    NonFinite {
        line: usize,
        column: usize,
        text: String,
    },
    /// A CSV field too large for a 64-bit float.
    OutOfRange {
        line: usize,
        column: usize,
        text: String,
    },
    /// A CSV line with the wrong number of fields.
    WrongFieldCount {
        line: usize,
        expected: usize,
        got: usize,
    },
    /// A coin line with a character other than H, T, 1, 0.
    BadCoinLine {
        line: usize,
        column: usize,
        found: char,
    },
    /// A `heads,tosses` coin line whose numbers do not fit (heads > tosses, negative, …).
    BadCoinCounts { line: usize },
    /// A `heads,tosses` line with a count above `max` (what a set's count is kept in).
    CoinCountTooLarge { line: usize, max: u64 },
    /// Fewer distinct values than components.
    TooFewDistinct { distinct: usize, k: usize },
    /// Fewer different sets of tosses than coins.
    TooFewSets { distinct: usize, k: usize },
    /// K outside the allowed range.
    KOutOfRange { k: usize, max: usize },
    /// A parameter array of the wrong length.
    WrongLength {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    /// A parameter that is NaN or ±∞.
    NotFiniteParam {
        what: &'static str,
        component: usize,
    },
    /// A variance that is zero or negative.
    BadVariance { component: usize, value: f64 },
    /// A negative weight.
    NegativeWeight { component: usize, value: f64 },
    /// Weights that do not sum to 1.
    WeightsSum { sum: f64 },
    /// A probability outside [0, 1].
    BadProbability { component: usize, value: f64 },
    /// A covariance matrix that is not symmetric.
    NotSymmetric { component: usize },
    /// A covariance matrix that is not positive definite.
    NotPositiveDefinite { component: usize },
    /// A covariance matrix off the diagonal where the covariance type is diagonal.
    NotDiagonal { component: usize },
    /// A covariance matrix that is not a multiple of the identity where the type is spherical.
    NotSpherical { component: usize },
    /// An option outside its range.
    BadOption {
        name: &'static str,
        value: f64,
        /// The largest value allowed (`f64::MAX`: any finite number).
        max: f64,
    },
    /// A preset name that does not exist.
    UnknownPreset { name: String },
    /// A model name that does not exist.
    UnknownModel { name: String },
    /// A `DataReader` handed over before its `finish()`.
    ReaderNotFinished,
    /// A piece of text given to a reader whose file was already finished.
    ReaderFinished,
    /// A language code that is neither English nor Chinese.
    UnknownLanguage { code: String },
    /// A value given to the API of the wrong shape: what it should have been, as a message id of the
    /// table (`shape-…`) and the named values that fill it (user text in them cut short).
    BadShape {
        what: &'static str,
        args: Vec<(&'static str, String)>,
    },
    /// A saved session that cannot be read; `detail` says where (a technical note, in English).
    SessionUnreadable { detail: String },
    /// A link that cannot be read (cut short or changed); `detail` says where (a technical note, in English).
    LinkUnreadable { detail: String },
    /// A twin (side by side) that would have to replay too many half-steps on too many points.
    TwinTooFar { steps: usize, n: usize },
    /// A session saved without its data, given other data to restore it on.
    SessionOtherData,
    /// A session that cannot be written in `max` characters: even without its steps it takes `needed`.
    SessionTooLong { max: usize, needed: usize },
    /// An argument that must be text (a name, CSV, a language code) given as another kind of value.
    NotText { name: &'static str, got: String },
    /// An argument that must be a number (a point to add) given as another kind of value.
    NotNumber { name: &'static str, got: String },
    /// A line holding characters no text file has: a binary file (an image, a spreadsheet's own format).
    NotTextFile { line: usize },
    /// A variance floor given to a model that has none (only the Gaussian mixtures have one).
    NoFloor,
    /// An argument that must be true or false (`withData`, `decimalComma`) given as another kind of value.
    NotBool { name: &'static str, got: String },
    /// A number argument that must be finite (a pixel), or a time budget that must be ≥ 0 (`budget`).
    NotFiniteArg {
        name: &'static str,
        value: f64,
        budget: bool,
    },
    /// A direction that must be 1 or −1.
    NotDirection { value: f64 },
    /// EM stopped because a component collapsed onto one point.
    Collapsed(Collapse),
    /// EM stopped because a component shrank onto one point, held up only by a variance floor `reg` that is
    /// tiny against the data's spread (ℓ is bounded, but that one point's density outweighs the rest).
    CollapsedAtFloor { collapse: Collapse, reg: f64 },
    /// The requested observation does not exist.
    NoSuchPoint { index: usize, len: usize },
    /// The chosen column does not exist in the CSV.
    NoSuchColumn { column: usize, columns: usize },
    /// A data point to add or look up that is NaN or ±∞.
    BadPoint { value: f64 },
    /// The requested component does not exist.
    NoSuchComponent { component: usize, k: usize },
    /// An action the current model does not offer.
    NotForModel {
        action: &'static str,
        model: &'static str,
    },
    /// Parameters under which ℓ(θ) is not finite on this data (`model` picks the wording).
    ParamsUnusable { model: &'static str },
    /// A start under which a component gives every observation probability 0 (weight 0, or far away).
    ComponentExplainsNothing {
        component: usize,
        model: &'static str,
    },
    /// A start under which a component gives one observation probability 0, so L(q, θ) = −∞ for the
    /// uniform start q (a coin with heads probability 1 and a set with tails).
    PointImpossible {
        component: usize,
        point: usize,
        model: &'static str,
    },
    /// Parameters under which |ℓ| or |L| is too large for any figure to show.
    ParamsOverflow { value: f64, model: &'static str },
    /// A number that must be a whole number in a range (K, a seed, a column, an index).
    NotAnInteger {
        name: &'static str,
        value: f64,
        min: u64,
        max: u64,
    },
    /// An option name `setOptions` does not know.
    UnknownOption { name: String },
    /// The lesson has no start with this number.
    NoSuchStart { index: usize, count: usize },
    /// A CSV field written in hexadecimal (0x10).
    Hex {
        line: usize,
        column: usize,
        text: String,
    },
    /// A CSV field so small that a 64-bit float would read it as 0.
    Underflow {
        line: usize,
        column: usize,
        text: String,
    },
    /// A step whose result would not be finite; EM stopped before it.
    Numerical,
    /// An M-step right after an M-step: q has not changed, so θ cannot move (`hard`: k-means, whose words
    /// are assignments and centres).
    MStepAgain { hard: bool },
    /// An E-step right after an E-step: θ has not changed, so q would be the same (a second half-step the
    /// timeline and the trace showed twice).
    EStepAgain { hard: bool },
    /// A hard-EM M-step before any E-step: no point is assigned, so no centre has points to average.
    MStepUnassigned,
    /// Data spread so widely that its variance overflows a 64-bit float.
    DataTooSpread { largest: f64 },
    /// Values that differ by so little that their variance underflows (values up to `largest`).
    DataTooNarrow { largest: f64 },
    /// Data too long to travel in a link.
    LinkTooLong { got: usize, max: usize },
    /// A run longer than the history keeps: its start is gone, so no link (`twin` false) and no twin can
    /// replay it.
    StartGone { max: usize, twin: bool },
    /// A count (or frequency) that is not a whole number from 0 to `max`.
    BadCount {
        line: usize,
        column: usize,
        text: String,
        max: u64,
    },
    /// A Poisson rate that is zero or negative.
    BadRate { component: usize, value: f64 },
}

/// An error of the math core; `Display` gives the English message.
#[derive(Clone, Debug, PartialEq)]
pub struct EmError {
    /// What went wrong.
    pub kind: ErrorKind,
}

impl EmError {
    /// Wraps an [`ErrorKind`].
    pub fn new(kind: ErrorKind) -> Self {
        EmError { kind }
    }

    /// The message id in the text table (also a stable code for tests and the page).
    pub fn id(&self) -> &'static str {
        use ErrorKind::*;
        match self.kind {
            EmptyData => "err-empty",
            OnlyHeader { .. } => "err-only-header",
            TooManyPoints { .. } => "err-too-many",
            NotANumber { .. } => "err-not-a-number",
            NonFinite { .. } => "err-non-finite",
            OutOfRange { .. } => "err-out-of-range",
            WrongFieldCount { got: 1, .. } => "err-field-count-one",
            WrongFieldCount { .. } => "err-field-count",
            BadCoinLine { .. } => "err-coin-line",
            BadCoinCounts { .. } => "err-coin-counts",
            CoinCountTooLarge { .. } => "err-coin-count-large",
            TooFewDistinct { .. } => "err-too-few-distinct",
            TooFewSets { .. } => "err-too-few-sets",
            KOutOfRange { .. } => "err-k-range",
            WrongLength { .. } => "err-wrong-length",
            NotFiniteParam { .. } => "err-param-not-finite",
            BadVariance { .. } => "err-variance",
            NegativeWeight { .. } => "err-negative-weight",
            WeightsSum { .. } => "err-weights-sum",
            BadProbability { .. } => "err-probability",
            NotSymmetric { .. } => "err-not-symmetric",
            NotPositiveDefinite { .. } => "err-not-pd",
            NotDiagonal { .. } => "err-not-diagonal",
            NotSpherical { .. } => "err-not-spherical",
            BadOption { max, .. } if max < f64::MAX => "err-option-max",
            BadOption { .. } => "err-option",
            UnknownPreset { .. } => "err-unknown-preset",
            UnknownModel { .. } => "err-unknown-model",
            UnknownLanguage { .. } => "err-unknown-language",
            ReaderNotFinished => "err-reader-not-finished",
            ReaderFinished => "err-reader-finished",
            BadShape { .. } => "err-shape",
            SessionUnreadable { .. } => "err-session-unreadable",
            LinkUnreadable { .. } => "err-link-unreadable",
            SessionTooLong { .. } => "err-session-too-long",
            SessionOtherData => "err-session-other-data",
            TwinTooFar { .. } => "err-twin-too-far",
            NotText { .. } => "err-not-text",
            NotNumber { .. } => "err-not-number",
            NotBool { .. } => "err-not-bool",
            NoFloor => "err-no-floor",
            NotTextFile { .. } => "err-not-text-file",
            NotFiniteArg { budget: false, .. } => "err-not-finite-arg",
            NotFiniteArg { .. } => "err-not-budget",
            NotDirection { .. } => "err-not-direction",
            Collapsed(_) => "err-collapsed",
            CollapsedAtFloor { .. } => "err-collapsed-floor",
            NoSuchPoint { .. } => "err-no-such-point",
            NoSuchColumn { .. } => "err-no-such-column",
            BadPoint { .. } => "err-point",
            NoSuchComponent { .. } => "err-no-such-component",
            NotForModel { .. } => "err-not-for-model",
            ParamsUnusable { model } => by_model(model, "err-params-unusable"),
            ComponentExplainsNothing { model, .. } => by_model(model, "err-component-nothing"),
            PointImpossible { model, .. } => by_model(model, "err-point-impossible"),
            ParamsOverflow { model, .. } => by_model(model, "err-params-overflow"),
            NotAnInteger { .. } => "err-not-integer",
            UnknownOption { .. } => "err-unknown-option",
            NoSuchStart { count: 0, .. } => "err-no-starts",
            NoSuchStart { .. } => "err-no-such-start",
            Underflow { .. } => "err-underflow",
            Hex { .. } => "err-hex",
            DataTooSpread { .. } => "err-too-spread",
            DataTooNarrow { .. } => "err-too-narrow",
            Numerical => "err-numerical",
            MStepAgain { hard: false } => "err-m-step-again",
            MStepAgain { hard: true } => "err-m-step-again-hard",
            EStepAgain { hard: false } => "err-e-step-again",
            EStepAgain { hard: true } => "err-e-step-again-hard",
            MStepUnassigned => "err-m-step-unassigned",
            LinkTooLong { .. } => "err-link-too-long",
            StartGone { twin: false, .. } => "err-run-too-long",
            StartGone { twin: true, .. } => "err-twin-start-gone",
            BadCount { .. } => "err-count",
            BadRate { .. } => "err-rate",
        }
    }

    /// The error for a value of the wrong shape: `what` is a `shape-…` message id, `args` fill it.
    pub fn shape(what: &'static str, args: &[(&'static str, &str)]) -> Self {
        EmError::new(ErrorKind::BadShape {
            what,
            args: args.iter().map(|&(k, v)| (k, v.to_string())).collect(),
        })
    }

    /// The error for a saved session that cannot be read, `detail` saying where.
    pub fn session_unreadable(detail: impl Into<String>) -> Self {
        EmError::new(ErrorKind::SessionUnreadable {
            detail: detail.into(),
        })
    }

    /// The error for a link that cannot be read, `detail` saying where.
    pub fn link_unreadable(detail: impl Into<String>) -> Self {
        EmError::new(ErrorKind::LinkUnreadable {
            detail: detail.into(),
        })
    }

    /// The named values that fill the message template in `lang`.
    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        use ErrorKind::*;
        let n = |v: usize| v.to_string();
        let f = crate::core::format::short;
        match &self.kind {
            EmptyData | ReaderNotFinished | ReaderFinished | NoFloor => vec![],
            OnlyHeader { text } => vec![("text", shorten(text))],
            TooManyPoints { got, max } => vec![
                ("got", crate::core::format::count(*got as u64)),
                ("max", crate::core::format::count(*max as u64)),
            ],
            NotTextFile { line } => vec![("line", n(*line))],
            CoinCountTooLarge { line, max } => {
                vec![
                    ("line", n(*line)),
                    ("max", crate::core::format::count(*max)),
                ]
            }
            NotANumber { line, column, text }
            | NonFinite { line, column, text }
            | OutOfRange { line, column, text }
            | Underflow { line, column, text }
            | Hex { line, column, text } => vec![
                ("line", n(*line)),
                ("column", n(*column)),
                ("text", shorten(text)),
            ],
            WrongFieldCount {
                line,
                expected,
                got,
            } => vec![
                ("line", n(*line)),
                ("expected", n(*expected)),
                ("got", n(*got)),
            ],
            BadCoinLine {
                line,
                column,
                found,
            } => vec![
                ("line", n(*line)),
                ("column", n(*column)),
                // escape_debug, not escape_default: "正" was quoted as "\u{6b63}"; a tab still shows as \t.
                ("text", found.escape_debug().to_string()),
            ],
            BadCoinCounts { line } => vec![("line", n(*line))],
            TooFewDistinct { distinct, k } | TooFewSets { distinct, k } => {
                vec![("distinct", n(*distinct)), ("k", n(*k))]
            }
            KOutOfRange { k, max } => vec![("k", n(*k)), ("max", n(*max))],
            WrongLength {
                what,
                expected,
                got,
            } => vec![
                ("what", what.to_string()),
                ("expected", n(*expected)),
                ("got", n(*got)),
            ],
            NotFiniteParam { what, component } => {
                vec![("what", what.to_string()), ("k", n(component + 1))]
            }
            BadVariance { component, value }
            | NegativeWeight { component, value }
            | BadProbability { component, value } => {
                vec![("k", n(component + 1)), ("value", f(*value))]
            }
            WeightsSum { sum } => vec![("sum", sum_text(*sum))],
            NotSymmetric { component }
            | NotPositiveDefinite { component }
            | NotDiagonal { component }
            | NotSpherical { component } => {
                vec![("k", n(component + 1))]
            }
            BadOption { name, value, max } => vec![
                ("name", name.to_string()),
                ("value", f(*value)),
                ("max", f(*max)),
            ],
            UnknownPreset { name } | UnknownModel { name } => vec![("name", shorten(name))],
            UnknownLanguage { code } => vec![("code", shorten(code))],
            BadShape { what, args } => {
                let args: Vec<_> = args.iter().map(|(k, v)| (*k, shorten(v))).collect();
                vec![("what", text::fill(text::get(lang, what), &args))]
            }
            SessionUnreadable { detail } | LinkUnreadable { detail } => {
                vec![("detail", shorten_long(detail))]
            }
            SessionTooLong { max, needed } => vec![("max", n(*max)), ("needed", n(*needed))],
            SessionOtherData => vec![],
            TwinTooFar { steps, n: points } => vec![("steps", n(*steps)), ("n", n(*points))],
            NotText { name, got } | NotNumber { name, got } | NotBool { name, got } => {
                vec![("name", name.to_string()), ("got", shorten(got))]
            }
            Collapsed(c) => vec![
                ("k", n(c.component + 1)),
                ("point", n(c.point + 1)),
                ("value", crate::core::format::short(c.variance)),
            ],
            CollapsedAtFloor { collapse: c, reg } => vec![
                ("k", n(c.component + 1)),
                ("point", n(c.point + 1)),
                ("value", crate::core::format::short(c.variance)),
                ("reg", crate::core::format::short(*reg)),
            ],
            NoSuchPoint { index, len } => vec![("index", n(*index)), ("len", n(*len))],
            NoSuchColumn { column, columns } => {
                vec![("column", n(*column)), ("columns", n(*columns))]
            }
            BadPoint { value } => vec![("value", f(*value))],
            NoSuchComponent { component, k } => vec![
                ("index", n(*component)),
                ("count", n(*k)),
                ("last", n(k.saturating_sub(1))),
            ],
            NotForModel { action, model } => {
                // The action and the model in the message's language (`action:…`, `model-…` entries).
                let say = |id: String, plain: &str| match text::get(lang, &id) {
                    t if t == id => plain.to_string(),
                    t => t.to_string(),
                };
                vec![
                    ("action", say(format!("action:{action}"), action)),
                    ("model", say(format!("model-{model}"), model)),
                ]
            }
            ParamsUnusable { .. }
            | Numerical
            | MStepAgain { .. }
            | EStepAgain { .. }
            | MStepUnassigned => vec![],
            ComponentExplainsNothing { component, .. } => vec![("k", n(component + 1))],
            PointImpossible {
                component, point, ..
            } => vec![("k", n(component + 1)), ("point", n(point + 1))],
            ParamsOverflow { value, .. } => vec![("value", f(*value))],
            NotAnInteger {
                name,
                value,
                min,
                max,
            } => vec![
                ("name", name.to_string()),
                ("value", crate::core::format::distinct(*value)),
                ("min", min.to_string()),
                ("max", max.to_string()),
            ],
            UnknownOption { name } => vec![("name", shorten(name))],
            NoSuchStart { index, count } => vec![
                ("index", n(*index)),
                ("count", n(*count)),
                ("last", n(count.saturating_sub(1))),
            ],
            DataTooSpread { largest } | DataTooNarrow { largest } => vec![("value", f(*largest))],
            NotFiniteArg { name, value, .. } => vec![
                ("name", name.to_string()),
                ("value", crate::core::format::with_minus(&f(*value))),
            ],
            NotDirection { value } => vec![("value", crate::core::format::with_minus(&f(*value)))],
            LinkTooLong { got, max } => vec![("got", n(*got)), ("max", n(*max))],
            StartGone { max, .. } => vec![("max", n(*max))],
            BadCount {
                line,
                column,
                text,
                max,
            } => vec![
                ("line", n(*line)),
                ("column", n(*column)),
                ("text", shorten(text)),
                ("max", max.to_string()),
            ],
            BadRate { component, value } => vec![("k", n(component + 1)), ("value", f(*value))],
        }
    }

    /// The message in `lang`, with its numbers filled in.
    pub fn message(&self, lang: Lang) -> String {
        text::fill(text::get(lang, self.id()), &self.args(lang))
    }
}

/// The message id `base` in the wording of `model`: k-means and coins get their own (no variances).
fn by_model(model: &str, base: &'static str) -> &'static str {
    match (base, model) {
        ("err-params-unusable", "kmeans") => "err-params-unusable-kmeans",
        ("err-params-overflow", "kmeans") => "err-params-overflow-kmeans",
        ("err-params-unusable", "coins") => "err-params-unusable-coins",
        ("err-component-nothing", "kmeans") => "err-component-nothing-kmeans",
        ("err-component-nothing", "coins") => "err-component-nothing-coins",
        ("err-point-impossible", "coins") => "err-point-impossible-coins",
        _ => base,
    }
}

/// Cuts user text to a length that fits in a message, so a 10 MB paste cannot flood the page.
fn shorten(s: &str) -> String {
    cut(s, 40)
}

/// [`shorten`] for a technical note that quotes user text only in part (a JSON reader's "expected a
/// number at character 17"): room for the whole note.
fn shorten_long(s: &str) -> String {
    cut(s, 160)
}

/// `s`, or its first `max` characters and "…".
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max).collect();
        format!("{head}…")
    }
}

impl std::fmt::Display for EmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for EmError {}

/// A sum of weights that is not 1, with the digits that show it is not ("1.000001", where six significant
/// digits printed "The weights sum to 1; they must sum to 1").
fn sum_text(sum: f64) -> String {
    let off = (sum - 1.0).abs();
    if !sum.is_finite() || off == 0.0 || off >= 1e-4 {
        return crate::core::format::short(sum);
    }
    let decimals = ((-off.log10()).ceil() as usize + 1).min(15);
    let text = format!("{sum:.decimals$}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
