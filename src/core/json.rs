//! JSON for the saved session and the link, read and written here: a value tree ([`Json`]) with a
//! reader that never panics (every error says what it expected and where), a writer of objects
//! ([`Object`]), and field access by name ([`Fields`]). The formats are serde_json's as the page wrote
//! them before (field names and order, `null` for an absent text, numbers that read back to the same
//! bits), so saved sessions and links keep opening. serde and serde_json were 32 KB of the page's
//! 355 KB of gzipped wasm (issue 12) for these few shapes.

use super::decimal::parse_f64;
use std::fmt::Write as _;

/// One JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (always finite).
    Number(f64),
    /// A string.
    Text(String),
    /// An array.
    List(Vec<Json>),
    /// An object's fields, in the order written.
    Object(Vec<(String, Json)>),
}

/// The deepest nesting read: a session nests four deep, and deeper text is refused instead of
/// overflowing the stack.
pub const MAX_DEPTH: usize = 64;

impl Json {
    /// Reads `text` as one JSON value (white space around it allowed).
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = reader.value(0)?;
        reader.space();
        if reader.at < reader.bytes.len() {
            return Err(reader.expected("the end of the text"));
        }
        Ok(value)
    }
}

/// A position in the text being read.
struct Reader<'a> {
    /// The text.
    bytes: &'a [u8],
    /// The next byte to read.
    at: usize,
}

impl Reader<'_> {
    /// The error "expected `what`" at the current position.
    fn expected(&self, what: &str) -> String {
        format!("expected {what} at character {}", self.at + 1)
    }

    /// Skips JSON white space.
    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Reads byte `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        let next = self.bytes.get(self.at) == Some(&b);
        self.at += usize::from(next);
        next
    }

    /// Reads a value `depth` levels inside others.
    fn value(&mut self, depth: usize) -> Result<Json, String> {
        self.space();
        if depth > MAX_DEPTH {
            return Err(self.expected("less nesting"));
        }
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut fields = Vec::new();
                self.space();
                if self.eat(b'}') {
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.space();
                    let key = self.text()?;
                    self.space();
                    if !self.eat(b':') {
                        return Err(self.expected("':'"));
                    }
                    fields.push((key, self.value(depth + 1)?));
                    self.space();
                    if self.eat(b'}') {
                        return Ok(Json::Object(fields));
                    }
                    if !self.eat(b',') {
                        return Err(self.expected("',' or '}'"));
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b']') {
                    return Ok(Json::List(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat(b']') {
                        return Ok(Json::List(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.expected("',' or ']'"));
                    }
                }
            }
            Some(b'"') => self.text().map(Json::Text),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.expected("a value")),
        }
    }

    /// Reads the literal `word`, which is `value`.
    fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.expected(word))
        }
    }

    /// Reads digits; returns how many.
    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.bytes.get(self.at), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// Reads a number as JSON writes one (`-`, integer part, fraction, exponent), to the nearest f64.
    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        self.eat(b'-');
        if !self.eat(b'0') && self.digits() == 0 {
            return Err(self.expected("a digit"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.expected("a digit"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.expected("a digit"));
            }
        }
        // Only ASCII between `start` and here, so both are character boundaries.
        let text = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or("");
        match parse_f64(text) {
            Some(v) if v.is_finite() => Ok(Json::Number(v)),
            _ => Err(format!("a number out of range at character {}", start + 1)),
        }
    }

    /// Reads a string with its escapes.
    fn text(&mut self) -> Result<String, String> {
        if !self.eat(b'"') {
            return Err(self.expected("'\"'"));
        }
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(self.expected("'\"'"));
            };
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&escape) = self.bytes.get(self.at) else {
                        return Err(self.expected("an escape"));
                    };
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => {
                            self.at -= 1;
                            return Err(self.expected("an escape"));
                        }
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0..=0x1f => {
                    self.at -= 1;
                    return Err(self.expected("a control character escaped"));
                }
                _ => out.push(b),
            }
        }
        // The input is UTF-8 and escapes add whole characters, so this holds; checked all the same.
        String::from_utf8(out).map_err(|_| self.expected("UTF-8"))
    }

    /// Reads four hex digits.
    fn hex4(&mut self) -> Result<u32, String> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .bytes
                .get(self.at)
                .and_then(|&h| char::from(h).to_digit(16))
                .ok_or_else(|| self.expected("a hex digit"))?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }

    /// Reads the XXXX of `\uXXXX` (and a second `\uXXXX` after a high surrogate).
    fn unicode(&mut self) -> Result<char, String> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return Err(self.expected("the second half of a surrogate pair"));
            }
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.expected("the second half of a surrogate pair"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.expected("a character"))
    }
}

/// Writes `s` as a JSON string.
pub fn write_text(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `v` as the shortest number that reads back as the same f64 (`{:?}`: "0.1", "1e-7", "-0.0"),
/// or `null` where it is not finite (JSON has no infinities; reading `null` as a number fails).
pub fn write_number(out: &mut String, v: f64) {
    if v.is_finite() {
        let _ = write!(out, "{v:?}");
    } else {
        out.push_str("null");
    }
}

/// An object being written: `{`, each field as `"name":value`, then `}` at [`Object::end`].
pub struct Object<'a> {
    /// The text written into.
    out: &'a mut String,
    /// No field written yet.
    empty: bool,
}

impl<'a> Object<'a> {
    /// Starts an object in `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    /// Starts field `name`; its value is written into the returned text.
    pub fn field(&mut self, name: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_text(self.out, name);
        self.out.push(':');
        self.out
    }

    /// Writes field `name` as a string.
    pub fn text(&mut self, name: &str, value: &str) -> &mut Self {
        write_text(self.field(name), value);
        self
    }

    /// Writes field `name` as a string, or `null`.
    pub fn optional_text(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => write_text(self.field(name), v),
            None => self.field(name).push_str("null"),
        }
        self
    }

    /// Writes field `name` as a number.
    pub fn number(&mut self, name: &str, value: f64) -> &mut Self {
        write_number(self.field(name), value);
        self
    }

    /// Writes field `name` as a whole number.
    pub fn whole(&mut self, name: &str, value: usize) -> &mut Self {
        let _ = write!(self.field(name), "{value}");
        self
    }

    /// Ends the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// The fields of an object as read, looked up by name (the first of a name counts; unknown ones are
