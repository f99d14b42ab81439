//! The saved EM state, small: [`SavedTheta`] to [`CompactEm`] and back, bit for bit.
//!
//! A full [`SavedTheta`] repeats θ twice per half-step (each snapshot holds θ and the θ its q came
//! from) with every number as decimal text: megabytes for a run of 10,000 half-steps. The compact form
//! keeps each number once, as 8 bytes in one base64 string (`numbers`), and says everything that can
//! be predicted with a character:
//!
//! - The states form one timeline: the undo history (oldest first), the current state, then the undone
//!   states (the next one first). `states` holds one word per state, separated by spaces:
//!   `<phase><θ><q>` then optional parts. The phase is `i`, `e` or `m` (upper case: converged). θ is
//!   `=` (the previous state's θ), `s` (the start) or `#` (its numbers follow in `numbers`). The θ q
//!   came from is `0` (none: uniform q), `p` (this state's own θ: after an E-step), `r` (the previous
//!   state's θ: after an M-step), `q` (the previous state's), `s` (the start) or `#` (in `numbers`).
//!   Optional parts: `n<iteration>` when it is not the previous one (+1 after an M-step),
//!   `t<trace length>` when it is not the previous one + 1, `c<component>.<point>` a collapse (its
//!   variance in `numbers`), `x<j>,<j>…` the components left empty. The first state's "previous" is the
//!   start with no q, iteration 0 and an empty trace.
//! - A trace (the current run's, and each undone state's tail) is one word per point: the phase (upper
//!   case: converged), then ℓ as `l` (the previous point's ℓ) or `#`, then L as `l` (this point's ℓ), `b`
//!   (the previous point's L) or `#`, `n<iteration>` when it is not the previous one (+1 at an M), and
//!   `o` when its reg and tol (in `numbers`) are not the previous point's (the first point's: the
//!   options'); sessions written before have no `o`.
//!
//! Equal means equal bits, so every number comes back exactly. The start, the options and the
//! layout of θ (field names and shapes, from the start) are written as they are.

use super::collapse::Collapse;
use super::em::{Phase, SavedEm, Snapshot, TracePoint};
use super::error::EmError;
use super::json::{self, Fields, Json, Object};
use super::model::{SavedTheta, Theta};
use super::options::Options;

/// A saved EM state in its compact form (see the module documentation for the format).
#[derive(Clone, Debug, PartialEq)]
pub struct CompactEm {
    /// The θ that reset returns to; its fields give the layout of every θ in `numbers`.
    pub start: Theta,
    /// reg and tol.
    pub options: Options,
    /// The current state's place on the timeline: how many states undo can return to.
    pub position: usize,
    /// Every state of the timeline, one word each.
    pub states: String,
    /// The current run's trace, one word per point.
    pub trace: String,
    /// The trace tail of each undone state, in the order redo keeps them (the next one last).
    pub tails: Vec<String>,
    /// Every number not predicted, 8 little-endian bytes each, in base64 (no padding).
    pub numbers: String,
}

impl CompactEm {
    /// Writes the state as a JSON object, its fields in the order declared.
    pub fn write_json(&self, out: &mut String) {
        let mut em = Object::new(out);
        self.start.write_json(em.field("start"));
        self.options.write_json(em.field("options"));
        em.whole("position", self.position)
            .text("states", &self.states)
            .text("trace", &self.trace);
        let tails = em.field("tails");
        tails.push('[');
        for (i, tail) in self.tails.iter().enumerate() {
            if i > 0 {
                tails.push(',');
            }
            json::write_text(tails, tail);
        }
        tails.push(']');
        em.text("numbers", &self.numbers).end();
    }

    /// The state as JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// The state of a JSON object written by [`CompactEm::write_json`].
    pub fn from_json(value: &Json) -> Result<CompactEm, String> {
        let f = Fields::of(value)?;
        Ok(CompactEm {
            start: Theta::from_json(f.get("start")?)?,
            options: Options::from_json(f.get("options")?)?,
            position: f.whole("position")?,
            states: f.text("states")?,
            trace: f.text("trace")?,
            tails: f
                .list("tails")?
                .iter()
                .map(json::text)
                .collect::<Result<_, _>>()?,
            numbers: f.text("numbers")?,
        })
    }
}

