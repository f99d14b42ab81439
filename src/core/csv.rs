//! Reading numbers from pasted CSV/TSV text, with a message that names the line and column of a bad value.

use super::error::{EmError, ErrorKind};

/// The most observations a data set may hold.
pub const MAX_POINTS: usize = 2_000_000;

/// A table read from text: optional header names and rows of numbers, with their source line numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column names when the first line was a header.
    pub header: Option<Vec<String>>,
    /// Number of columns.
    pub columns: usize,
    /// The values, row-major, `columns` per row.
    pub values: Vec<f64>,
}

impl Table {
    /// Number of data rows.
    pub fn rows(&self) -> usize {
        self.values.len().checked_div(self.columns).unwrap_or(0)
    }

    /// The values of one column (0-based).
    pub fn column(&self, c: usize) -> Result<Vec<f64>, EmError> {
        if c >= self.columns {
            return Err(EmError::new(ErrorKind::NoSuchColumn {
                column: c + 1,
                columns: self.columns,
            }));
        }
        Ok(self
            .values
            .iter()
            .skip(c)
            .step_by(self.columns)
            .copied()
            .collect())
    }
}

/// Splits a line into fields on the delimiter the text uses (tab, comma, semicolon or spaces).
fn split_fields(line: &str, delimiter: Option<char>) -> Vec<&str> {
    match delimiter {
        Some(d) => line.split(d).map(str::trim).collect(),
        None => line.split_whitespace().collect(),
    }
}

/// The delimiter of the first data line: tab, then comma, then semicolon, else white space.
fn detect_delimiter(line: &str) -> Option<char> {
    ['\t', ',', ';'].into_iter().find(|&d| line.contains(d))
}

/// True for lines to skip: blank or starting with `#`.
fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// A field as Rust's float parser reads it: surrounding quotes and spaces gone, the minus sign U+2212
/// (which the page itself prints) and a leading "+" accepted, and a decimal comma read as a point when
/// `decimal_comma` (the text separates its columns with tabs or semicolons, so a comma is a decimal mark).
fn normalise(field: &str, decimal_comma: bool) -> String {
    let text = field.trim().trim_matches('"').trim();
    let text = text.replace('\u{2212}', "-");
    if decimal_comma && text.matches(',').count() == 1 && !text.contains('.') {
        text.replace(',', ".")
    } else {
        text
    }
}

/// True when a field is meant as a number (starts with a digit, a sign or a point), so a bad one is
/// reported rather than taken for a header name.
fn looks_numeric(field: &str) -> bool {
    let text = normalise(field, false);
    text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
}

/// Parses one field as a finite f64, or says why it is not one.
pub fn parse_number(field: &str, line: usize, column: usize) -> Result<f64, EmError> {
    parse_field(field, line, column, false)
}

/// [`parse_number`], reading a decimal comma when `decimal_comma`.
fn parse_field(
    field: &str,
    line: usize,
    column: usize,
    decimal_comma: bool,
) -> Result<f64, EmError> {
    // The common case without an allocation: a plain finite, non-zero number.
    if let Ok(v) = field.trim().parse::<f64>() {
        if v.is_finite() && v != 0.0 {
            return Ok(v);
        }
    }
    let text = normalise(field, decimal_comma);
    let shown = field.trim().trim_matches('"').to_string();
    let err = |kind: fn(usize, usize, String) -> ErrorKind| {
        Err(EmError::new(kind(line, column, shown.clone())))
    };
    match text.parse::<f64>() {
        Ok(v) if v == 0.0 && has_nonzero_mantissa(&text) => {
            err(|line, column, text| ErrorKind::Underflow { line, column, text })
        }
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => {
            let lower = text.to_ascii_lowercase();
            if lower.contains("inf") || lower.contains("nan") {
                err(|line, column, text| ErrorKind::NonFinite { line, column, text })
            } else {
                err(|line, column, text| ErrorKind::OutOfRange { line, column, text })
            }
        }
        Err(_)
            if text
                .trim_start_matches(['-', '+'])
                .to_ascii_lowercase()
                .starts_with("0x") =>
        {
            err(|line, column, text| ErrorKind::Hex { line, column, text })
        }
        Err(_) => err(|line, column, text| ErrorKind::NotANumber { line, column, text }),
    }
}

/// True when the digits before any exponent include one that is not 0 (so a parsed 0 is an underflow).
fn has_nonzero_mantissa(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    mantissa.chars().any(|c| c.is_ascii_digit() && c != '0')
}

