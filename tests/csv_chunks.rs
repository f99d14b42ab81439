//! A table read in pieces (a file read chunk by chunk in the page, `TableReader`) gives the same numbers
//! and the same line-numbered errors as the text read at once (`parse_table`), wherever the pieces are
//! cut: inside a number, inside `\r\n`, inside a multi-byte character; and the decimal comma. Also the
//! one-pass check for K distinct values that replaced a sort of every point when a big file is used.

use emlab::core::csv::{parse_table, parse_table_with, Table, TableReader, MAX_POINTS};
use emlab::core::error::{EmError, ErrorKind};
use proptest::prelude::*;

/// Reads `text` cut at the byte offsets `cuts` (sorted, on character boundaries).
fn read_in_pieces(text: &str, cuts: &[usize]) -> Result<Table, EmError> {
    let mut reader = TableReader::new(false);
    let mut start = 0;
    for &cut in cuts {
        reader.push(&text[start..cut])?;
        start = cut;
    }
    reader.push(&text[start..])?;
    reader.finish()
}

/// The character boundaries of `text` (every place a piece can end).
fn boundaries(text: &str) -> Vec<usize> {
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect()
}

/// Texts that exercise every branch: header, comments, blank lines, `\r\n`, a BOM, U+2212, quotes,
/// each delimiter, and each kind of error.
const TEXTS: &[&str] = &[
    "height\r\n170.5\r\n\r\n# comment\r\n162\r\n",
    "\u{feff}x,y\n1,2\n3,4\n",
    "1;2,5\n\u{2212}3;4,25\n",
    "1\t2\r\n3\t4",
    "1 2\n3   4\n5 6",
    "\"a\",\"b\"\n\"1\",\"2\"\n",
    "1\n2\nabc\n4\n",
    "x,y\n1,2\n3,zz\n",
    "1,2\n3\n",
    "1\nNaN\n",
    "1\n1e999\n",
    "1\n1e-400\n",
    "0x10\n1\n",
    "",
    "only,a,header\n",
    "\n\n# nothing\n",
    "12345.678\r\n-0.5\r\n+7\r",
    "1\r\n2\r\n3\r\n",
];

#[test]
fn every_single_cut_gives_the_one_shot_result() {
    for text in TEXTS {
        let whole = parse_table(text);
        for cut in boundaries(text) {
            assert_eq!(read_in_pieces(text, &[cut]), whole, "{text:?} cut at {cut}");
        }
    }
}

#[test]
fn every_pair_of_cuts_gives_the_one_shot_result() {
    for text in TEXTS {
        let whole = parse_table(text);
        let at = boundaries(text);
        for (i, &a) in at.iter().enumerate() {
            for &b in &at[i..] {
                assert_eq!(
                    read_in_pieces(text, &[a, b]),
                    whole,
                    "{text:?} cut at {a}, {b}"
                );
            }
        }
    }
}

#[test]
fn one_character_at_a_time_reads_numbers_and_errors() {
    let text = "v\r\n1.25\r\n\u{2212}2.5\r\n# note\r\n3e2\r\n";
    let cuts: Vec<usize> = boundaries(text)[1..].to_vec();
    let table = read_in_pieces(text, &cuts).unwrap();
    assert_eq!(table.header, Some(vec!["v".to_string()]));
    assert_eq!(table.values, vec![1.25, -2.5, 300.0]);
    let bad = "1\r\n2\r\n3x\r\n";
    let cuts: Vec<usize> = boundaries(bad)[1..].to_vec();
    assert_eq!(
        read_in_pieces(bad, &cuts).unwrap_err().kind,
        ErrorKind::NotANumber {
            line: 3,
            column: 1,
            text: "3x".into()
        }
    );
}

#[test]
fn a_reader_that_failed_keeps_its_error() {
    let mut reader = TableReader::new(false);
    reader.push("1\n2\n").unwrap();
    assert_eq!(reader.rows(), 2);
    let error = reader.push("oops\n3\n").unwrap_err();
    assert!(matches!(error.kind, ErrorKind::NotANumber { line: 3, .. }));
    assert_eq!(reader.push("4\n").unwrap_err(), error);
    assert_eq!(reader.finish().unwrap_err(), error);
}

#[test]
fn the_limit_is_reached_in_pieces_and_one_more_row_is_refused() {
    let at_limit = "1\n".repeat(MAX_POINTS);
    let mut reader = TableReader::new(false);
    for piece in at_limit.as_bytes().chunks(1 << 16) {
        reader.push(std::str::from_utf8(piece).unwrap()).unwrap();
    }
    assert_eq!(reader.rows(), MAX_POINTS);
    reader.push("2").unwrap();
    assert_eq!(
        reader.finish().unwrap_err().kind,
        ErrorKind::TooManyPoints {
            got: MAX_POINTS + 1,
            max: MAX_POINTS
        }
    );
}