/// The state that precedes the first one on the timeline.
fn origin(start: &Theta) -> Snapshot<Theta> {
    Snapshot {
        params: start.clone(),
        q_from: None,
        phase: Phase::Init,
        iteration: 0,
        converged: false,
        trace_len: 0,
        collapse: None,
        empty: Vec::new(),
    }
}

/// True when two θ are the same to the bit (a −0 is not a 0).
fn same(a: &Theta, b: &Theta) -> bool {
    a.fields.len() == b.fields.len()
        && a.fields.iter().zip(&b.fields).all(|(f, g)| {
            f.name == g.name
                && f.shape == g.shape
                && f.values.len() == g.values.len()
                && f.values
                    .iter()
                    .zip(&g.values)
                    .all(|(x, y)| x.to_bits() == y.to_bits())
        })
}

/// True when two numbers are the same to the bit.
fn same_number(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

/// The iteration a state or trace point has when it follows one at `before` with `phase`.
fn next_iteration(before: usize, phase: Phase) -> usize {
    before + usize::from(phase == Phase::M)
}

/// The letter of a phase, upper case when converged.
fn phase_letter(phase: Phase, converged: bool) -> char {
    let c = match phase {
        Phase::Init => 'i',
        Phase::E => 'e',
        Phase::M => 'm',
    };
    if converged {
        c.to_ascii_uppercase()
    } else {
        c
    }
}

/// The phase and converged flag of a letter.
fn read_phase(c: char) -> Option<(Phase, bool)> {
    let phase = match c.to_ascii_lowercase() {
        'i' => Phase::Init,
        'e' => Phase::E,
        'm' => Phase::M,
        _ => return None,
    };
    Some((phase, c.is_ascii_uppercase()))
}

/// The error for a compact state that cannot be read, naming what is wrong.
fn bad(what: &str) -> EmError {
    EmError::session_unreadable(what)
}

/// Writes the compact form, collecting the numbers.
struct Writer {
    numbers: Vec<f64>,
}

impl Writer {
    /// Writes θ when it differs from every candidate (`=`, `s`, …), else the candidate's letter.
    fn theta(&mut self, word: &mut String, theta: &Theta, candidates: &[(char, Option<&Theta>)]) {
        for (letter, candidate) in candidates {
            if candidate.is_some_and(|c| same(c, theta)) {
                word.push(*letter);
                return;
            }
        }
        word.push('#');
        for field in &theta.fields {
            self.numbers.extend(&field.values);
        }
    }

    /// Writes a number as the letter of the first candidate it equals, else `#` and the number.
    fn number(&mut self, word: &mut String, x: f64, candidates: &[(char, Option<f64>)]) {
        for (letter, candidate) in candidates {
            if candidate.is_some_and(|c| same_number(c, x)) {
                word.push(*letter);
                return;
            }
        }
        word.push('#');
        self.numbers.push(x);
    }

    /// One word per state of the timeline.
    fn states(&mut self, start: &Theta, chain: &[&Snapshot<Theta>]) -> String {
        let origin = origin(start);
        let mut prev = &origin;
        let mut words = Vec::with_capacity(chain.len());
        for &s in chain {
            let mut word = String::new();
            word.push(phase_letter(s.phase, s.converged));
            self.theta(
                &mut word,
                &s.params,
                &[('=', Some(&prev.params)), ('s', Some(start))],
            );
            match &s.q_from {
                None => word.push('0'),
                Some(q) => self.theta(
                    &mut word,
                    q,
                    &[
                        ('p', Some(&s.params)),
                        ('r', Some(&prev.params)),
                        ('q', prev.q_from.as_ref()),
                        ('s', Some(start)),
                    ],
                ),
            }
            if s.iteration != next_iteration(prev.iteration, s.phase) {
                word.push_str(&format!("n{}", s.iteration));
            }
            if s.trace_len != prev.trace_len + 1 {
                word.push_str(&format!("t{}", s.trace_len));
            }
            if let Some(c) = s.collapse {
                word.push_str(&format!("c{}.{}", c.component, c.point));
                self.numbers.push(c.variance);
            }
            if !s.empty.is_empty() {
                let list: Vec<String> = s.empty.iter().map(|j| j.to_string()).collect();
                word.push_str(&format!("x{}", list.join(",")));
            }
            words.push(word);
            prev = s;
        }
        words.join(" ")
    }

    /// One word per trace point; a point's options are written (`o`, then reg and tol in the numbers)
    /// where they are not the previous point's, the first point's not `options`.
    fn trace(&mut self, points: &[TracePoint], options: Options) -> String {
        let mut prev: Option<&TracePoint> = None;
        let mut words = Vec::with_capacity(points.len());
        for p in points {
            let mut word = String::new();
            word.push(phase_letter(p.phase, p.converged));
            self.number(&mut word, p.loglik, &[('l', prev.map(|q| q.loglik))]);
            self.number(
                &mut word,
                p.bound,
                &[('l', Some(p.loglik)), ('b', prev.map(|q| q.bound))],
            );
            if p.iteration != next_iteration(prev.map_or(0, |q| q.iteration), p.phase) {
                word.push_str(&format!("n{}", p.iteration));
            }
            if p.options != prev.map_or(options, |q| q.options) {
                word.push('o');
                self.numbers.extend([p.options.reg, p.options.tol]);
            }
            words.push(word);
            prev = Some(p);
        }
        words.join(" ")
    }
}

/// The saved state in its compact form.
pub fn compact(saved: &SavedTheta) -> CompactEm {
    let mut chain: Vec<&Snapshot<Theta>> = saved.history.iter().collect();
    chain.push(&saved.current);
    chain.extend(saved.future.iter().rev().map(|(s, _)| s));
    let mut writer = Writer {
        numbers: Vec::new(),
    };
    let states = writer.states(&saved.start, &chain);
    let trace = writer.trace(&saved.trace, saved.options);
    let tails = saved
        .future
        .iter()
        .map(|(_, tail)| writer.trace(tail, saved.options))
        .collect();
    CompactEm {
        start: saved.start.clone(),
        options: saved.options,
        position: saved.history.len(),
        states,
        trace,
        tails,
        numbers: base64_encode(&writer.numbers),
    }
}

/// Reads the compact form back, taking the numbers in order.
struct Reader<'a> {
    numbers: std::slice::Iter<'a, f64>,
    start: &'a Theta,
}

