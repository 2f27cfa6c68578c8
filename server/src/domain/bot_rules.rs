//! A project's proactive bot rules (Tiledesk's `botsRules`), checked once when an admin saves them.

use std::collections::HashSet;

use tiledesk_protocol::BotRule;

use crate::conversation::{visitor_may_post, MAX_TEXT_CHARS};

/// Rules a project may have.
const MAX_RULES: usize = 50;
/// Longest rule `uid`, in characters.
const MAX_UID_CHARS: usize = 100;
/// Longest `when.urlMatches` pattern, in characters.
const MAX_URL_MATCHES_CHARS: usize = 1000;

/// Checked rules: at most 50, each with a unique `uid` of 1 to 100 characters, a `urlMatches`
/// pattern of 1 to 1000 characters, a finite `triggerEvery` of 0 hours or more and at least one
/// action posting a message of 1 to 400 Ki characters (the longest message text) that a visitor
/// may post (an `info` subtype only on a `/` intent or an action).
#[derive(Debug, Clone, PartialEq)]
pub struct BotRules {
    /// The JSON text of the rules, as stored.
    text: String,
}

impl BotRules {
    /// Checks `rules`, or explains which field of which rule is wrong.
    pub fn parse(rules: &[BotRule]) -> Result<Self, String> {
        if rules.len() > MAX_RULES {
            return Err(format!("botsRules may hold at most {MAX_RULES} rules."));
        }
        let mut uids = HashSet::new();
        for (index, rule) in rules.iter().enumerate() {
            let at = format!("botsRules[{index}]");
            if rule.uid.trim().is_empty() || rule.uid.chars().count() > MAX_UID_CHARS {
                return Err(format!("{at}.uid must be 1 to {MAX_UID_CHARS} characters."));
            }
            if !uids.insert(rule.uid.as_str()) {
                return Err(format!(
                    "{at}.uid repeats the uid of an earlier rule: each rule needs its own."
                ));
            }
            let pattern = &rule.when.url_matches;
            if pattern.trim().is_empty() || pattern.chars().count() > MAX_URL_MATCHES_CHARS {
                return Err(format!(
                    "{at}.when.urlMatches must be a pattern of 1 to {MAX_URL_MATCHES_CHARS} characters."
                ));
            }
            let every = rule.when.trigger_every;
            if !every.is_finite() || every < 0.0 {
                return Err(format!(
                    "{at}.when.triggerEvery must be a number of hours, 0 or more."
                ));
            }
            let mut messages = 0;
            for (action, message) in rule.actions.iter().enumerate() {
                let Some(message) = &message.message else {
                    continue;
                };
                if message.text.trim().is_empty() || message.text.chars().count() > MAX_TEXT_CHARS {
                    return Err(format!(
                        "{at}.do[{action}].message.text must be 1 to {MAX_TEXT_CHARS} characters."
                    ));
                }
                // The widget posts it as the visitor, so it must be what a visitor may post.
                if !visitor_may_post(&message.text, message.attributes.as_ref()) {
                    return Err(format!(
                        "{at}.do[{action}].message.attributes.subtype may only be \"info\", on an intent \
                         (a text starting with /) or an action: the widget posts the rule's message as the visitor."
                    ));
                }
                messages += 1;
            }
            if messages == 0 {
                return Err(format!(
                    "{at}.do needs an action with a message (`{{\"message\":{{\"text\":…}}}}`)."
                ));
            }
        }
        let text = serde_json::to_string(rules)
            .map_err(|_| "botsRules could not be written as JSON.".to_owned())?;
        Ok(Self { text })
    }

    /// The JSON text of the rules, as stored.
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn rules(value: Value) -> Vec<BotRule> {
        serde_json::from_value(value).unwrap()
    }

    fn rule(uid: &str) -> Value {
        json!({"uid": uid, "name": "Welcome", "when": {"urlMatches": ".*", "triggerEvery": 24},
               "do": [{"message": {"text": "Hi!"}}]})
    }

    #[test]
    fn valid_rules_are_kept_as_json_text() {
        let list = rules(json!([rule("a"), rule("b")]));
        let checked = BotRules::parse(&list).unwrap();
        let back: Vec<BotRule> = serde_json::from_str(checked.text()).unwrap();
        assert_eq!(back, list);
        assert_eq!(BotRules::parse(&[]).unwrap().text(), "[]");
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut long = rule("a");
        long["do"][0]["message"]["text"] = json!("x".repeat(MAX_TEXT_CHARS + 1));
        let mut negative = rule("a");
        negative["when"]["triggerEvery"] = json!(-1);
        let mut pattern = rule("a");
        pattern["when"]["urlMatches"] = json!("x".repeat(MAX_URL_MATCHES_CHARS + 1));
        let mut silent = rule("a");
        silent["do"] = json!([{}]);
        let mut blank = rule("a");
        blank["do"] = json!([{}, {"message": {"text": "  "}}]);
        let mut notice = rule("a");
        notice["do"][0]["message"]["attributes"] = json!({"subtype": "info"});
        let mut private = rule("a");
        private["do"][0]["message"] =
            json!({"text": "/start", "attributes": {"subtype": "private"}});
        let mut intent = rule("a");
        intent["do"][0]["message"] = json!({"text": "/start", "attributes": {"subtype": "info"}});
        assert!(
            BotRules::parse(&rules(json!([intent]))).is_ok(),
            "an info intent"
        );
        let mut infinite = rules(json!([rule("a")]));
        infinite[0].when.trigger_every = f64::INFINITY;
        for (list, field) in [
            (rules(json!([rule("a"), rule("a")])), "botsRules[1].uid"),
            (rules(json!([rule("")])), "botsRules[0].uid"),
            (rules(json!([rule(&"u".repeat(101))])), "botsRules[0].uid"),
            (rules(json!([long])), "botsRules[0].do[0].message.text"),
            (
                rules(json!([rule("b"), negative])),
                "botsRules[1].when.triggerEvery",
            ),
            (infinite, "botsRules[0].when.triggerEvery"),
            (rules(json!([pattern])), "botsRules[0].when.urlMatches"),
            (rules(json!([silent])), "botsRules[0].do"),
            (rules(json!([blank])), "botsRules[0].do[1].message.text"),
            (
                rules(json!([notice])),
                "botsRules[0].do[0].message.attributes.subtype",
            ),
            (
                rules(json!([private])),
                "botsRules[0].do[0].message.attributes.subtype",
            ),
        ] {
            let problem = BotRules::parse(&list).unwrap_err();
            assert!(problem.starts_with(field), "{field}: {problem}");
        }
        let many: Vec<Value> = (0..=MAX_RULES).map(|i| rule(&i.to_string())).collect();
        assert!(BotRules::parse(&rules(Value::Array(many))).is_err());
        let most: Vec<Value> = (0..MAX_RULES).map(|i| rule(&i.to_string())).collect();
        assert!(BotRules::parse(&rules(Value::Array(most))).is_ok());
    }
}
