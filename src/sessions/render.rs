//! `sessions` output: text and JSON.

use std::fmt::Write;

use super::Report;

/// The reports as text a person reads in seconds.
pub fn render_text(reports: &[Report]) -> String {
    let mut s = String::new();
    if reports.is_empty() {
        s.push_str("No service that keeps logins was found.\n");
        return s;
    }
    for r in reports {
        let _ = writeln!(s, "{} `{}` ({}) — {}", r.kind, r.service, r.app, r.location);
        let width = r
            .layers
            .iter()
            .flat_map(|l| l.figures.iter().map(|f| f.what.chars().count()))
            .max()
            .unwrap_or(8);
        let vwidth = r
            .layers
            .iter()
            .flat_map(|l| l.figures.iter().map(|f| f.value.chars().count()))
            .max()
            .unwrap_or(8)
            .min(48);
        for l in &r.layers {
            for (i, f) in l.figures.iter().enumerate() {
                let layer = if i == 0 { l.layer } else { "" };
                let mut source = match (&f.setting, &f.location) {
                    (Some(set), Some(at)) => format!("{set} ({at})"),
                    (None, Some(at)) => at.clone(),
                    (Some(set), None) => set.clone(),
                    (None, None) if f.default => "default".into(),
                    (None, None) => String::new(),
                };
                if f.default && (f.setting.is_some() || f.location.is_some()) {
                    source.push_str(", default");
                } else if f.default && source != "default" {
                    source = "default".into();
                }
                if let Some(why) = &f.unknown {
                    source = if source.is_empty() {
                        why.clone()
                    } else {
                        format!("{source}: {why}")
                    };
                }
                let line = format!(
                    "  {layer:<7} {:<width$}  {:<vwidth$}  {source}",
                    f.what, f.value
                );
                let _ = writeln!(s, "{}", line.trim_end());
            }
        }
        if r.verdicts.is_empty() {
            let _ = writeln!(s, "  verdict: no limit found in the repository");
        } else {
            let _ = writeln!(s, "  verdict:");
            for v in &r.verdicts {
                match &v.location {
                    Some(at) => {
                        let _ = writeln!(s, "    - {} ({at})", v.text);
                    }
                    None => {
                        let _ = writeln!(s, "    - {}", v.text);
                    }
                }
            }
        }
        if !r.findings.is_empty() {
            let _ = writeln!(s, "  findings:");
            for f in &r.findings {
                let _ = writeln!(
                    s,
                    "    {:<7} {:<34} {}",
                    f.severity.to_string(),
                    f.rule,
                    f.location
                );
            }
        }
        s.push('\n');
    }
    s
}

/// The reports as JSON.
pub fn render_json(reports: &[Report]) -> String {
    let doc = serde_json::json!({
        "version": 1,
        "services": reports,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
