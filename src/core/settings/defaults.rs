//! Defaults the Tiledesk widget uses when nothing names a value.

use serde_json::Value;

/// Where Tiledesk Cloud serves its API; the last resort when nothing else names one.
pub const TILEDESK_CLOUD_API: &str = "https://api.tiledesk.com/v3/";

/// The footer's credit unless `poweredBy` replaces it: Tiledesk's link (without its remote logo).
pub const POWERED_BY: &str = "<a target=\"_blank\" rel=\"noopener noreferrer\" href=\"https://www.tiledesk.com/?utm_source=widget\"><span>Powered by Tiledesk</span></a>";

/// Default theme colour of the Tiledesk widget.
pub const DEFAULT_THEME_COLOR: &str = "#2a6ac1";

/// Default theme foreground colour of the Tiledesk widget.
pub const DEFAULT_THEME_FOREGROUND: &str = "#ffffff";

/// The pre-chat form used when the website owner gives none (full name and a valid email), as
/// JSON text: the first-load shell hands it to the browser's parser.
pub const DEFAULT_PRE_CHAT_FORM: &str = r#"[
  {"name": "userFullname", "type": "text", "mandatory": true,
   "label": {"en": "Your name", "it": "Il tuo nome", "es": "Tu nombre", "fr": "Votre nom", "de": "Ihr Name", "pt": "Seu nome"}},
  {"name": "userEmail", "type": "text", "mandatory": true, "regex": "/^[^\\s@]+@[^\\s@]+\\.[^\\s@]{2,}$/",
   "label": {"en": "Your email", "it": "La tua email", "es": "Tu correo", "fr": "Votre e-mail", "de": "Ihre E-Mail", "pt": "Seu e-mail"},
   "errorLabel": {"en": "Please enter a valid email address", "it": "Inserisci un indirizzo email valido"}}
]"#;

/// The default pre-chat form (`DEFAULT_PRE_CHAT_FORM`) as a value.
pub fn default_pre_chat_form() -> Value {
    serde_json::from_str(DEFAULT_PRE_CHAT_FORM).unwrap_or_default()
}
