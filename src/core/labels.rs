//! A project's own labels (`GET /:pid/labels/:LANG`, as the Tiledesk widget fetches them, keyed
//! by Tiledesk's label names) in place of the widget's built-in strings.

use std::collections::HashMap;

use serde_json::Value;

use crate::core::i18n::{Lang, Text};

/// The Tiledesk label that names each of our strings, where there is one.
fn tiledesk_key(text: Text) -> Option<&'static str> {
    Some(match text {
        Text::TypeMessage => "LABEL_PLACEHOLDER",
        Text::NewConversation => "LABEL_START_NW_CONV",
        Text::CalloutTitle => "CALLOUT_TITLE_PLACEHOLDER",
        Text::CalloutMessage => "CALLOUT_MSG_PLACEHOLDER",
        Text::NoAgents => "ALL_AGENTS_OFFLINE_LABEL",
        Text::YourConversations => "PREV_CONVERSATIONS",
        Text::Back => "BACK",
        Text::CloseConversation => "CLOSE_CHAT",
        Text::CloseChat => "BUTTON_CLOSE_TO_ICON",
        Text::RateConversation => "RATE_CHAT",
        Text::ThankYou => "THANK_YOU_FOR_YOUR_EVALUATION",
        Text::Required => "PRECHAT_REQUIRED_ERROR",
        Text::ChooseDepartment => "LABEL_SELECT_TOPIC",
        Text::IsWriting => "LABEL_WRITING",
        Text::SoundOn => "SOUND_ON",
        Text::SoundOff => "SOUND_OFF",
        Text::DownloadTranscript => "DOWNLOAD_TRANSCRIPT",
        Text::LogOut => "LOGOUT",
        Text::ConfirmEnd => "CONFIRM_CLOSE_CHAT",
        Text::Yes => "YES",
        Text::No => "NO",
        Text::Maximize => "MAXIMIZE",
        Text::Minimize => "MINIMIZE",
        Text::Center => "CENTER",
        Text::AttachFile => "BUTTON_ATTACH_FILE",
        Text::Emoji => "EMOJI",
        Text::Gallery => "CAROUSEL_LABEL",
        Text::FileTooBig => "MAX_ATTACHMENT_ERROR",
        Text::You => "YOU",
        Text::ShowAll => "SHOW_ALL_CONV",
        Text::RepliesIn => "WAITING_TIME_FOUND",
        Text::RepliesSoon => "WAITING_TIME_NOT_FOUND",
        Text::SwitchTo => "SWITCH_TO",
        Text::ClosedBadge => "CLOSED",
        _ => return None,
    })
}

/// The labels a project saved for one language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels {
    texts: HashMap<String, String>,
}

impl Labels {
    /// The labels in the `data` object of `GET /:pid/labels/:LANG`'s answer; non-text values skipped.
    pub fn from_answer(answer: &Value) -> Self {
        let texts = answer
            .get("data")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(key, value)| {
                let text = value.as_str()?.trim();
                (!text.is_empty()).then(|| (key.clone(), text.to_owned()))
            })
            .collect();
        Self { texts }
    }

    /// `text` in `lang`: the project's label for it when it saved one, else the built-in string.
    pub fn text(&self, text: Text, lang: Lang) -> String {
        tiledesk_key(text)
            .and_then(|key| self.texts.get(key))
            .cloned()
            .unwrap_or_else(|| lang.text(text).to_owned())
    }

    /// A label by its Tiledesk name (`WELCOME_TITLE`, …), if the project saved it.
    pub fn named(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_projects_labels_replace_the_built_in_strings_they_name() {
        let labels = Labels::from_answer(&json!({"lang": "IT", "data": {
            "LABEL_PLACEHOLDER": "Scrivici qui", "WELCOME_TITLE": "Ciao!", "CLOSE": 7, "BACK": " "
        }}));
        assert_eq!(labels.text(Text::TypeMessage, Lang::It), "Scrivici qui");
        assert_eq!(
            labels.text(Text::Back, Lang::It),
            Lang::It.text(Text::Back),
            "blank: built-in"
        );
        assert_eq!(
            labels.text(Text::Send, Lang::It),
            Lang::It.text(Text::Send),
            "no such label"
        );
        assert_eq!(labels.named("WELCOME_TITLE"), Some("Ciao!"));
        assert_eq!(labels.named("CLOSE"), None, "not text");
        assert_eq!(
            Labels::from_answer(&json!({"msg": "not found"})),
            Labels::default()
        );
    }
}
