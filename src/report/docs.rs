//! Rule documentation, generated from the rule files. `docs/rules/` holds
//! the same pages as `sessionlint explain <id>` prints.

use std::fmt::Write;

use crate::rules::{AppProfile, Check, Example, RuleSet};

/// The Markdown page of one check.
pub fn check_page(check: &Check) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", check.id());
    let _ = writeln!(s, "{}\n", check.summary);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| category | `{}` |", check.category.value);
    let _ = writeln!(s, "| default severity | {} |", check.severity);
    if let Some(t) = &check.threshold {
        let _ = writeln!(
            s,
            "| threshold | `{}` (default {}) |",
            t.name, t.default.value
        );
    }
    let kind = match (&check.when, &check.check) {
        (_, Some(f)) => format!("check function `{}`", f.value),
        _ => "condition over concepts".to_string(),
    };
    let _ = writeln!(s, "| implemented as | {kind} |");
    let _ = writeln!(s, "| source | `rules/checks/{}.yaml` |\n", check.id());
    let _ = writeln!(s, "## Why it matters\n\n{}", check.description.trim_end());
    let _ = writeln!(s, "\n## What it reports\n\n> {}\n", check.message.value);
    let _ = writeln!(s, "Help: {}", check.help.value);
    if !check.examples.is_empty() {
        let _ = writeln!(s, "\n## Examples\n");
        let _ = writeln!(
            s,
            "Lines marked `# expect: {}` are reported; examples without a marker are accepted. \
             These examples run as tests.\n",
            check.id()
        );
        examples(&mut s, &check.examples);
    }
    if !check.references.is_empty() {
        let _ = writeln!(s, "## References\n");
        for r in &check.references {
            let _ = writeln!(s, "- <{r}>");
        }
    }
    s.trim_end().to_string() + "\n"
}

/// Render rule examples as numbered sections with one code block per file.
fn examples(s: &mut String, list: &[Example]) {
    for (i, ex) in list.iter().enumerate() {
        let title = ex.description.clone().unwrap_or_else(|| {
            let flagged = ex.files.values().any(|t| t.contains("# expect:"));
            if flagged { "Reported" } else { "Accepted" }.to_string()
        });
        let _ = writeln!(s, "### {}. {}\n", i + 1, title);
        for (path, text) in &ex.files {
            // JSON examples carry `# expect:` comments, which YAML allows
            let lang =
                if path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json") {
                    "yaml"
                } else if path.ends_with(".ini") || path.ends_with(".cfg") {
                    "ini"
                } else if path.ends_with(".properties") {
                    "properties"
                } else {
                    "sh"
                };
            let _ = writeln!(s, "`{path}`:\n\n```{lang}\n{text}```\n");
        }
    }
}

fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Table cells must not break the table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown page of one app profile.
pub fn app_page(a: &AppProfile) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", a.name);
    let _ = writeln!(
        s,
        "App profile `{}`, generated from `rules/apps/{}.yaml` by `sessionlint docs`; do not edit.\n",
        a.app, a.app
    );
    if let Some(d) = &a.docs {
        let _ = writeln!(s, "The app's own documentation: <{d}>\n");
    }
    recognised(&mut s, a);
    settings_table(&mut s, a);
    not_read(&mut s, a);
    shipped_secrets(&mut s, a);
    data_paths(&mut s, a);
    kept_state(&mut s, a);
    in_memory(&mut s, a);
    sources(&mut s, a);
    if !a.examples.is_empty() {
        let _ = writeln!(
            s,
            "\n## Examples\n\nLines marked `# expect: <rule>` are reported. These examples run as tests.\n"
        );
        examples(&mut s, &a.examples);
    }
    s.trim_end().to_string() + "\n"
}

/// How the profile recognises its app: images, variables, config files,
/// and the env scheme of its config keys.
fn recognised(s: &mut String, a: &AppProfile) {
    let _ = writeln!(s, "## How it is recognised\n");
    if a.heuristic {
        let _ = writeln!(
            s,
            "By the names of variables, on services that no other profile claims. \
             Findings from this profile say that they are heuristic.\n"
        );
    }
    let d = &a.detect;
    for (what, list) in [
        ("Images", &d.images),
        ("Variables with the prefix", &d.env_prefixes),
        ("Any of the variables", &d.env_keys),
        ("Config files", &d.files),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "- {what}: {}", code_list(list));
        }
    }
    if !a.env_scheme.is_empty() {
        let how = a
            .env_scheme
            .iter()
            .map(|m| {
                let shown = m.template.value.replace('{', "<").replace('}', ">");
                format!("`{shown}`")
            })
            .collect::<Vec<_>>()
            .join(" and ");
        let _ = writeln!(
            s,
            "\nConfig file keys can also be set through the environment as {how}; \
             the environment wins, as in the app."
        );
    }
}

