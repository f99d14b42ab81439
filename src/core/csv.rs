//! Reading numbers from pasted CSV/TSV text, with a message that names the line and column of a bad value.

use super::decimal::parse_f64;
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
    /// True when every data line is `digits,digits` (like `1,5`): read as two columns, though a decimal
    /// comma (1.5) is as plausible, so the page says so and offers the decimal comma.
    pub comma_ambiguous: bool,
    /// True when every data line is like `1,000.5` (1 to 3 digits, a comma, 3 digits and a decimal part on
    /// at least one line): read as two columns (1 and 0.5), though a thousands separator is as plausible, so
    /// the page says so.
    pub thousands_ambiguous: bool,
    /// True when every data line is like `12 345.6` or `1 000 000` (1 to 3 digits, then groups of 3 digits,
    /// the last with a decimal part or none, apart by spaces): read as columns (12 and 345.6), though
    /// thousands set apart by spaces are as plausible, so the page says so.
    pub thousands_spaced: bool,
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

impl Table {
    /// The values of a table of one line of several numbers and no header, as one list (numbers written on
    /// one line, "1.2 1.5 2.1 2.3 5.0", are a data set of five, not one row of five columns); `None` for any
    /// other table.
    pub fn one_line_list(&self) -> Option<Vec<f64>> {
        (self.header.is_none() && self.columns > 1 && self.values.len() == self.columns)
            .then(|| self.values.clone())
    }

    /// Columns `columns[0]` and `columns[1]` as flat x, y pairs.
    pub fn points(&self, columns: [usize; 2]) -> Result<Vec<f64>, EmError> {
        let (xs, ys) = (self.column(columns[0])?, self.column(columns[1])?);
        Ok(xs.iter().zip(&ys).flat_map(|(&x, &y)| [x, y]).collect())
    }
}

/// Splits a line into fields on the delimiter the text uses (tab, comma, semicolon or spaces).
fn split_fields(line: &str, delimiter: Option<char>) -> Vec<&str> {
    match delimiter {
        Some(d) => line.split(d).map(str::trim).collect(),
        None => line.split_whitespace().collect(),
    }
}

/// The delimiter of the first data line: tab, then semicolon (a line with both `;` and `,`, like
/// `1,5;2,5`, separates with `;` and writes decimal commas), then comma, else white space; never the
/// comma when it is the decimal mark.
fn detect_delimiter(line: &str, decimal_comma: bool) -> Option<char> {
    ['\t', ';', ',']
        .into_iter()
        .filter(|&d| !(decimal_comma && d == ','))
        .find(|&d| line.contains(d))
}

