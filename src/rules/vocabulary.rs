//! The names rule files may use, as data: concepts (with their
//! attributes), finding categories and message placeholders. The built-in
//! ones are declared in `rules/vocabulary.yaml`; users' rule directories
//! and app profiles may declare more concepts and categories.

use std::path::PathBuf;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::source::finding::Category;

/// A concept app profiles map their settings onto.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConceptDef {
    /// The concept's name, dotted (`session.max-lifetime`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Its values are secrets: masked in every output, and a profile's
    /// default for it is never printed.
    #[serde(default)]
    pub secret: bool,
    /// Its values are durations (read in the setting's `unit`).
    #[serde(default)]
    pub duration: bool,
    /// What the concept stands for.
    pub description: String,
    #[serde(skip)]
    #[schemars(skip)]
    pub source: PathBuf,
}

/// A category of findings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CategoryDef {
    /// The category's name, kebab-case (`session-lifetime`); it appears in
    /// every output format and in the configuration file.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// A short title.
    pub title: String,
    /// What findings of this category have in common.
    pub description: String,
    #[serde(skip)]
    #[schemars(skip)]
    pub source: PathBuf,
}

/// A placeholder a message, help or label template may use (`{key}`).
/// The values are filled in by sessionlint itself.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PlaceholderDef {
    /// The placeholder's name, without braces.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What it is replaced with.
    pub description: String,
    #[serde(skip)]
    #[schemars(skip)]
    pub source: PathBuf,
}

/// A vocabulary file (`rules/vocabulary.yaml`, or one in a `--rules`
/// directory): concepts, categories and placeholders.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VocabularyFile {
    #[serde(default)]
    pub concepts: Vec<ConceptDef>,
    #[serde(default)]
    pub categories: Vec<CategoryDef>,
    #[serde(default)]
    pub message_placeholders: Vec<PlaceholderDef>,
}

/// Everything the loaded rule files declare, in file order.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub concepts: Vec<ConceptDef>,
    pub categories: Vec<CategoryDef>,
    pub placeholders: Vec<PlaceholderDef>,
}

impl Vocabulary {
    pub fn concept(&self, id: &str) -> Option<&ConceptDef> {
        self.concepts.iter().find(|c| c.id.value == id)
    }

    /// Are the values of this concept secrets?
    pub fn is_secret(&self, concept: &str) -> bool {
        self.concept(concept).is_some_and(|c| c.secret)
    }

    /// Are the values of this concept durations?
    pub fn is_duration(&self, concept: &str) -> bool {
        self.concept(concept).is_some_and(|c| c.duration)
    }

    pub fn category(&self, id: &str) -> Option<&CategoryDef> {
        self.categories.iter().find(|c| c.id.value == id)
    }

    /// Where a category comes in the declared order (unknown ones last):
    /// listings of rules sort by it.
    pub fn category_rank(&self, c: Category) -> usize {
        self.categories
            .iter()
            .position(|d| d.id.value == c.as_str())
            .unwrap_or(usize::MAX)
    }

    pub fn has_placeholder(&self, name: &str) -> bool {
        self.placeholders.iter().any(|p| p.id.value == name)
    }

    /// Comma-separated names, for error messages.
    pub fn concept_names(&self) -> String {
        join(self.concepts.iter().map(|c| c.id.value.as_str()))
    }

    pub fn category_names(&self) -> String {
        join(self.categories.iter().map(|c| c.id.value.as_str()))
    }

    pub fn placeholder_names(&self) -> String {
        join(self.placeholders.iter().map(|c| c.id.value.as_str()))
    }
}

fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}
