//! Rule documentation, generated from the rule files. `docs/rules/` holds
//! the same pages as `sessionlint explain <id>` prints.

use std::fmt::Write;

use crate::ruleset::{Check, RuleSet};

/// The Markdown page of one check.
pub fn check_page(check: &Check) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", check.id());
    let _ = writeln!(s, "{}\n", check.summary);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| category | `{}` |", check.category);
    let _ = writeln!(s, "| default severity | {} |", check.severity);
    if let Some(t) = &check.threshold {
        let _ = writeln!(s, "| threshold | `{}` (default {}) |", t.name, t.default);
    }
    let kind = match (&check.when, &check.check) {
        (_, Some(f)) => format!("check function `{}`", f.value),
        _ => "condition over concepts".to_string(),
    };
    let _ = writeln!(s, "| implemented as | {kind} |");
    let _ = writeln!(s, "| source | `rules/checks/{}.yaml` |\n", check.id());
    let _ = writeln!(s, "## Why it matters\n\n{}", check.description.trim_end());
    let _ = writeln!(s, "\n## What it reports\n\n> {}\n", check.message);
    let _ = writeln!(s, "Help: {}", check.help);
    if !check.examples.is_empty() {
        let _ = writeln!(s, "\n## Examples\n");
        let _ = writeln!(
            s,
            "Lines marked `# expect: {}` are reported; examples without a marker are accepted. \
             These examples run as tests.\n",
            check.id()
        );
        for (i, ex) in check.examples.iter().enumerate() {
            let title = ex.description.clone().unwrap_or_else(|| {
                let flagged = ex.files.values().any(|t| t.contains("# expect:"));
                if flagged { "Reported" } else { "Accepted" }.to_string()
            });
            let _ = writeln!(s, "### {}. {}\n", i + 1, title);
            for (path, text) in &ex.files {
                let lang = if path.ends_with(".yaml") || path.ends_with(".yml") {
                    "yaml"
                } else {
                    "sh"
                };
                let _ = writeln!(s, "`{path}`:\n\n```{lang}\n{}```\n", text);
            }
        }
    }
    if !check.references.is_empty() {
        let _ = writeln!(s, "## References\n");
        for r in &check.references {
            let _ = writeln!(s, "- <{r}>");
        }
    }
    s.trim_end().to_string() + "\n"
}

/// The index page listing every check.
pub fn index_page(rules: &RuleSet) -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from `rules/checks/*.yaml` by `sessionlint docs`; do not edit.\n\n\
         | id | category | severity | summary |\n|---|---|---|---|\n",
    );
    let mut checks: Vec<&Check> = rules.checks.iter().collect();
    checks.sort_by(|a, b| (a.category, a.id()).cmp(&(b.category, b.id())));
    for c in checks {
        let _ = writeln!(
            s,
            "| [`{id}`]({id}.md) | {} | {} | {} |",
            c.category,
            c.severity,
            c.summary,
            id = c.id()
        );
    }
    let mut apps: Vec<_> = rules.apps.iter().collect();
    apps.sort_by(|a, b| a.app.cmp(&b.app));
    let _ = writeln!(
        s,
        "\n## App profiles\n\n| app | recognised by | settings mapped | names it does not read |\n|---|---|---|---|"
    );
    for a in apps {
        let by = if a.heuristic {
            "variable names (heuristic)".to_string()
        } else {
            a.detect
                .images
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            a.name,
            by,
            a.settings.len(),
            a.ineffective.len()
        );
    }
    s
}

/// Every generated file: `(relative path under docs/rules, content)`.
pub fn pages(rules: &RuleSet) -> Vec<(String, String)> {
    let mut out = vec![("README.md".to_string(), index_page(rules))];
    for c in &rules.checks {
        out.push((format!("{}.md", c.id()), check_page(c)));
    }
    out.sort();
    out
}
