//! Validation of parsed rule files: names, regexes, conditions, templates.

use std::path::Path;

use regex::Regex;
use serde_saphyr::Spanned;

use crate::rules::{
    AppProfile, CHECK_FUNCTIONS, CONCEPTS, Check, Cond, PLACEHOLDERS, RuleError, placeholders,
};
use crate::syntax::duration::Duration;

fn err_at<T>(path: &Path, s: &Spanned<T>, message: String) -> RuleError {
    RuleError {
        path: path.to_path_buf(),
        line: s.referenced.line(),
        column: s.referenced.column(),
        message,
    }
}

fn compile_pattern(path: &Path, p: &Spanned<String>) -> Result<Regex, RuleError> {
    regex::RegexBuilder::new(&p.value)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| err_at(path, p, format!("invalid regex `{}`: {e}", p.value)))
}

fn validate_concept(path: &Path, c: &Spanned<String>) -> Result<(), RuleError> {
    if CONCEPTS.contains(&c.value.as_str()) {
        Ok(())
    } else {
        Err(err_at(
            path,
            c,
            format!(
                "unknown concept `{}` (known: {})",
                c.value,
                CONCEPTS.join(", ")
            ),
        ))
    }
}

pub(super) fn validate_app(app: &mut AppProfile, path: &Path) -> Result<(), RuleError> {
    for s in &mut app.settings {
        validate_concept(path, &s.concept)?;
        if let Some(p) = &s.env_pattern {
            s.pattern = Some(compile_pattern(path, p)?);
        }
        let names = [
            s.env.is_some(),
            s.env_pattern.is_some(),
            s.ini.is_some(),
            s.property.is_some(),
        ];
        if names.iter().filter(|b| **b).count() == 0
            || (s.env_pattern.is_some() && names.iter().filter(|b| **b).count() > 1)
        {
            return Err(err_at(
                path,
                &s.concept,
                "a setting needs `env`, `ini` or `property` (or `env-pattern` alone)".into(),
            ));
        }
    }
    for i in &mut app.ineffective {
        match (&i.env, &i.env_pattern) {
            (Some(_), None) => {}
            (None, Some(p)) => i.pattern = Some(compile_pattern(path, p)?),
            _ => {
                return Err(RuleError {
                    path: path.to_path_buf(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "an ineffective entry needs exactly one of `env` or `env-pattern` (reason: {})",
                        i.reason
                    ),
                });
            }
        }
    }
    Ok(())
}

pub(super) fn validate_check(check: &mut Check, path: &Path) -> Result<(), RuleError> {
    let id = check.id().to_string();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != id {
        return Err(err_at(
            path,
            &check.id,
            format!("check id `{id}` must match its file name `{stem}.yaml`"),
        ));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err_at(
            path,
            &check.id,
            format!("check id `{id}` must be kebab-case"),
        ));
    }
    match (&check.when, &check.check) {
        (Some(cond), None) => validate_cond(cond, path, &check.id)?,
        (None, Some(f)) => {
            if !CHECK_FUNCTIONS.contains(&f.value.as_str()) {
                return Err(err_at(
                    path,
                    f,
                    format!(
                        "unknown check function `{}` (known: {})",
                        f.value,
                        CHECK_FUNCTIONS.join(", ")
                    ),
                ));
            }
        }
        _ => {
            return Err(err_at(
                path,
                &check.id,
                "a check needs exactly one of `when` (a condition) or `check` (a function)".into(),
            ));
        }
    }
    if let Some(t) = &mut check.threshold {
        t.value = Some(Duration::parse_threshold(&t.default).ok_or_else(|| {
            err_at(
                path,
                &check.id,
                format!(
                    "threshold `{}` has default `{}`, which is not a duration",
                    t.name, t.default
                ),
            )
        })?);
    }
    for text in [&check.message, &check.help]
        .into_iter()
        .chain(check.label.as_ref())
    {
        for p in placeholders(text) {
            if !PLACEHOLDERS.contains(&p) {
                return Err(err_at(
                    path,
                    &check.id,
                    format!(
                        "unknown placeholder `{{{p}}}` in `{text}` (known: {})",
                        PLACEHOLDERS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn validate_cond(cond: &Cond, path: &Path, id: &Spanned<String>) -> Result<(), RuleError> {
    if let Some(c) = &cond.concept {
        validate_concept(path, c)?;
    }
    for t in [&cond.below, &cond.above].into_iter().flatten() {
        if t != "threshold" && Duration::parse_threshold(t).is_none() {
            return Err(err_at(
                path,
                id,
                format!("`{t}` is neither `threshold` nor a duration such as 8h"),
            ));
        }
    }
    let value_preds = cond.is.is_some()
        || cond.below.is_some()
        || cond.above.is_some()
        || cond.equals.is_some()
        || cond.unit_mistake.is_some()
        || cond.persistent.is_some();
    if value_preds && cond.concept.is_none() {
        return Err(err_at(
            path,
            id,
            "`is`, `below`, `above`, `equals`, `unit-mistake` and `persistent` need a `concept`"
                .into(),
        ));
    }
    let any_key = value_preds
        || cond.all.is_some()
        || cond.any.is_some()
        || cond.not.is_some()
        || cond.concept.is_some()
        || cond.replicas_above.is_some()
        || cond.sticky.is_some()
        || cond.tls.is_some()
        || cond.app.is_some();
    if !any_key {
        return Err(err_at(path, id, "an empty condition".into()));
    }
    for c in cond.all.iter().chain(cond.any.iter()).flatten() {
        validate_cond(c, path, id)?;
    }
    if let Some(n) = &cond.not {
        validate_cond(n, path, id)?;
    }
    Ok(())
}
