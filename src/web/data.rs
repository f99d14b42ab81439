//! Glue for your own data: building a lab of any model from text in the page language, adding and
//! removing points (1-D values, 2-D points), re-initialising a collapsed component, restoring a saved
//! start, and reading a table before using it.
//! Thin on purpose: every rule lives in `core` (src/core/edit.rs, src/core/csv.rs) and is tested there.

use super::convert::{
    lang_arg, number_arg, optional_bool_arg, optional_text_arg, plain_copy, text_arg, whole_index,
    whole_k, whole_seed, ObjectBuilder,
};
use super::{InLang, JsLab};
use crate::core::csv::{parse_table_with, Table, TableReader};
use crate::core::edit::Restart;
use crate::core::error::{EmError, ErrorKind};
use crate::core::format::short;
use crate::core::lab::Lab;
use crate::core::options::Options;
use crate::figures::style::FRAME_LIMIT;
use crate::text::Lang;
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// What a pasted table holds, before it is used: `{columns, rows, header, commaAmbiguous}` (header: names
/// or null; commaAmbiguous: every line is like `1,5`, read as two columns). `decimal_comma` reads `1,5`
/// as 1.5. Throws the message (in `lang`) naming the line and column of the first bad value.
#[wasm_bindgen(js_name = inspectTable)]
pub fn inspect_table(
    text: &JsValue,
    lang: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "boolean")] decimal_comma: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let lang = lang_arg(&lang).in_lang(Lang::En)?;
    let decimal_comma = optional_bool_arg(&decimal_comma, "decimalComma").in_lang(lang)?;
    let text = text_arg(text, "text").in_lang(lang)?;
    let table = parse_table_with(&text, decimal_comma.unwrap_or(false)).in_lang(lang)?;
    Ok(table_info(&table))
}

/// `{columns, rows, header, commaAmbiguous, thousandsAmbiguous, thousandsSpaced, oneLine}` of a table read (`oneLine`: one
/// line of several numbers and no header, which a 1-D model reads as a list).
fn table_info(table: &Table) -> JsValue {
    let header = match &table.header {
        Some(names) => names.iter().map(JsValue::from).collect::<Array>().into(),
        None => JsValue::NULL,
    };
    ObjectBuilder::new()
        .set("columns", table.columns as u32)
        .set("rows", table.rows() as u32)
        .set("header", header)
        .set("commaAmbiguous", table.comma_ambiguous)
        .set("thousandsAmbiguous", table.thousands_ambiguous)
        .set("thousandsSpaced", table.thousands_spaced)
        .set("oneLine", table.one_line_list().is_some())
        .build()
}

/// A file read in pieces (www/load.js): `push` each piece of text as it is read, then `finish`; the table
/// stays here and `Lab.fromReader` builds labs from it without the text ever being read again.
#[wasm_bindgen(js_name = DataReader)]
pub struct JsDataReader {
    /// The reader while pieces come in.
    reader: TableReader,
    /// The table, once finished.
    table: Option<Table>,
    /// The language of its messages.
    lang: Lang,
}