#[test]
fn a_comma_between_digits_is_ambiguous_and_the_decimal_comma_reads_it() {
    let text = "1,5\n2,25\n-3,75\n";
    let two = parse_table(text).unwrap();
    assert_eq!((two.columns, two.comma_ambiguous), (2, true));
    assert_eq!(two.column(1).unwrap(), vec![5.0, 25.0, 75.0]);
    let one = parse_table_with(text, true).unwrap();
    assert_eq!((one.columns, one.comma_ambiguous), (1, false));
    assert_eq!(one.values, vec![1.5, 2.25, -3.75]);
    // A header does not make the data less ambiguous.
    assert!(parse_table("a,b\n1,5\n2,5\n").unwrap().comma_ambiguous);
    // A point, an exponent, a third column or one line unlike `1,5`: plainly two (or more) columns.
    for plain in [
        "1.5,2\n3,4\n",
        "1,5e2\n",
        "1,2,3\n",
        "1,5\n2, x5\n",
        "1;5\n",
    ] {
        assert!(
            !parse_table(plain).is_ok_and(|t| t.comma_ambiguous),
            "{plain:?}"
        );
    }
    // With the decimal comma, semicolons and tabs still separate columns.
    let t = parse_table_with("1,5;2,5\n3;4,75\n", true).unwrap();
    assert_eq!(
        (t.columns, t.values.clone()),
        (2, vec![1.5, 2.5, 3.0, 4.75])
    );
    assert_eq!(parse_table("1,5;2,5\n").unwrap().values, vec![1.5, 2.5]);
    // A comma decimal with a point in the same field is not a number.
    assert!(matches!(
        parse_table_with("1,5\n1.000,5\n", true).unwrap_err().kind,
        ErrorKind::NotANumber { line: 2, .. }
    ));
}

/// One random field: a number in one of several spellings, or now and then something that is not one.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (-1e6f64..1e6).prop_map(|x| format!("{x}")),
        2 => (-1000i32..1000).prop_map(|x| x.to_string()),
        1 => (-1e6f64..1e6).prop_map(|x| format!("{x:e}").replace('-', "\u{2212}")),
        1 => Just("abc".to_string()),
        1 => Just("1e-400".to_string()),
        1 => Just("\"4.5\"".to_string()),
    ]
}

/// One random line: fields joined by the delimiter, or a blank or comment line, with `\n` or `\r\n`.
fn line(delimiter: &'static str, columns: usize) -> impl Strategy<Value = String> {
    let data = proptest::collection::vec(field(), columns..=columns + usize::from(columns > 1))
        .prop_map(move |fields| fields.join(delimiter));
    (
        prop_oneof![10 => data, 1 => Just(String::new()), 1 => Just("# note ×".to_string())],
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(l, end)| l + end)
}