/// One row per setting: name, concept, unit, default, notes.
fn settings_table(s: &mut String, a: &AppProfile) {
    let _ = writeln!(
        s,
        "\n## Settings\n\n| setting | concept | unit | default | notes |\n|---|---|---|---|---|"
    );
    for spec in &a.settings {
        let name = spec
            .name()
            .map(|n| format!("`{n}`"))
            .or_else(|| {
                spec.env_pattern
                    .as_ref()
                    .map(|p| format!("names matching `{}`", cell(&p.value)))
            })
            .unwrap_or_default();
        let mut notes = Vec::new();
        if !spec.values.is_empty() {
            let map: Vec<String> = spec
                .values
                .iter()
                .map(|(k, v)| format!("`{k}` = {v}"))
                .collect();
            notes.push(format!("values: {}", map.join(", ")));
        }
        if !spec.alternatives.is_empty() {
            notes.push(format!(
                "also set through {}",
                code_list(&spec.alternatives)
            ));
        }
        if let Some(c) = &spec.default_applies_when {
            notes.push(format!(
                "the default applies when `{}` is `{}`",
                c.key, c.equals
            ));
        }
        if let Some(f) = &spec.default_from {
            let map: Vec<String> = f
                .scheme
                .iter()
                .map(|(k, v)| format!("{k} → `{v}`"))
                .collect();
            notes.push(format!(
                "the default follows the scheme of `{}`: {}",
                f.key,
                map.join(", ")
            ));
        }
        if spec.empty_is_default {
            notes.push("an empty value means the default".to_string());
        }
        if spec.zero_is_default {
            notes.push(if spec.default.is_some() {
                "0 (or less) means the default".to_string()
            } else {
                "0 (or less) counts as not set".to_string()
            });
        }
        if let Some(c) = &spec.command_default {
            notes.push(format!("`{}` in the command means `{}`", c.word, c.value));
        }
        if let Some(m) = &spec.unit_mistake {
            let mut when = Vec::new();
            if let Some(n) = m.at_least {
                when.push(format!("≥ {n}"));
            }
            if let Some(n) = m.below {
                when.push(format!("< {n}"));
            }
            notes.push(format!(
                "values {} look like {}",
                when.join(" or "),
                m.looks_like.name()
            ));
        }
        let default = match &spec.default {
            Some(_) if spec.is_secret() => "a publicly known value".to_string(),
            Some(d) => format!("`{}`", cell(d)),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "| {name} | `{}` | {} | {default} | {} |",
            spec.concept(),
            spec.unit.map(|u| u.name()).unwrap_or(""),
            cell(&notes.join("; "))
        );
    }
}

/// The names the app does not read.
fn not_read(s: &mut String, a: &AppProfile) {
    if !a.ineffective.is_empty() {
        let _ = writeln!(
            s,
            "\n## Names it does not read\n\nReported by [`ineffective-setting`](../ineffective-setting.md).\n\n\
             | name | why | instead |\n|---|---|---|"
        );
        for i in &a.ineffective {
            let name = i
                .env
                .clone()
                .map(|e| format!("`{e}`"))
                .or_else(|| {
                    i.env_pattern
                        .as_ref()
                        .map(|p| format!("names matching `{}`", cell(&p.value)))
                })
                .unwrap_or_default();
            let instead = i
                .use_instead
                .as_ref()
                .map(|u| format!("`{u}`"))
                .unwrap_or_default();
            let _ = writeln!(s, "| {name} | {} | {instead} |", cell(&i.reason));
        }
    }
}

/// Secrets the app ships or documents.
fn shipped_secrets(s: &mut String, a: &AppProfile) {
    if !a.shipped_secrets.is_empty() {
        let _ = writeln!(
            s,
            "\n## Publicly known secrets\n\nReported by [`weak-secret`](../weak-secret.md) wherever they are used.\n"
        );
        for k in &a.shipped_secrets {
            let _ = writeln!(s, "- {}", k.note);
        }
    }
}