impl Reader<'_> {
    /// The next number.
    fn number(&mut self) -> Result<f64, EmError> {
        self.numbers
            .next()
            .copied()
            .ok_or_else(|| bad("too few numbers"))
    }

    /// A θ with the start's layout, from `numbers`.
    fn theta(&mut self) -> Result<Theta, EmError> {
        let mut theta = self.start.clone();
        for field in &mut theta.fields {
            for v in &mut field.values {
                *v = self.number()?;
            }
        }
        Ok(theta)
    }

    /// A whole number after a letter of a word, and the rest of the word.
    fn whole(rest: &str) -> Result<(usize, &str), EmError> {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let n = rest[..end]
            .parse()
            .map_err(|_| bad("a number in a state"))?;
        Ok((n, &rest[end..]))
    }

    /// One state, after `prev`.
    fn state(&mut self, word: &str, prev: &Snapshot<Theta>) -> Result<Snapshot<Theta>, EmError> {
        let mut chars = word.chars();
        let (phase, converged) = chars
            .next()
            .and_then(read_phase)
            .ok_or_else(|| bad("a state's phase"))?;
        let params = match chars.next() {
            Some('=') => prev.params.clone(),
            Some('s') => self.start.clone(),
            Some('#') => self.theta()?,
            _ => return Err(bad("a state's θ")),
        };
        let q_from = match chars.next() {
            Some('0') => None,
            Some('p') => Some(params.clone()),
            Some('r') => Some(prev.params.clone()),
            Some('q') => Some(prev.q_from.clone().ok_or_else(|| bad("a state's q"))?),
            Some('s') => Some(self.start.clone()),
            Some('#') => Some(self.theta()?),
            _ => return Err(bad("a state's q")),
        };
        let mut snap = Snapshot {
            params,
            q_from,
            phase,
            iteration: next_iteration(prev.iteration, phase),
            converged,
            trace_len: prev.trace_len + 1,
            collapse: None,
            empty: Vec::new(),
        };
        let mut rest = chars.as_str();
        while let Some(letter) = rest.chars().next() {
            let (n, after) = Self::whole(&rest[letter.len_utf8()..])?;
            rest = after;
            match letter {
                'n' => snap.iteration = n,
                't' => snap.trace_len = n,
                'c' => {
                    let point = rest.strip_prefix('.').ok_or_else(|| bad("a collapse"))?;
                    let (point, after) = Self::whole(point)?;
                    rest = after;
                    snap.collapse = Some(Collapse {
                        component: n,
                        point,
                        variance: self.number()?,
                    });
                }
                'x' => {
                    snap.empty.push(n);
                    while let Some(more) = rest.strip_prefix(',') {
                        let (j, after) = Self::whole(more)?;
                        snap.empty.push(j);
                        rest = after;
                    }
                }
                _ => return Err(bad("a state's word")),
            }
        }
        Ok(snap)
    }

    /// A trace; a point without options of its own (`o`) has the previous point's, the first `options`.
    fn trace(&mut self, text: &str, options: Options) -> Result<Vec<TracePoint>, EmError> {
        let mut points: Vec<TracePoint> = Vec::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let prev = points.last().copied();
            let mut chars = word.chars();
            let (phase, converged) = chars
                .next()
                .and_then(read_phase)
                .ok_or_else(|| bad("a trace point's phase"))?;
            let loglik = match (chars.next(), prev) {
                (Some('l'), Some(q)) => q.loglik,
                (Some('#'), _) => self.number()?,
                _ => return Err(bad("a trace point's ℓ")),
            };
            let bound = match (chars.next(), prev) {
                (Some('l'), _) => loglik,
                (Some('b'), Some(q)) => q.bound,
                (Some('#'), _) => self.number()?,
                _ => return Err(bad("a trace point's L")),
            };
            let mut rest = chars.as_str();
            let iteration = match rest.strip_prefix('n') {
                Some(n) => {
                    let (n, after) = Self::whole(n)?;
                    rest = after;
                    n
                }
                None => next_iteration(prev.map_or(0, |q| q.iteration), phase),
            };
            let options = match rest {
                "o" => Options {
                    reg: self.number()?,
                    tol: self.number()?,
                },
                "" => prev.map_or(options, |q| q.options),
                _ => return Err(bad("a trace point's word")),
            };
            points.push(TracePoint {
                iteration,
                phase,
                loglik,
                bound,
                converged,
                options,
            });
        }
        Ok(points)
    }
}