#[wasm_bindgen(js_class = DataReader)]
impl JsDataReader {
    /// A reader at the start of a file; `decimal_comma` reads `1,5` as 1.5; messages in `lang`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "boolean")] decimal_comma: Option<JsValue>,
        lang: Option<JsValue>,
    ) -> Result<JsDataReader, JsError> {
        let lang = lang_arg(&lang).in_lang(Lang::En)?;
        let decimal_comma = optional_bool_arg(&decimal_comma, "decimalComma").in_lang(lang)?;
        Ok(JsDataReader {
            reader: TableReader::new(decimal_comma.unwrap_or(false)),
            table: None,
            lang,
        })
    }

    /// Reads the next piece of text (cut anywhere); returns the data rows read so far. Throws the first
    /// bad line's message (and again on every later call).
    pub fn push(&mut self, text: &JsValue) -> Result<u32, JsError> {
        // After finish() a piece was read on (its rows counted) into a table that no longer changed.
        if self.table.is_some() {
            return Err(EmError::new(ErrorKind::ReaderFinished)).in_lang(self.lang);
        }
        let text = text_arg(text, "text").in_lang(self.lang)?;
        self.reader.push(&text).in_lang(self.lang)?;
        Ok(self.reader.rows() as u32)
    }

    /// Reads the last line and keeps the table; returns `{columns, rows, header, commaAmbiguous}`.
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        if self.table.is_none() {
            self.table = Some(self.reader.finish().in_lang(self.lang)?);
        }
        Ok(self.table.as_ref().map(table_info).unwrap_or(JsValue::NULL))
    }
}

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// `Lab.preset` with errors in `lang`; `model` may be "kmeans" for a 2-D data set.
    #[wasm_bindgen(js_name = presetIn)]
    pub fn preset_in(
        name: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] k: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
        lang: Option<JsValue>,
        model: Option<JsValue>,
    ) -> Result<JsLab, JsError> {
        let lang = lang_arg(&lang).in_lang(Lang::En)?;
        let name = text_arg(name, "name");
        let model = optional_text_arg(&model, "model");
        whole_k(k)
            .and_then(|k| Ok((k, whole_seed(seed)?)))
            .and_then(|(k, seed)| Lab::preset_as(&name?, k, seed, model?.as_deref()))
            .map(|lab| Self::wrap_in(lab, lang))
            .in_lang(lang)
    }

    /// `Lab.fromCsv` for any model with the variance floor `reg` and errors in `lang`: "gmm1d" reads
    /// `column` (0-based), "gmm2d" and "kmeans" read `column` and `column2` as x and y, "coins" reads
    /// H/T sequences or `heads,tosses` lines (the columns are ignored); `decimal_comma` reads `1,5` as 1.5.
    #[wasm_bindgen(js_name = fromCsvIn)]
    #[allow(clippy::too_many_arguments)]
    pub fn from_csv_in(
        model: &JsValue,
        text: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] k: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] column: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] column2: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] reg: &JsValue,
        lang: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] decimal_comma: Option<JsValue>,
    ) -> Result<JsLab, JsError> {
        let lang = lang_arg(&lang).in_lang(Lang::En)?;
        let decimal_comma = optional_bool_arg(&decimal_comma, "decimalComma")
            .in_lang(lang)?
            .unwrap_or(false);
        let texts = text_arg(model, "model").and_then(|m| Ok((m, text_arg(text, "text")?)));
        texts
            .and_then(|texts| Ok((texts, read_settings(k, seed, column, column2, reg)?)))
            .and_then(|((model, text), (k, seed, columns, options))| {
                Lab::from_csv_read(&model, &text, decimal_comma, k, seed, columns, options)
            })
            .map(|lab| Self::wrap_in(lab, lang))
            .in_lang(lang)
    }

    /// `Lab.fromCsvIn` on the table of a finished `DataReader` (a file read in pieces): no text is read again.
    #[wasm_bindgen(js_name = fromReader)]
    #[allow(clippy::too_many_arguments)]
    pub fn from_reader(
        model: &JsValue,
        reader: &JsDataReader,
        #[wasm_bindgen(unchecked_param_type = "number")] k: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] column: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] column2: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] reg: &JsValue,
        lang: Option<JsValue>,
    ) -> Result<JsLab, JsError> {
        let lang = lang_arg(&lang).in_lang(Lang::En)?;
        let model = text_arg(model, "model").in_lang(lang)?;
        // Before `finish()` there is no table yet ("The data set is empty" was said of a file still read).
        let table = reader.table.as_ref().ok_or_else(|| {
            crate::core::error::EmError::new(crate::core::error::ErrorKind::ReaderNotFinished)
        });
        table
            .and_then(|table| {
                let (k, seed, columns, options) = read_settings(k, seed, column, column2, reg)?;
                Lab::from_table(&model, table, k, seed, columns, options)
            })
            .map(|lab| Self::wrap_in(lab, lang))
            .in_lang(lang)
    }

    pub(super) fn wrap_in(lab: Lab, lang: Lang) -> JsLab {
        let mut js = Self::wrap(lab);
        js.lang = lang;
        js
    }

    /// The observations as exact text that reads back as the same data in the same model (for saving
    /// and for the text box): one number per line (1-D), `x,y` lines (2-D), H/T or `heads,tosses` lines
    /// (coins).
    #[wasm_bindgen(js_name = dataText)]
    pub fn data_text(&self) -> String {
        self.lab.data_text()
    }

    /// The data's extent: `[smallest, largest]` (1-D) or `[x smallest, x largest, y smallest, y largest]`
    /// (2-D mixtures, k-means); undefined for the other models. What `setFrame` takes.
    #[wasm_bindgen(js_name = dataExtent)]
    pub fn data_extent(&self) -> Option<Vec<f64>> {
        if let Some(em) = self.lab.em_of::<crate::core::gmm1d::Gmm1d>() {
            let (lo, hi) = em.model().extent();
            return Some(vec![lo, hi]);
        }
        let [(x0, x1), (y0, y1)] = if let Some(em) = self.lab.em_of::<crate::core::gmm2d::Gmm2d>() {
            em.model().extent()
        } else {
            self.lab
                .em_of::<crate::core::kmeans::KMeans>()?
                .model()
                .extent()
        };
        Some(vec![x0, x1, y0, y1])
    }

    /// Makes the data figure cover at least `extent` (another data set's `dataExtent()`) besides this
    /// data: the page keeps the axes of the data before Clear while a data set is built by clicks, so each
    /// click lands where it aimed. `null` or `undefined`: the data's own extent. An array of the wrong
    /// length (2 for 1-D data, 4 for 2-D), a number that is not finite or a smallest above its largest throws.
    #[wasm_bindgen(js_name = setFrame)]
    pub fn set_frame(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "number[] | null")] extent: Option<JsValue>,
    ) -> Result<(), JsError> {
        let Some(extent) = extent.filter(|e| !e.is_null() && !e.is_undefined()) else {
            self.shown.frame = None;
            return Ok(());
        };
        let Some(want) = self.data_extent().map(|e| e.len()) else {
            let model = self.lab.model_name();
            let action = "keep a frame";
            return Err(EmError::new(ErrorKind::NotForModel { action, model })).in_lang(self.lang);
        };
        let bad = || {
            EmError::shape(
                "shape-frame",
                &[("n", &want.to_string()), ("max", &short(FRAME_LIMIT))],
            )
        };
        let values: Option<Vec<f64>> = super::convert::array_like(&extent)
            .map(|items| {
                items
                    .iter()
                    .map(|v| super::convert::js_number(&v))
                    .collect::<Option<Vec<f64>>>()
            })
            .unwrap_or(None);
        let frame = match values {
            Some(v) if v.len() == want && v.iter().all(|x| x.abs() <= FRAME_LIMIT) => {
                let pair = |i: usize| (v[i], v[i + 1]);
                let axes = if want == 2 {
                    [pair(0), pair(0)]
                } else {
                    [pair(0), pair(2)]
                };
                axes.iter().all(|(lo, hi)| lo <= hi).then_some(axes)
            }
            _ => None,
        };
        self.shown.frame = Some(frame.ok_or_else(bad).in_lang(self.lang)?);
        Ok(())
    }

    /// The value of observation `i` (1-D data), or undefined past the end; `i` must be a whole number
    /// (2³² + 1 read observation 1).
    #[wasm_bindgen(js_name = pointValue)]
    pub fn point_value(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: &JsValue,
    ) -> Result<Option<f64>, JsError> {
        let len = self.lab.bound().observations();
        let i = whole_index(i, "point", len).in_lang(self.lang)?;
        // A count of the Poisson lab is one value too (it answered undefined: only 1-D floats were read).
        Ok(match i < len {
            true => Some(self.lab.point(i))
                .filter(|p| p.len() == 1)
                .map(|p| p[0]),
            false => None,
        })
    }

    /// Observation `i` as numbers: `[x]` (1-D), `[x, y]` (2-D), `[heads, tosses]` (coins), `[count]`
    /// (counts); throws past the end, as `select(i)` does.
    pub fn point(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: &JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let i = whole_index(i, "point", self.lab.bound().observations()).in_lang(self.lang)?;
        // As select() and responsibilities() do: an index past the data is refused, not answered with [].
        let len = self.lab.bound().observations();
        if i >= len {
            return Err(EmError::new(ErrorKind::NoSuchPoint { index: i, len })).in_lang(self.lang);
        }
        Ok(self.lab.point(i))
    }

    /// How many distinct observations the data has: values (1-D, counts), points (2-D), (heads, tosses) sets
    /// (coins); K can be at most this.
    #[wasm_bindgen(js_name = distinctValues)]
    pub fn distinct_values(&self) -> u32 {
        self.lab.distinct() as u32
    }

    /// The data x under device pixel (px, py) of the last drawn histogram, or undefined outside it.
    #[wasm_bindgen(js_name = xAt)]
    pub fn x_at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] px: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] py: &JsValue,
    ) -> Result<Option<f64>, JsError> {
        let (px, py) = super::pixel_args(px, py).in_lang(self.lang)?;
        let Some(t) = self.histogram else {
            return Ok(None);
        };
        if !t.contains(px, py, 4.0) {
            return Ok(None);
        }
        let (x, _) = t.to_data_rounded(px, py);
        Ok(x.is_finite().then_some(x))
    }

    /// The data (x, y) under device pixel (px, py) of the last drawn 2-D plane (or histogram), as
    /// `[x, y]`, or undefined outside it.
    #[wasm_bindgen(js_name = xyAt)]
    pub fn xy_at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] px: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] py: &JsValue,
    ) -> Result<Option<Vec<f64>>, JsError> {
        let (px, py) = super::pixel_args(px, py).in_lang(self.lang)?;
        let Some(t) = self.histogram else {
            return Ok(None);
        };
        if !t.contains(px, py, 4.0) {
            return Ok(None);
        }
        let (x, y) = t.to_data_rounded(px, py);
        Ok((x.is_finite() && y.is_finite()).then(|| vec![x, y]))
    }

    /// Adds the point (x, y) to 2-D data and restarts EM: true from the current θ, false from its means
    /// (where θ is no start for the new data).
    #[wasm_bindgen(js_name = addPoint2d)]
    pub fn add_point_2d(&mut self, x: &JsValue, y: &JsValue) -> Result<bool, JsError> {
        let lang = self.lang;
        let p = [
            number_arg(x, "x").in_lang(lang)?,
            number_arg(y, "y").in_lang(lang)?,
        ];
        let restart = self.lab.add_point_2d(p).in_lang(lang)?;
        Ok(self.edited(restart))
    }

    /// Removes the 2-D point nearest to (x, y) on the screen (distances in pixels of the last drawn
    /// plane), restarts EM from the current θ (or its means: `restartedFromMeans()`), and returns the
    /// point removed as `[x, y]`.
    #[wasm_bindgen(js_name = removeNearest2d)]
    pub fn remove_nearest_2d(&mut self, x: &JsValue, y: &JsValue) -> Result<Vec<f64>, JsError> {
        let lang = self.lang;
        let (x, y) = (
            number_arg(x, "x").in_lang(lang)?,
            number_arg(y, "y").in_lang(lang)?,
        );
        let scale = self.histogram.map_or([1.0, 1.0], |t| {
            [
                f64::from(t.px.1 - t.px.0) / (t.x.1 - t.x.0),
                f64::from(t.py.0 - t.py.1) / (t.y.1 - t.y.0),
            ]
        });
        let (removed, restart) = self.lab.remove_nearest_2d([x, y], scale).in_lang(lang)?;
        self.edited(restart);
        Ok(removed.to_vec())
    }

    /// Adds the observation `x` and restarts EM: true from the current θ, false from its means (where θ
    /// is no start for the new data).
    #[wasm_bindgen(js_name = addPoint)]
    pub fn add_point(&mut self, x: &JsValue) -> Result<bool, JsError> {
        let lang = self.lang;
        let x = number_arg(x, "x").in_lang(lang)?;
        let restart = self.lab.add_point(x).in_lang(lang)?;
        Ok(self.edited(restart))
    }

    /// Removes the observation nearest to `x`, restarts EM from the current θ (or its means:
    /// `restartedFromMeans()`), and returns its value.
    #[wasm_bindgen(js_name = removeNearest)]
    pub fn remove_nearest(&mut self, x: &JsValue) -> Result<f64, JsError> {
        let lang = self.lang;
        let x = number_arg(x, "x").in_lang(lang)?;
        let (removed, restart) = self.lab.remove_nearest(x).in_lang(lang)?;
        self.edited(restart);
        Ok(removed)
    }

    /// Whether the last point added or removed started EM again from θ's means (equal weights, the
    /// data's spread) because θ was no start for the new data, rather than from θ itself.
    #[wasm_bindgen(js_name = restartedFromMeans)]
    pub fn restarted_from_means(&self) -> bool {
        self.edit_from_means
    }

    /// Notes a point added or removed: no point chosen any more, and how EM restarted (true: from θ).
    fn edited(&mut self, restart: Restart) -> bool {
        self.selected = None;
        self.edit_from_means = restart == Restart::FromMeans;
        !self.edit_from_means
    }

    /// Gives `component` (0-based) a fresh mean from a random data point and the data's variance, then
    /// restarts EM; returns the new mean (`[x]`, or `[x, y]` for 2-D data).
    #[wasm_bindgen(js_name = reinitComponent)]
    pub fn reinit_component(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] component: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let lang = self.lang;
        let k = self.lab.bound().components();
        let component = whole_index(component, "component", k).in_lang(lang)?;
        let seed = whole_seed(seed).in_lang(lang)?;
        self.lab.reinit_component(component, seed).in_lang(lang)
    }

    /// Makes θ (the shape `params()` returns) the start and restarts from it (no undo); validated.
    #[wasm_bindgen(js_name = restartFrom)]
    pub fn restart_from(&mut self, params: JsValue) -> Result<(), JsError> {
        let lang = self.lang;
        plain_copy(&params)
            .and_then(|params| super::params::read_params(self.lab.em.fields(), &params))
            .and_then(|p| self.lab.restart_with(&p))
            .in_lang(lang)
    }
}

/// K, seed, the two columns and the options with the variance floor `reg`, checked as whole numbers.
fn read_settings(
    k: &JsValue,
    seed: &JsValue,
    column: &JsValue,
    column2: &JsValue,
    reg: &JsValue,
) -> Result<(usize, u64, [usize; 2], Options), crate::core::error::EmError> {
    let reg = number_arg(reg, "reg")?;
    let columns = [
        whole_index(column, "column", 0)?,
        whole_index(column2, "column2", 0)?,
    ];
    let options = Options {
        reg,
        ..Options::default()
    };
    Ok((whole_k(k)?, whole_seed(seed)?, columns, options))
}
