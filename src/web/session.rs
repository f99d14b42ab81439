//! Sessions and links: the core's own serialisable state to and from text (see `Lab::save_session`
//! and `Lab::link` in src/core/lab.rs). No format lives here.

use super::convert::{lang_arg, optional_text_arg, text_arg, whole, ObjectBuilder};
use super::params::write_params;
use super::{InLang, JsLab};
use crate::core::em::Phase;
use crate::core::error::EmError;
use crate::core::lab::{Lab, Link};
use crate::core::registry;
use crate::text::Lang;
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// The key of a link's hash: `#link=<the link as URI-encoded JSON>`.
const LINK_KEY: &str = "link=";

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// The whole lab as text (data or preset, θ, options, the undo and redo history, the timeline
    /// position): `Lab.restoreSession(text)` gives back the same state exactly. `withData` false (default
    /// true) leaves your own data out (the page keeps it apart; give it back to `restoreSession`);
    /// `maxChars` caps the length by leaving out the oldest undo steps (an error when even the current
    /// state does not fit).
    #[wasm_bindgen(js_name = saveSession)]
    pub fn save_session(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] with_data: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] max_chars: Option<JsValue>,
    ) -> Result<String, JsError> {
        let with_data = super::convert::optional_bool_arg(&with_data, "withData")
            .in_lang(self.lang)?
            .unwrap_or(true);
        let max_chars =
            super::convert::optional_number_arg(&max_chars, "maxChars").in_lang(self.lang)?;
        let max = match max_chars {
            // Past 2³² on wasm32 the cap is no cap (`as usize` wrapped 2³² + 100 to 100).
            Some(m) => usize::try_from(whole(m, "maxChars", 1, (1 << 53) - 1).in_lang(self.lang)?)
                .unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        self.lab
            .save_session_focused(with_data, max, Some(self.focus()))
            .in_lang(self.lang)
    }

    /// The lab `saveSession` saved; `data` is the data text for a session saved without it (`lab.dataText()`
    /// as it was); errors (in `lang`, default English) say what is wrong with the text.
    #[wasm_bindgen(js_name = restoreSession)]
    pub fn restore_session(
        text: &JsValue,
        lang: Option<JsValue>,
        data: Option<JsValue>,
    ) -> Result<JsLab, JsError> {
        let lang = lang_arg(&lang).in_lang(Lang::En)?;
        let data = optional_text_arg(&data, "data").in_lang(lang)?;
        text_arg(text, "text")
            .and_then(|text| Lab::restore_session_focused(&text, data.as_deref()))
            .map(|(lab, focus)| Self::wrap_in(lab, lang).focused(focus))
            .in_lang(lang)
    }

    /// The hash of a link to this state (`#link=…`): the model, the data (a preset by name; your own
    /// data up to 60,000 characters, else an error says so), the setting, the start of the current
    /// run, the options and the half-steps taken since, and `seed` (optional: the page's seed for new
    /// random starts, which `readLink` gives back). `Lab.fromLink(hash)` opens it.
    pub fn link(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] seed: Option<JsValue>,
    ) -> Result<String, JsError> {
        let mut link = self.lab.link().in_lang(self.lang)?;
        link.seed = match seed.filter(|s| !s.is_undefined()) {
            Some(seed) => Some(super::convert::whole_seed(&seed).in_lang(self.lang)?),
            None => None,
        };
        link.focus = Some(self.focus());
        let json = link.to_json();
        let encoded = js_sys::encode_uri_component(&json);
        Ok(format!("#{LINK_KEY}{}", String::from(encoded)))
    }

    /// The lab a link's hash (as `link()` wrote it, with or without `#`) describes, its half-steps
    /// replayed; errors in `lang` (default English).
    #[wasm_bindgen(js_name = fromLink)]
    pub fn from_link(hash: &JsValue, lang: Option<JsValue>) -> Result<JsLab, JsError> {
        let lang = lang_arg(&lang).in_lang(Lang::En)?;
        text_arg(hash, "hash")
            .and_then(|hash| decode_link(&hash))
            .and_then(|link| Lab::from_link_focused(&link))
            .map(|(lab, focus)| Self::wrap_in(lab, lang).focused(focus))
            .in_lang(lang)
    }
}

/// A link's hash, checked by opening it at the start of its run (its half-steps are not replayed here:
/// `Lab.fromLink` replays them), as what the page's controls need to rebuild it:
/// `{model, preset, data, k, start, options: {reg, tol, covariance?, fixWeights?}, steps: ['e', 'm', …], seed}`
/// (`preset` or `data` is null; `seed` null where `link()` was given none). Throws the message (in `lang`) when the link is malformed or refused.
#[wasm_bindgen(js_name = readLink)]
pub fn read_link(hash: &JsValue, lang: Option<JsValue>) -> Result<JsValue, JsError> {
    let lang = lang_arg(&lang).in_lang(Lang::En)?;
    let (lab, phases, link) = text_arg(hash, "hash")
        .and_then(|hash| decode_link(&hash))
        .and_then(|link| Ok((Lab::link_start(&link)?, Lab::link_steps(&link)?, link)))
        .in_lang(lang)?;
    let entry = registry::model(&link.model).in_lang(lang)?;
    let can = entry.capabilities();
    let mut options = ObjectBuilder::new()
        .set("reg", link.options.reg)
        .set("tol", link.options.tol);
    if let Some(v) = &link.variant {
        if can.covariance {
            options = options.set("covariance", v.as_str());
        } else if can.fix_weights {
            options = options.set("fixWeights", v == "fixed");
        }
    }
    let steps: Array = phases
        .iter()
        .map(|&p| JsValue::from(if p == Phase::E { "e" } else { "m" }))
        .collect();
    let str_or_null = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from);
    Ok(ObjectBuilder::new()
        .set("model", link.model.as_str())
        .set("preset", str_or_null(&link.preset))
        .set("data", str_or_null(&link.data))
        .set("k", lab.bound().components() as u32)
        .set(
            "start",
            write_params(ObjectBuilder::new(), &link.start).build(),
        )
        .set("options", options.build())
        .set("steps", steps)
        .set(
            "seed",
            link.seed.map_or(JsValue::NULL, |s| JsValue::from(s as f64)),
        )
        .build())
}

/// The link in a hash written by `link()` (with or without `#`).
fn decode_link(hash: &str) -> Result<Link, EmError> {
    let body = hash.trim_start_matches('#');
    let body = body
        .strip_prefix(LINK_KEY)
        .ok_or_else(|| EmError::link_unreadable(format!("it does not start with {LINK_KEY}")))?;
    let json: String = js_sys::decode_uri_component(body)
        .map_err(|_| EmError::link_unreadable("a broken %-escape"))?
        .into();
    Link::from_json(&json).map_err(|e| EmError::link_unreadable(e.to_string()))
}