/// A random text of up to 40 lines with a random delimiter and column count.
fn text() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(","), Just(";"), Just("\t"), Just(" ")],
        1usize..4,
    )
        .prop_flat_map(|(delimiter, columns)| {
            (
                proptest::bool::ANY,
                proptest::collection::vec(line(delimiter, columns), 0..40),
            )
                .prop_map(move |(header, lines)| {
                    let head = if header {
                        vec!["name"; columns].join(delimiter) + "\n"
                    } else {
                        String::new()
                    };
                    head + &lines.concat()
                })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Random texts cut at random places read the same as at once: the same table or the same error.
    #[test]
    fn random_cuts_give_the_one_shot_result(
        text in text(),
        picks in proptest::collection::vec(0.0f64..1.0, 0..12),
    ) {
        let at = boundaries(&text);
        let mut cuts: Vec<usize> = picks.iter().map(|p| at[(p * (at.len() - 1) as f64) as usize]).collect();
        cuts.sort_unstable();
        prop_assert_eq!(read_in_pieces(&text, &cuts), parse_table(&text));
    }

    /// Numbers written one per line come back exactly, wherever the file is cut.
    #[test]
    fn numbers_come_back_exactly(
        values in proptest::collection::vec(-1e9f64..1e9, 1..200),
        crlf in proptest::bool::ANY,
        piece in 1usize..64,
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let text: String = values.iter().map(|v| format!("{v}{end}")).collect();
        let cuts: Vec<usize> = (piece..text.len()).step_by(piece).collect();
        prop_assert_eq!(read_in_pieces(&text, &cuts).unwrap().values, values);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// The exact counts of distinct values and of distinct points (sorted as integers, points by their
    /// two coordinates' ranks) equal a plain count by `==`, ±0, repeats and extreme values included.
    #[test]
    fn distinct_counts_equal_a_plain_count(
        values in proptest::collection::vec(prop_oneof![
            Just(0.0f64), Just(-0.0), Just(f64::MAX), Just(-f64::MAX), Just(f64::MIN_POSITIVE),
            Just(-5e-324), (0i32..6).prop_map(|v| f64::from(v) / 2.0), (-3i32..3).prop_map(f64::from),
        ], 0..80),
    ) {
        use emlab::core::params::{count_distinct, count_distinct_points};
        let mut seen: Vec<f64> = Vec::new();
        for &v in &values {
            if !seen.contains(&v) {
                seen.push(v);
            }
        }
        prop_assert_eq!(count_distinct(&values), seen.len());
        let mut points: Vec<(f64, f64)> = Vec::new();
        for p in values.chunks_exact(2) {
            if !points.contains(&(p[0], p[1])) {
                points.push((p[0], p[1]));
            }
        }
        prop_assert_eq!(count_distinct_points(&values), points.len());
    }

    /// The one-pass check for K distinct values agrees with counting them all (below K, the exact count).
    #[test]
    fn distinct_up_to_k_agrees_with_the_full_count(
        values in proptest::collection::vec(prop_oneof![Just(0.0f64), Just(-0.0), (0i32..6).prop_map(|v| f64::from(v) / 2.0)], 0..60),
        k in 1usize..11,
    ) {
        use emlab::core::params::{count_distinct, count_distinct_points, distinct_points_up_to, distinct_up_to};
        // −0 equals 0; the sort-based counts see them apart when other values sort between them, so the
        // reference counts with −0 written as 0.
        let zeroed: Vec<f64> = values.iter().map(|v| v + 0.0).collect();
        prop_assert_eq!(distinct_up_to(&values, k), count_distinct(&zeroed).min(k));
        let even = values.len() / 2 * 2;
        prop_assert_eq!(
            distinct_points_up_to(&values[..even], k),
            count_distinct_points(&zeroed[..even]).min(k)
        );
    }
}

#[test]
fn a_thousands_separator_on_every_line_is_said_not_read_silently() {
    // "1,000.5" on every line was two columns (1 and 0.5) without a word: the page now says so.
    let t = parse_table("1,000.5\n2,000.25\n-3,100\n").unwrap();
    assert_eq!(
        (t.columns, t.thousands_ambiguous, t.comma_ambiguous),
        (2, true, false)
    );
    assert_eq!(t.column(1).unwrap(), vec![0.5, 0.25, 100.0]);
    // With a header, in pieces, the same.
    let mut reader = TableReader::new(false);
    for piece in ["x\n1,00", "0.5\n2,5", "00.75\n"] {
        reader.push(piece).unwrap();
    }
    assert!(reader.finish().unwrap().thousands_ambiguous);
    // Not for plain two-column data: four digits after the comma, one line unlike it, only whole numbers
    // (`1,500` is the decimal-comma question), a third column or another separator.
    for plain in [
        "1,0000.5\n",
        "1,000.5\n20,1.5\n",
        "1,500\n2,250\n",
        "1,000.5,2\n",
        "1;000.5\n",
        "1234,000.5\n",
    ] {
        assert!(
            !parse_table(plain).is_ok_and(|t| t.thousands_ambiguous),
            "{plain:?}"
        );
    }
    assert!(!parse_table_with("1,000.5\n", true).is_ok_and(|t| t.thousands_ambiguous));
}

#[test]
fn thousands_set_apart_by_spaces_on_every_line_are_said_not_read_silently() {
    // "1 000\n2 000\n3 500\n12 250" was read as 1, 2, 3, 12 with "Using your data: 4 points." alone.
    for (text, columns) in [
        ("1 000\n2 000\n3 500\n12 250\n", 2),
        ("12 345.6\n23 456.7\n-34 567.8\n", 2),
        ("x\n1 000 000\n2 500 000.5\n", 3),
    ] {
        let t = parse_table(text).unwrap();
        assert_eq!((t.columns, t.thousands_spaced), (columns, true), "{text:?}");
    }
    // Not for two columns of other numbers, one line unlike it, or another separator.
    for plain in [
        "1 2\n3 4\n",
        "1 000\n2 50\n",
        "1 000.5 7\n",
        "1000 000\n",
        "1\t000\n",
        "1,000\n",
        "12\n13\n",
    ] {
        assert!(
            !parse_table(plain).is_ok_and(|t| t.thousands_spaced),
            "{plain:?}"
        );
    }
}
