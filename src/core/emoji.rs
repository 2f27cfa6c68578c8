//! Finding an emoji by name in the picker.

/// An emoji and its Unicode name in lower case.
pub type Emoji = (String, String);

/// The emoji whose name holds every word of `query` (all of them for an empty query).
pub fn matching<'a>(all: &'a [Emoji], query: &str) -> Vec<&'a Emoji> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    all.iter()
        .filter(|(_, name)| words.iter().all(|word| name.contains(word.as_str())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_query_is_in_the_name() {
        let all: Vec<Emoji> = [
            ("😀", "grinning face"),
            ("😂", "face with tears of joy"),
            ("🐱", "cat face"),
        ]
        .map(|(e, n)| (e.to_owned(), n.to_owned()))
        .into();
        let found = |q| {
            matching(&all, q)
                .into_iter()
                .map(|(e, _)| e.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(found(""), ["😀", "😂", "🐱"]);
        assert_eq!(found("FACE tears"), ["😂"]);
        assert_eq!(found("cat"), ["🐱"]);
        assert!(found("dog").is_empty());
    }
}