/// Where a datastore keeps its data.
fn data_paths(s: &mut String, a: &AppProfile) {
    let Some(ds) = &a.datastore else { return };
    if ds.memory_only {
        let _ = writeln!(
            s,
            "\n## Data\n\nKept in memory only: a restart loses it (see [`sessions-in-memcached`](../sessions-in-memcached.md)).\n"
        );
        return;
    }
    if ds.data_paths.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n## Data\n\nWhere the data is kept inside the container; without a volume there it is lost with the container (see [`sessions-store-without-volume`](../sessions-store-without-volume.md)).\n\n| images | directories | moved by |\n|---|---|---|"
    );
    for d in &ds.data_paths {
        let list = |v: &[String]| {
            v.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let moved: Vec<String> = d.env.iter().chain(&d.flags).cloned().collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            list(&d.images),
            list(&d.paths),
            list(&moved)
        );
    }
}

/// What the app keeps on its container's disk that logins depend on.
fn kept_state(s: &mut String, a: &AppProfile) {
    if a.state.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n## Kept on disk\n\nWhat the app keeps inside its container that logins depend on; without a volume there it is lost with the container, and everyone is logged out (see [`session-state-without-volume`](../session-state-without-volume.md)).\n\n| what | directories | moved by | images | not kept there when set |\n|---|---|---|---|---|"
    );
    let list = |v: &[String]| {
        v.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for k in &a.state {
        let moved: Vec<String> = k.env.iter().chain(&k.flags).cloned().collect();
        let images = if k.images.is_empty() {
            "all".to_string()
        } else {
            list(&k.images)
        };
        let unless: Vec<String> = k.pinned_by.iter().chain(&k.unless_set).cloned().collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {images} | {} |",
            k.holds,
            list(&k.paths),
            list(&moved),
            list(&unless)
        );
    }
}

/// What the app keeps in each process's memory, and its fixed cookies.
fn in_memory(s: &mut String, a: &AppProfile) {
    if !a.in_memory.is_empty() {
        let _ = writeln!(
            s,
            "\n## Kept in memory\n\nWhat each instance keeps in its own memory that logins depend on; several replicas do not share it (see [`state-in-memory-across-replicas`](../state-in-memory-across-replicas.md)).\n\n| what | with several replicas | shared when set |\n|---|---|---|"
        );
        for m in &a.in_memory {
            let unless: Vec<String> = m.unless_set.iter().map(|x| format!("`{x}`")).collect();
            let _ = writeln!(s, "| {} | {} | {} |", m.holds, m.effect, unless.join(", "));
        }
    }
    if !a.cookies.is_empty() {
        let names: Vec<String> = a.cookies.iter().map(|c| format!("`{c}`")).collect();
        let _ = writeln!(
            s,
            "\n## Cookies\n\nCookies the app sets under fixed names (a proxy's affinity cookie must not take one of them: [`sticky-cookie-name-clash`](../sticky-cookie-name-clash.md)): {}.",
            names.join(", ")
        );
    }
}

/// The citations of the profile's facts.
fn sources(s: &mut String, a: &AppProfile) {
    if !a.citations.is_empty() {
        let _ = writeln!(
            s,
            "\n## Sources\n\nThe facts above, in the app's own code or official deployment files.\n"
        );
        for c in &a.citations {
            let line = c.line.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(
                s,
                "- {}: [`{}` {}{line}]({})",
                c.fact,
                c.repo.value,
                c.path,
                c.url()
            );
        }
    }
}

/// The index page listing every check.
pub fn index_page(rules: &RuleSet) -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from `rules/checks/*.yaml` by `sessionlint docs`; do not edit.\n\n\
         | id | category | severity | summary |\n|---|---|---|---|\n",
    );
    let mut checks: Vec<&Check> = rules.checks.iter().collect();
    checks.sort_by_key(|c| (rules.category_rank(c.category.value), c.id()));
    for c in checks {
        let _ = writeln!(
            s,
            "| [`{id}`]({id}.md) | {} | {} | {} |",
            c.category.value,
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
        let d = &a.detect;
        let by = if a.heuristic {
            "variable names (heuristic)".to_string()
        } else {
            [
                code_list(&d.images),
                code_list(
                    &d.files
                        .iter()
                        .filter(|f| !f.starts_with("**"))
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
                code_list(&d.env_keys),
                code_list(
                    &d.env_prefixes
                        .iter()
                        .map(|p| format!("{p}*"))
                        .collect::<Vec<_>>(),
                ),
            ]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
        };
        let _ = writeln!(
            s,
            "| [{}](apps/{}.md) | {} | {} | {} |",
            a.name,
            a.app,
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
    for a in &rules.apps {
        out.push((format!("apps/{}.md", a.app), app_page(a)));
    }
    out.sort();
    out
}