/// For the two fields of a line like `1,000.5` (1 to 3 digits; 3 digits, then a decimal part or none), whether
/// it has the decimal part; `None` for any other line.
fn thousands_part(fields: &[&str]) -> Option<bool> {
    let [high, low] = fields else { return None };
    let high = high.strip_prefix('-').unwrap_or(high);
    let (digits, decimals) = low.split_once('.').unwrap_or((low, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let fits = (1..=3).contains(&high.len())
        && all_digits(high)
        && digits.len() == 3
        && all_digits(digits)
        && all_digits(decimals);
    fits.then_some(low.contains('.'))
}

/// True for the fields of a line like `12 345.6` or `1 000 000`: 1 to 3 digits (a minus before them or
/// not), then at least one group of exactly 3 digits, the last with a decimal part or none.
fn thousands_groups(fields: &[&str]) -> bool {
    let Some((first, groups)) = fields.split_first() else {
        return false;
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let first = first.strip_prefix('-').unwrap_or(first);
    let group = |(i, g): (usize, &&str)| {
        let (digits, decimals) = match i + 1 == groups.len() {
            true => g.split_once('.').unwrap_or((g, "")),
            false => (*g, ""),
        };
        digits.len() == 3 && all_digits(digits) && all_digits(decimals)
    };
    (1..=3).contains(&first.len())
        && all_digits(first)
        && !groups.is_empty()
        && groups.iter().enumerate().all(group)
}

/// True for a field that writes a number that is not finite: `NaN`, `inf`, `-Infinity` (any case).
fn is_non_finite_word(field: &str) -> bool {
    let word = field.trim().trim_matches('"');
    let word = word.strip_prefix(['+', '-']).unwrap_or(word);
    ["nan", "inf", "infinity"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// True for a field of digits only, with an optional leading minus (one side of `1,5`).
fn is_digit_run(field: &str) -> bool {
    let digits = field.strip_prefix('-').unwrap_or(field);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `text` with the full-width forms a Chinese keyboard types (digits, "－", "．", "，", letters; U+FF01–U+FF5E),
/// the ideographic space and "、" as their ASCII counterparts ("，" and "、" as commas): "－1.5" was taken for a
/// column name and dropped without a word, and "７" was "not a number".
pub fn half_width(text: &str) -> std::borrow::Cow<'_, str> {
    let wide = |c: char| matches!(c, '\u{ff01}'..='\u{ff5e}' | '\u{3000}' | '\u{3001}');
    if !text.chars().any(wide) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{3001}' => ',',
            _ => c,
        })
        .collect()
}

/// True for lines to skip: blank or starting with `#`.
/// Refuses line `line_no` when it holds characters no text file has (NUL and the other control characters
/// but tab): an image or a spreadsheet's own file read as text was "Line 2, column 1: “\u{1a}” is not a
/// number", and a file of NUL bytes quoted forty invisible characters. U+FFFD (bytes that were not UTF-8)
/// is text: a CSV saved by Excel in GBK has its Chinese header names so, over numbers that read.
pub fn check_text_line(line: &str, line_no: usize) -> Result<(), EmError> {
    let binary = |c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n');
    if line.chars().any(binary) {
        return Err(EmError::new(ErrorKind::NotTextFile { line: line_no }));
    }
    Ok(())
}

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
    if let Some(v) = parse_f64(field.trim()) {
        if v.is_finite() && v != 0.0 {
            return Ok(v);
        }
    }
    let text = normalise(field, decimal_comma);
    let shown = field.trim().trim_matches('"').to_string();
    let err = |kind: fn(usize, usize, String) -> ErrorKind| {
        Err(EmError::new(kind(line, column, shown.clone())))
    };
    match parse_f64(&text) {
        Some(v) if v == 0.0 && has_nonzero_mantissa(&text) => {
            err(|line, column, text| ErrorKind::Underflow { line, column, text })
        }
        Some(v) if v.is_finite() => Ok(v),
        Some(_) => {
            let lower = text.to_ascii_lowercase();
            if lower.contains("inf") || lower.contains("nan") {
                err(|line, column, text| ErrorKind::NonFinite { line, column, text })
            } else {
                err(|line, column, text| ErrorKind::OutOfRange { line, column, text })
            }
        }
        None if text
            .trim_start_matches(['-', '+'])
            .to_ascii_lowercase()
            .starts_with("0x") =>
        {
            err(|line, column, text| ErrorKind::Hex { line, column, text })
        }
        None => err(|line, column, text| ErrorKind::NotANumber { line, column, text }),
    }
}

/// True when the digits before any exponent include one that is not 0 (so a parsed 0 is an underflow).
fn has_nonzero_mantissa(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    mantissa.chars().any(|c| c.is_ascii_digit() && c != '0')
}

/// Reads a numeric table; a first line that is not all numbers is taken as the header.
pub fn parse_table(text: &str) -> Result<Table, EmError> {
    parse_table_with(text, false)
}

/// [`parse_table`] with the comma read as the decimal mark when `decimal_comma` (columns are then
/// separated by tabs, semicolons or spaces).
pub fn parse_table_with(text: &str, decimal_comma: bool) -> Result<Table, EmError> {
    let mut reader = TableReader::new(decimal_comma);
    reader.push(text)?;
    reader.finish()
}

/// Columns `columns[0]` and `columns[1]` of a table as flat x, y pairs.
pub fn read_points(text: &str, columns: [usize; 2]) -> Result<Vec<f64>, EmError> {
    parse_table(text)?.points(columns)
}

/// How the columns of a table are laid out, decided by its first non-blank line.
#[derive(Clone, Copy, Debug)]
struct Layout {
    /// The field separator (None: runs of white space).
    delimiter: Option<char>,
    /// Fields per line.
    columns: usize,
    /// A comma inside a field is a decimal mark.
    decimal_comma: bool,
}

/// Reads a table from text given in pieces of any size (a file read chunk by chunk): the same values and
/// the same line-numbered errors as [`parse_table`] on the whole text, wherever the pieces are cut.
#[derive(Clone, Debug, Default)]
pub struct TableReader {
    /// The comma is the decimal mark (the user's choice).
    decimal_comma: bool,
    /// The text after the last line break seen: the start of a line still to come.
    partial: String,
    /// Lines completed so far.
    lines: usize,
    /// Set by the first non-blank line.
    layout: Option<Layout>,
    /// Header names, when the first line is a header.
    header: Option<Vec<String>>,
    /// The header line, kept until the first data line says how its names are separated.
    header_line: Option<String>,
    /// The values read so far, row-major.
    values: Vec<f64>,
    /// Every data line so far is `digits,digits`.
    comma_ambiguous: bool,
    /// Every data line so far is like `1,000` or `1,000.5`.
    thousands_like: bool,
    /// A data line so far is like `1,000.5` (a decimal part after the three digits).
    thousands_decimals: bool,
    /// Every data line so far is like `12 345.6` (see [`Table::thousands_spaced`]).
    thousands_spaced: bool,
    /// The first error: every later call returns it.
    failed: Option<EmError>,
}

impl TableReader {
    /// A reader at the start of a text; `decimal_comma` reads `1,5` as 1.5.
    pub fn new(decimal_comma: bool) -> Self {
        TableReader {
            decimal_comma,
            comma_ambiguous: true,
            thousands_like: true,
            thousands_spaced: true,
            ..Self::default()
        }
    }

    /// Data rows read so far.
    pub fn rows(&self) -> usize {
        self.layout
            .map_or(0, |l| self.values.len().checked_div(l.columns).unwrap_or(0))
    }

    /// Reads the complete lines of the next piece of text and keeps its unfinished last line for later.
    pub fn push(&mut self, piece: &str) -> Result<(), EmError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let piece = half_width(piece);
        let mut rest: &str = &piece;
        while let Some(end) = rest.find('\n') {
            let (line_end, after) = (&rest[..end], &rest[end + 1..]);
            rest = after;
            self.lines += 1;
            let result = if self.partial.is_empty() {
                self.read_line(self.lines, line_end)
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.push_str(line_end);
                let result = self.read_line(self.lines, &line);
                line.clear();
                self.partial = line;
                result
            };
            if let Err(error) = result {
                self.failed = Some(error.clone());
                return Err(error);
            }
        }
        self.partial.push_str(rest);
        Ok(())
    }

    /// Reads the last line (one without a line break) and returns the table.
    pub fn finish(&mut self) -> Result<Table, EmError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.lines += 1;
            if let Err(error) = self.read_line(self.lines, &line) {
                self.failed = Some(error.clone());
                return Err(error);
            }
        }
        let error = match self.layout {
            Some(layout) if !self.values.is_empty() => {
                return Ok(Table {
                    header: self.header.take(),
                    columns: layout.columns,
                    values: std::mem::take(&mut self.values),
                    comma_ambiguous: self.comma_ambiguous
                        && layout.delimiter == Some(',')
                        && layout.columns == 2,
                    thousands_ambiguous: self.thousands_like
                        && self.thousands_decimals
                        && layout.delimiter == Some(',')
                        && layout.columns == 2,
                    thousands_spaced: self.thousands_spaced && layout.delimiter.is_none(),
                });
            }
            // A line of names and nothing under it: "abc" typed alone read as "the data set is empty".
            _ => match self.header_line.take() {
                Some(text) => EmError::new(ErrorKind::OnlyHeader {
                    text: text.trim().to_string(),
                }),
                None => EmError::new(ErrorKind::EmptyData),
            },
        };
        self.failed = Some(error.clone());
        Err(error)
    }

    /// Reads line `line_no` (without its line break): the layout and header from the first non-blank
    /// line, values from the others.
    fn read_line(&mut self, line_no: usize, line: &str) -> Result<(), EmError> {
        check_text_line(line, line_no)?;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = line.trim_start_matches('\u{feff}');
        if is_blank(line) {
            return Ok(());
        }
        let layout = match self.layout {
            Some(layout) => layout,
            None => {
                let delimiter = detect_delimiter(line, self.decimal_comma);
                let layout = Layout {
                    delimiter,
                    columns: split_fields(line, delimiter).len(),
                    decimal_comma: self.decimal_comma || matches!(delimiter, Some('\t' | ';')),
                };
                let fields = split_fields(line, delimiter);
                // A header is a line of names: a field that starts like a number but does not read as
                // one (0x10, 1e-400, 1..2) is a bad value, reported with its line, not a header dropped
                // without a word. Only the first line can be one; the data's first line sets the layout
                // (a name with a space, "height cm", over one number a line made the header two columns).
                // NaN and Infinity are numbers that are not finite, not names: a first line of them was
                // dropped as a header, where the same values on a later line were refused.
                let is_header = self.header_line.is_none()
                    && fields.iter().any(|f| {
                        !looks_numeric(f)
                            && !is_non_finite_word(f)
                            && parse_field(f, 1, 1, layout.decimal_comma).is_err()
                    });
                if is_header {
                    self.header_line = Some(line.to_string());
                    return Ok(());
                }
                self.layout = Some(layout);
                if let Some(header) = self.header_line.as_deref() {
                    let names = split_fields(header, delimiter);
                    let names = if names.len() == layout.columns {
                        names
                    } else {
                        vec![header.trim()]
                    };
                    let names = names.iter().map(|f| f.trim_matches('"').to_string());
                    self.header = Some(names.collect());
                }
                layout
            }
        };
        let fields = split_fields(line, layout.delimiter);
        if fields.len() != layout.columns {
            // A field that is not a number says more than the count ("abc" on a line of a 2-column table
            // read "Line 2 has 1 fields; expected 2").
            for (c, field) in fields.iter().enumerate() {
                parse_field(field, line_no, c + 1, layout.decimal_comma)?;
            }
            return Err(EmError::new(ErrorKind::WrongFieldCount {
                line: line_no,
                expected: layout.columns,
                got: fields.len(),
            }));
        }
        if self.comma_ambiguous && !(fields.len() == 2 && fields.iter().all(|f| is_digit_run(f))) {
            self.comma_ambiguous = false;
        }
        if self.thousands_spaced && !thousands_groups(&fields) {
            self.thousands_spaced = false;
        }
        if self.thousands_like {
            match thousands_part(&fields) {
                Some(decimals) => self.thousands_decimals |= decimals,
                None => self.thousands_like = false,
            }
        }
        for (c, field) in fields.iter().enumerate() {
            self.values
                .push(parse_field(field, line_no, c + 1, layout.decimal_comma)?);
        }
        let rows = self.values.len() / layout.columns;
        if rows > MAX_POINTS {
            return Err(EmError::new(ErrorKind::TooManyPoints {
                got: rows,
                max: MAX_POINTS,
            }));
        }
        Ok(())
    }
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
    fn a_header_takes_the_layout_of_the_data_under_it() {
        // A name with a space over one number a line was two columns, and line 2 "had 1 field".
        let t = parse_table("height cm\n170\n165\n").unwrap();
        assert_eq!((t.columns, t.rows()), (1, 2));
        assert_eq!(t.header, Some(vec!["height cm".to_string()]));
        let t = parse_table("eruption time\twaiting time\n3.6\t79\n1.8\t54\n").unwrap();
        assert_eq!(
            t.header.as_deref().unwrap(),
            ["eruption time", "waiting time"]
        );
        assert_eq!(t.column(1).unwrap(), vec![79.0, 54.0]);
        let t = parse_table("x y\n1,2\n3,4\n").unwrap();
        assert_eq!((t.columns, t.column(1).unwrap()), (2, vec![2.0, 4.0]));
        // Only the first line can be a header: a second line of words is a bad value, with its line.
        assert_eq!(
            kind("height\nweight\n1\n"),
            ErrorKind::NotANumber {
                line: 2,
                column: 1,
                text: "weight".to_string()
            }
        );
        assert_eq!(
            kind("height cm\n"),
            ErrorKind::OnlyHeader {
                text: "height cm".into()
            }
        );
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
        assert_eq!(
            kind("only,a,header\n"),
            ErrorKind::OnlyHeader {
                text: "only,a,header".into()
            }
        );
        assert!(matches!(
            parse_table("1\n").unwrap().column(3).unwrap_err().kind,
            ErrorKind::NoSuchColumn {
                column: 4,
                columns: 1
            }
        ));
    }
}