/// The saved state a compact form describes; text that does not parse, or that does not hold exactly
/// the numbers it names, is refused with what is wrong (θ itself is checked when the state is loaded).
pub fn expand(compact: &CompactEm) -> Result<SavedTheta, EmError> {
    let numbers = base64_decode(&compact.numbers).ok_or_else(|| bad("its numbers"))?;
    let mut reader = Reader {
        numbers: numbers.iter(),
        start: &compact.start,
    };
    let mut chain: Vec<Snapshot<Theta>> = Vec::new();
    for word in compact.states.split(' ').filter(|w| !w.is_empty()) {
        let origin;
        let prev = match chain.last() {
            Some(p) => p,
            None => {
                origin = self::origin(&compact.start);
                &origin
            }
        };
        let snap = reader.state(word, prev)?;
        chain.push(snap);
    }
    let trace = reader.trace(&compact.trace, compact.options)?;
    let tails = compact
        .tails
        .iter()
        .map(|t| reader.trace(t, compact.options))
        .collect::<Result<Vec<_>, _>>()?;
    if reader.numbers.next().is_some() {
        return Err(bad("numbers left over"));
    }
    if compact.position >= chain.len() || chain.len() - compact.position - 1 != tails.len() {
        return Err(bad("the timeline's length"));
    }
    let mut future_states = chain.split_off(compact.position + 1);
    let current = chain.pop().ok_or_else(|| bad("no current state"))?;
    future_states.reverse();
    Ok(SavedEm {
        start: compact.start.clone(),
        options: compact.options,
        current,
        history: chain,
        future: future_states.into_iter().zip(tails).collect(),
        trace,
    })
}

/// The standard base64 alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Numbers as base64 of their little-endian bytes, without padding.
fn base64_encode(numbers: &[f64]) -> String {
    let bytes: Vec<u8> = numbers.iter().flat_map(|x| x.to_le_bytes()).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The value of one base64 character.
fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// The numbers [`base64_encode`] wrote, or None for text it could not have written.
fn base64_decode(text: &str) -> Option<Vec<f64>> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = sextet(c)?;
            n |= v << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            bytes.push((n >> (16 - 8 * i)) as u8);
        }
    }
    if bytes.len() % 8 != 0 {
        return None;
    }
    Some(
        bytes
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
            .collect(),
    )
}
