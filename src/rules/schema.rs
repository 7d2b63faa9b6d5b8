//! JSON Schemas of the rule files, generated from the types they are read
//! into; `schemas/rules/` holds them for editors, and `sessionlint docs`
//! writes (and `--check` compares) them with the rule pages.

use crate::rules::{AppProfile, Check, RuleKind, SecretList, VocabularyFile};

/// The schema of one kind of rule file, as pretty JSON.
pub fn schema(kind: RuleKind) -> String {
    let schema = match kind {
        RuleKind::App => schemars::schema_for!(AppProfile),
        RuleKind::Check => schemars::schema_for!(Check),
        RuleKind::Secrets => schemars::schema_for!(SecretList),
        RuleKind::Vocabulary => schemars::schema_for!(VocabularyFile),
    };
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Every schema: `(file name under schemas/rules, content)`.
pub fn schemas() -> Vec<(String, String)> {
    RuleKind::ALL
        .iter()
        .map(|k| (format!("{}.json", k.name()), schema(*k)))
        .collect()
}