/// Reads a numeric table; a first line that is not all numbers is taken as the header.
pub fn parse_table(text: &str) -> Result<Table, EmError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_start_matches('\u{feff}')))
        .filter(|(_, l)| !is_blank(l))
        .peekable();
    let Some(&(_, first)) = lines.peek() else {
        return Err(EmError::new(ErrorKind::EmptyData));
    };
    let delimiter = detect_delimiter(first);
    let decimal_comma = matches!(delimiter, Some('\t' | ';'));
    let first_fields = split_fields(first, delimiter);
    let columns = first_fields.len();
    // A header is a line of names: a field that starts like a number but does not read as one (0x10,
    // 1e-400, 1..2) is a bad value, reported with its line, not a header dropped without a word.
    let is_header = first_fields
        .iter()
        .any(|f| !looks_numeric(f) && parse_field(f, 1, 1, decimal_comma).is_err());
    let header = if is_header {
        lines.next();
        Some(
            first_fields
                .iter()
                .map(|f| f.trim_matches('"').to_string())
                .collect(),
        )
    } else {
        None
    };
    let mut values = Vec::new();
    for (line_no, line) in lines {
        let fields = split_fields(line, delimiter);
        if fields.len() != columns {
            return Err(EmError::new(ErrorKind::WrongFieldCount {
                line: line_no,
                expected: columns,
                got: fields.len(),
            }));
        }
        for (c, field) in fields.iter().enumerate() {
            values.push(parse_field(field, line_no, c + 1, decimal_comma)?);
        }
        if values.len() / columns > MAX_POINTS {
            return Err(EmError::new(ErrorKind::TooManyPoints {
                got: values.len() / columns,
                max: MAX_POINTS,
            }));
        }
    }
    if values.is_empty() {
        return Err(EmError::new(ErrorKind::EmptyData));
    }
    Ok(Table {
        header,
        columns,
        values,
    })
}

/// Columns `columns[0]` and `columns[1]` of a table as flat x, y pairs.
pub fn read_points(text: &str, columns: [usize; 2]) -> Result<Vec<f64>, EmError> {
    let table = parse_table(text)?;
    let (xs, ys) = (table.column(columns[0])?, table.column(columns[1])?);
    Ok(xs.iter().zip(&ys).flat_map(|(&x, &y)| [x, y]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> ErrorKind {
        parse_table(text).unwrap_err().kind
    }

    #[test]
    fn reads_one_number_per_line_with_header_and_blank_lines() {
        let t = parse_table("height\n170.5\n\n# comment\n162\n").unwrap();
        assert_eq!(t.header, Some(vec!["height".to_string()]));
        assert_eq!(t.values, vec![170.5, 162.0]);
        assert_eq!(t.rows(), 2);
    }

    #[test]
    fn reads_columns_with_each_delimiter() {
        for text in ["1,2\n3,4", "1\t2\n3\t4", "1;2\n3;4", "1 2\n3   4"] {
            let t = parse_table(text).unwrap();
            assert_eq!(t.columns, 2, "{text:?}");
            assert_eq!(t.column(1).unwrap(), vec![2.0, 4.0], "{text:?}");
        }
    }

    #[test]
    fn names_line_and_column_of_a_bad_value() {
        assert_eq!(
            kind("1\n2\nabc\n"),
            ErrorKind::NotANumber {
                line: 3,
                column: 1,
                text: "abc".into()
            }
        );
        let e = parse_table("x,y\n1,2\n3,zz\n").unwrap_err();
        assert_eq!(e.to_string(), "Line 3, column 2: “zz” is not a number.");
    }

    #[test]
    fn rejects_nan_infinity_and_out_of_range() {
        assert!(matches!(
            kind("1\nNaN"),
            ErrorKind::NonFinite { line: 2, .. }
        ));
        assert!(matches!(
            kind("1\n-inf"),
            ErrorKind::NonFinite { line: 2, .. }
        ));
        assert!(matches!(
            kind("1\n1e999"),
            ErrorKind::OutOfRange { line: 2, .. }
        ));
    }

    #[test]
    fn rejects_wrong_field_count_and_empty_text() {
        assert_eq!(
            kind("1,2\n3\n"),
            ErrorKind::WrongFieldCount {
                line: 2,
                expected: 2,
                got: 1
            }
        );
        assert_eq!(kind(""), ErrorKind::EmptyData);
        assert_eq!(kind("only,a,header\n"), ErrorKind::EmptyData);
        assert!(matches!(
            parse_table("1\n").unwrap().column(3).unwrap_err().kind,
            ErrorKind::NoSuchColumn {
                column: 4,
                columns: 1
            }
        ));
    }
}
