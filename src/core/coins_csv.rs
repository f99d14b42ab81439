//! Reading coin-toss data from pasted text: one observation per line, as a toss sequence or as `heads,tosses`.
//!
//! A line is a sequence of H/T or 1/0 (case-insensitive; spaces, tabs, commas and semicolons between tosses
//! are ignored), such as `HTTH`, `h t t h` or `1,0,0,1`. A line of exactly two whole numbers is read as
//! `heads,tosses` when either number has more than one digit or a digit other than 0 and 1 (`5,10`, `10,10`,
//! `0 3`); so `1,1` is the sequence HH — write one head in one toss as `H` — unless every line of the text is
//! two whole numbers and one of them is such a line: then every line is `heads,tosses` (`0,1` is no head in
//! one toss). Blank lines and lines starting with `#` are skipped.

use super::csv::MAX_POINTS;
use super::error::{EmError, ErrorKind};

/// Coin data read from text: counts for the model and, for sequence lines, the tosses for display.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CoinData {
    /// (heads, tosses) of each observation.
    pub counts: Vec<(u32, u32)>,
    /// The tosses as `H`/`T` letters when the line was a sequence; `None` for a `heads,tosses` line.
    pub sequences: Vec<Option<String>>,
}

/// True for the characters allowed between tosses and between the two counts.
fn is_separator(c: char) -> bool {
    c == ',' || c == ';' || c.is_whitespace()
}

/// True when the fields of a line are two whole numbers that read as `heads,tosses` (see the module docs).
fn is_counts_line(line: &str) -> bool {
    let fields: Vec<&str> = line.split(is_separator).filter(|f| !f.is_empty()).collect();
    let [a, b] = fields[..] else {
        return false;
    };
    if !a.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let binary = |f: &str| f.len() == 1 && (f == "0" || f == "1");
    !(binary(a) && binary(b))
}

/// True for a line of exactly two whole numbers (`0,1` as much as `5,10`).
fn is_two_numbers(line: &str) -> bool {
    let fields: Vec<&str> = line.split(is_separator).filter(|f| !f.is_empty()).collect();
    fields.len() == 2
        && fields
            .iter()
            .all(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()))
}

/// Parses a `heads,tosses` line; anything that is not 0 ≤ heads ≤ tosses, tosses ≥ 1 is `BadCoinCounts`.
fn parse_counts(line: &str, line_no: usize) -> Result<(u32, u32), EmError> {
    let bad = || EmError::new(ErrorKind::BadCoinCounts { line: line_no });
    let mut fields = line.split(is_separator).filter(|f| !f.is_empty());
    let mut next = || -> Result<u32, EmError> {
        let f = fields.next().ok_or_else(bad)?;
        if !f.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        // Digits only, so the one way to fail is a count past u32 (5e9 tosses was "heads must be between
        // 0 and tosses", which it was).
        f.parse::<u32>().map_err(|_| {
            EmError::new(ErrorKind::CoinCountTooLarge {
                line: line_no,
                max: u64::from(u32::MAX),
            })
        })
    };
    let (heads, tosses) = (next()?, next()?);
    if tosses == 0 || heads > tosses {
        return Err(bad());
    }
    Ok((heads, tosses))
}

/// Parses a toss sequence, naming the (1-based) column of the first character that is not a toss.
fn parse_sequence(line: &str, line_no: usize) -> Result<((u32, u32), String), EmError> {
    let mut seq = String::new();
    let mut heads: u32 = 0;
    for (i, c) in line.chars().enumerate() {
        match c.to_ascii_uppercase() {
            // 正 and 反 (heads, tails) as the Chinese page's coin table writes them.
            'H' | '1' | '正' => {
                heads += 1;
                seq.push('H');
            }
            'T' | '0' | '反' => seq.push('T'),
            _ if is_separator(c) => {}
            _ => {
                return Err(EmError::new(ErrorKind::BadCoinLine {
                    line: line_no,
                    column: i + 1,
                    found: c,
                }))
            }
        }
    }
    let tosses = u32::try_from(seq.len()).ok().filter(|&n| n > 0);
    let tosses = tosses.ok_or_else(|| EmError::new(ErrorKind::BadCoinCounts { line: line_no }))?;
    Ok(((heads, tosses), seq))
}

/// Reads coin observations, one per non-blank line; errors name the line (and column) at fault.
pub fn parse_coins(text: &str) -> Result<CoinData, EmError> {
    let text = super::csv::half_width(text);
    let mut data = CoinData::default();
    // A file of `heads,tosses` lines is read as one: its `0,1` is no head in one toss, not the sequence TH
    // (read line by line, "0,1\n1,2\n0,3" gave [1, 2] for its first set, without a word).
    let body = || {
        text.lines()
            .map(|l| l.trim_start_matches('\u{feff}').trim())
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    };
    // A line of two names over `heads,tosses` lines ("heads,tosses", "正面,次数") is their header: it was
    // refused at its "e". Only names with a letter that is not a toss, so a sequence is never taken for one.
    let names = |line: &str| {
        let fields: Vec<&str> = line.split(is_separator).filter(|f| !f.is_empty()).collect();
        fields.len() == 2
            && fields.iter().all(|f| f.chars().all(char::is_alphabetic))
            && fields.iter().all(|f| {
                f.chars()
                    .any(|c| !matches!(c, 'H' | 'h' | 'T' | 't' | '正' | '反'))
            })
    };
    let header = body().next().is_some_and(names)
        && body().skip(1).all(is_two_numbers)
        && body().skip(1).any(is_counts_line);
    let counts_file = header || (body().all(is_two_numbers) && body().any(is_counts_line));
    let mut skip_header = header;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        super::csv::check_text_line(raw, line_no)?;
        let line = raw.trim_start_matches('\u{feff}');
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if std::mem::take(&mut skip_header) {
            continue;
        }
        if counts_file || is_counts_line(line) {
            data.counts.push(parse_counts(line, line_no)?);
            data.sequences.push(None);
        } else {
            let (counts, seq) = parse_sequence(line, line_no)?;
            data.counts.push(counts);
            data.sequences.push(Some(seq));
        }
        if data.counts.len() > MAX_POINTS {
            return Err(EmError::new(ErrorKind::TooManyPoints {
                got: data.counts.len(),
                max: MAX_POINTS,
            }));
        }
    }
    if data.counts.is_empty() {
        return Err(EmError::new(ErrorKind::EmptyData));
    }
    Ok(data)
}