/// ignored, as serde did).
pub struct Fields<'a>(&'a [(String, Json)]);

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be an object.
    pub fn of(value: &'a Json) -> Result<Self, String> {
        match value {
            Json::Object(fields) => Ok(Fields(fields)),
            _ => Err("expected an object".to_string()),
        }
    }

    /// Field `name`, if present.
    fn find(&self, name: &str) -> Option<&'a Json> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Whether field `name` is present (and not null).
    pub fn has(&self, name: &str) -> bool {
        !matches!(self.find(name), None | Some(Json::Null))
    }

    /// Field `name`, which must be present.
    pub fn get(&self, name: &str) -> Result<&'a Json, String> {
        self.find(name)
            .ok_or_else(|| format!("missing field `{name}`"))
    }

    /// Field `name` as a string.
    pub fn text(&self, name: &str) -> Result<String, String> {
        match self.get(name)? {
            Json::Text(s) => Ok(s.clone()),
            _ => Err(format!("field `{name}`: expected a string")),
        }
    }

    /// Field `name` as a string, absent or `null` being none.
    pub fn optional_text(&self, name: &str) -> Result<Option<String>, String> {
        match self.find(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Text(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("field `{name}`: expected a string or null")),
        }
    }

    /// Field `name` as a number.
    pub fn number(&self, name: &str) -> Result<f64, String> {
        number(self.get(name)?).map_err(|e| format!("field `{name}`: {e}"))
    }

    /// Field `name` as a whole number from 0 to `usize::MAX` (and below 2⁵³, where f64 is exact).
    pub fn whole(&self, name: &str) -> Result<usize, String> {
        let v = self.number(name)?;
        let whole = v >= 0.0 && v.fract() == 0.0 && v < 9_007_199_254_740_992.0;
        match usize::try_from(v as u64) {
            Ok(n) if whole => Ok(n),
            _ => Err(format!("field `{name}`: expected a whole number")),
        }
    }

    /// Field `name` as [`Fields::whole`], or `None` when it is absent or null.
    pub fn optional_whole(&self, name: &str) -> Result<Option<usize>, String> {
        match self.find(name) {
            None | Some(Json::Null) => Ok(None),
            Some(_) => self.whole(name).map(Some),
        }
    }

    /// Field `name` as an array.
    pub fn list(&self, name: &str) -> Result<&'a [Json], String> {
        match self.get(name)? {
            Json::List(items) => Ok(items),
            _ => Err(format!("field `{name}`: expected an array")),
        }
    }
}

/// `value` as a number.
pub fn number(value: &Json) -> Result<f64, String> {
    match value {
        Json::Number(v) => Ok(*v),
        _ => Err("expected a number".to_string()),
    }
}

/// `value` as a string.
pub fn text(value: &Json) -> Result<String, String> {
    match value {
        Json::Text(s) => Ok(s.clone()),
        _ => Err("expected a string".to_string()),
    }
}
