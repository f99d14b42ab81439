//! Sessions and links: the core's own serialisable state to and from text (see `Lab::save_session`
//! and `Lab::link` in src/core/lab.rs). No format lives here.

use super::{js_error_in, JsLab};
use crate::core::error::{EmError, ErrorKind};
use crate::core::lab::{Lab, Link};
use crate::text::Lang;
use wasm_bindgen::prelude::*;

/// The key of a link's hash: `#link=<the link as URI-encoded JSON>`.
const LINK_KEY: &str = "link=";

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// The whole lab as text (data or preset, θ, options, the undo and redo history, the timeline
    /// position): `Lab.restoreSession(text)` gives back the same state exactly.
    #[wasm_bindgen(js_name = saveSession)]
    pub fn save_session(&self) -> String {
        self.lab.save_session()
    }

    /// The lab `saveSession` saved; errors (in `lang`, default English) say what is wrong with the text.
    #[wasm_bindgen(js_name = restoreSession)]
    pub fn restore_session(text: &str, lang: Option<String>) -> Result<JsLab, JsError> {
        let lang = Lang::parse(lang.as_deref().unwrap_or("en"));
        Lab::restore_session(text)
            .map(|lab| Self::wrap_in(lab, lang))
            .map_err(|e| js_error_in(e, lang))
    }

    /// The hash of a link to this state (`#link=…`): the model, the data (a preset by name; your own
    /// data up to 60,000 characters, else an error says so), the setting, the start of the current
    /// run, the options and the half-steps taken since. `Lab.fromLink(hash)` opens it.
    pub fn link(&self) -> Result<String, JsError> {
        let link = self.lab.link().map_err(|e| js_error_in(e, self.lang))?;
        let json = serde_json::to_string(&link).unwrap_or_default();
        let encoded = js_sys::encode_uri_component(&json);
        Ok(format!("#{LINK_KEY}{}", String::from(encoded)))
    }

    /// The lab a link's hash (as `link()` wrote it, with or without `#`) describes, its half-steps
    /// replayed; errors in `lang` (default English).
    #[wasm_bindgen(js_name = fromLink)]
    pub fn from_link(hash: &str, lang: Option<String>) -> Result<JsLab, JsError> {
        let lang = Lang::parse(lang.as_deref().unwrap_or("en"));
        let bad = || {
            EmError::new(ErrorKind::BadShape {
                what: "a link".to_string(),
            })
        };
        let read = || -> Result<Lab, EmError> {
            let body = hash.trim_start_matches('#');
            let body = body.strip_prefix(LINK_KEY).ok_or_else(bad)?;
            let json: String = js_sys::decode_uri_component(body)
                .map_err(|_| bad())?
                .into();
            let link: Link = serde_json::from_str(&json).map_err(|_| bad())?;
            Lab::from_link(&link)
        };
        read()
            .map(|lab| Self::wrap_in(lab, lang))
            .map_err(|e| js_error_in(e, lang))
    }
}
