//! Shell scripts (and shell code blocks of Markdown documents): each
//! `docker run` (or `docker container run`, `docker create`, `podman run`)
//! becomes a workload, with its `-e`/`--env` settings, `--env-file` files,
//! `-v`/`--mount` volumes and `-p` ports; `export NAME=value` lines and
//! plain assignments before it give the values of `$NAME`, of `-e NAME`,
//! and, in a script that runs no container, the settings of a workload of
//! their own.

use std::collections::HashMap;
use std::path::Path;

use crate::model::envfiles::EnvFiles;
use crate::model::{Origin, Setting, Value, Volume, Workload, WorkloadKind};
use crate::source::finding::Label;
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::shell::{self, Command, Word};

/// Options of `docker run` that take no value.
const FLAGS: &[&str] = &[
    "--detach",
    "--rm",
    "--interactive",
    "--tty",
    "--privileged",
    "--init",
    "--read-only",
    "--publish-all",
    "--no-healthcheck",
    "--oom-kill-disable",
    "--disable-content-trust",
    "--quiet",
    "--help",
    "--replace",
];

/// Short options of `docker run` that take a value.
const SHORT_WITH_VALUE: &[char] = &['e', 'p', 'v', 'w', 'u', 'h', 'l', 'm', 'c', 'a'];

/// Assigned variables of a script: name → (value, where the value is).
type Vars = HashMap<String, (String, Span)>;

/// `docker compose up --scale web=3` or `docker-compose scale web=3`: the
/// replicas of a service of the compose project in the script's folder.
#[derive(Debug, Clone)]
pub struct Scale {
    /// The project (the folder of the script), as workloads name it.
    pub project: String,
    pub service: String,
    pub replicas: u32,
    /// The number, where it is written.
    pub span: Span,
}

/// What one script runs: containers, and replicas of compose services.
#[derive(Debug, Default)]
pub struct Script {
    pub workloads: Vec<Workload>,
    pub scales: Vec<Scale>,
}

/// The workloads of one script.
pub fn read(id: FileId, file: &SourceFile, env: &mut EnvFiles) -> Script {
    let dir = file.path.parent().unwrap_or(Path::new("")).to_path_buf();
    let project = crate::source::display_path(&dir);
    let span = |r: std::ops::Range<usize>| Span::new(id, r);
    let mut vars: Vars = HashMap::new();
    let mut exports: Vec<Setting> = Vec::new();
    let mut out: Vec<Workload> = Vec::new();
    let mut scales = Vec::new();
    for cmd in shell::commands(&file.text) {
        let words = strip_prefix_words(&cmd);
        // assignments (`export A=b`, `A=b`)
        let exported = words.first().is_some_and(|w| w.text == "export");
        let assigns: &[Word] = match words.first().map(|w| w.text.as_str()) {
            Some("export") | Some("declare") | Some("readonly") | Some("local") => {
                words.get(1..).unwrap_or(&[])
            }
            _ if words.iter().all(|w| shell::assignment(&w.text).is_some()) => words,
            _ => &[],
        };
        for w in assigns {
            let Some((name, at)) = shell::assignment(&w.text) else {
                continue;
            };
            let value_span = span(w.source_range(at..w.text.len()));
            let key_span = span(w.source_range(0..name.len()));
            let raw = &w.text[at..];
            let value = if w.expands {
                match shell::whole_reference(raw).and_then(|r| vars.get(r)) {
                    Some((v, _)) => Value::Known(v.clone()),
                    None => Value::Unknown(format!("`{name}` is computed when the script runs")),
                }
            } else {
                Value::Known(raw.to_string())
            };
            if let Value::Known(v) = &value {
                vars.insert(name.to_string(), (v.clone(), value_span));
            } else {
                vars.remove(name);
            }
            if !exported {
                // a shell variable, not the environment of anything
                continue;
            }
            exports.push(Setting {
                value,
                ..Setting::literal(name, key_span, String::new(), value_span)
            });
        }
        scales.extend(compose_scale(words, &project, &span));
        if let Some(run) = docker_run(words) {
            let w = container(&run, &dir, &project, &vars, env, &span);
            out.push(w);
        }
    }
    // two containers of one name: the second is named by its line
    let mut seen: HashMap<String, usize> = HashMap::new();
    for w in &mut out {
        let n = seen.entry(w.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            let (line, _) = file.line_col(w.span.start);
            w.name = format!("{} (line {line})", w.name);
        }
    }
    if out.is_empty() && !exports.is_empty() {
        out.push(Workload {
            settings: exports,
            ..Workload::new(file.display_path(), WorkloadKind::EnvFile, span(0..0))
        });
    }
    Script {
        workloads: out,
        scales,
    }
}

/// The `service=N` words of `docker-compose scale …` and of `--scale` in
/// `docker compose up …`.
fn compose_scale(
    words: &[Word],
    project: &str,
    span: &dyn Fn(std::ops::Range<usize>) -> Span,
) -> Vec<Scale> {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let sub_at = match texts.as_slice() {
        ["docker-compose", ..] | ["podman-compose", ..] => 1,
        ["docker", "compose", ..] => 2,
        _ => return Vec::new(),
    };
    let rest = words.get(sub_at..).unwrap_or(&[]);
    let mut targets: Vec<(&Word, usize)> = Vec::new();
    // skip global options (`-f file`, `-p name`)
    let mut i = 0;
    while let Some(w) = rest.get(i) {
        if matches!(
            w.text.as_str(),
            "-f" | "--file" | "-p" | "--project-name" | "--env-file"
        ) {
            i += 2;
        } else if w.text.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    match rest.get(i).map(|w| w.text.as_str()) {
        Some("scale") => targets.extend(rest.get(i + 1..).unwrap_or(&[]).iter().map(|w| (w, 0))),
        Some("up" | "run" | "create") => {
            let mut j = i + 1;
            while let Some(w) = rest.get(j) {
                if w.text == "--scale" {
                    if let Some(v) = rest.get(j + 1) {
                        targets.push((v, 0));
                    }
                    j += 2;
                    continue;
                }
                if let Some(v) = w.text.strip_prefix("--scale=") {
                    targets.push((w, w.text.len() - v.len()));
                }
                j += 1;
            }
        }
        _ => {}
    }
    targets
        .into_iter()
        .filter_map(|(w, at)| {
            let text = w.text.get(at..)?;
            let (service, n) = text.split_once('=')?;
            let replicas = n.parse::<u32>().ok()?;
            let start = at + service.len() + 1;
            Some(Scale {
                project: project.to_string(),
                service: service.to_string(),
                replicas,
                span: span(w.source_range(start..w.text.len())),
            })
        })
        .collect()
}

/// The words of a command after `sudo`, `exec`, `time` and leading
/// `NAME=value` assignments of the command's own environment.
fn strip_prefix_words(cmd: &Command) -> &[Word] {
    let mut words = cmd.words.as_slice();
    loop {
        match words.first().map(|w| w.text.as_str()) {
            Some("sudo" | "exec" | "time" | "nohup" | "command") => {
                words = words.get(1..).unwrap_or(&[])
            }
            Some(t) if shell::assignment(t).is_some() && words.len() > 1 => {
                let rest = words.get(1..).unwrap_or(&[]);
                if rest.iter().all(|w| shell::assignment(&w.text).is_some()) {
                    return words;
                }
                words = rest
            }
            _ => return words,
        }
    }
}

/// The words after `docker run` (or its synonyms) and the span of the
/// command's start.
struct Run<'a> {
    start: &'a Word,
    args: &'a [Word],
}

fn docker_run(words: &[Word]) -> Option<Run<'_>> {
    let tool = words.first()?;
    let bin = tool.text.rsplit('/').next().unwrap_or("");
    if !matches!(bin, "docker" | "podman" | "nerdctl") {
        return None;
    }
    // global options before the subcommand (`docker --context x run`)
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if !w.text.starts_with('-') {
            break;
        }
        i += if w.text.contains('=') || matches!(w.text.as_str(), "-D" | "--debug" | "--tls") {
            1
        } else {
            2
        };
    }
    let sub = words.get(i)?.text.as_str();
    let rest = match sub {
        "run" | "create" => words.get(i + 1..)?,
        "container"
            if matches!(
                words.get(i + 1).map(|w| w.text.as_str()),
                Some("run" | "create")
            ) =>
        {
            words.get(i + 2..)?
        }
        _ => return None,
    };
    Some(Run {
        start: tool,
        args: rest,
    })
}

fn container(
    run: &Run<'_>,
    dir: &Path,
    project: &str,
    vars: &Vars,
    env: &mut EnvFiles,
    span: &dyn Fn(std::ops::Range<usize>) -> Span,
) -> Workload {
    let mut settings = Vec::new();
    let mut env_file_settings = Vec::new();
    let mut volumes = Vec::new();
    let mut ports = Vec::new();
    let mut name: Option<String> = None;
    let mut image: Option<(String, Span)> = None;
    let mut command = Vec::new();
    let mut i = 0;
    let args = run.args;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if image.is_some() {
            command.push((w.text.clone(), span(w.span.clone())));
            i += 1;
            continue;
        }
        if t == "--" || !t.starts_with('-') || t == "-" {
            let w = if t == "--" { args.get(i + 1) } else { Some(w) };
            if let Some(w) = w {
                image = Some((w.text.clone(), span(w.span.clone())));
            }
            i += if t == "--" { 2 } else { 1 };
            continue;
        }
        // the option, and its value as (word, offset of the value in it)
        let (opt, value): (String, Option<(&Word, usize)>) =
            if let Some(long) = t.strip_prefix("--") {
                match long.split_once('=') {
                    Some((o, _)) => (format!("--{o}"), Some((w, o.len() + 3))),
                    None if FLAGS.contains(&t) => (t.to_string(), None),
                    None => {
                        i += 1;
                        (t.to_string(), args.get(i).map(|v| (v, 0)))
                    }
                }
            } else {
                // `-dit`, `-eA=b`, `-p 80:80`
                let letters: Vec<(usize, char)> = t.char_indices().skip(1).collect();
                match letters.iter().find(|(_, c)| SHORT_WITH_VALUE.contains(c)) {
                    Some(&(at, c)) if at + 1 < t.len() => (format!("-{c}"), Some((w, at + 1))),
                    Some(&(_, c)) => {
                        i += 1;
                        (format!("-{c}"), args.get(i).map(|v| (v, 0)))
                    }
                    None => (t.to_string(), None),
                }
            };
        i += 1;
        let Some((vw, at)) = value else { continue };
        let text = vw.text.get(at..).unwrap_or("");
        match opt.as_str() {
            "-e" | "--env" => settings.push(env_setting(vw, at, vars, span)),
            "--env-file" => {
                let path = crate::source::paths::normalize(&dir.join(text));
                if let Some(mut s) = env.load(&path) {
                    for x in &mut s {
                        x.via.push(Label::new(
                            span(vw.source_range(at..vw.text.len())),
                            format!("`{}` is read by `--env-file`", x.key),
                        ));
                    }
                    env_file_settings.extend(s);
                }
            }
            "--name" => name = Some(text.to_string()),
            "-p" | "--publish" => {
                ports.push((text.to_string(), span(vw.source_range(at..vw.text.len()))))
            }
            "-v" | "--volume" => {
                if let Some(v) = volume(text, dir, span(vw.span.clone())) {
                    volumes.push(v);
                }
            }
            "--mount" => {
                if let Some(v) = mount(text, dir, span(vw.span.clone())) {
                    volumes.push(v);
                }
            }
            "--tmpfs" => volumes.push(Volume {
                target: text.split(':').next().unwrap_or(text).to_string(),
                persistent: false,
                source: String::new(),
                host: None,
                span: span(vw.span.clone()),
            }),
            _ => {}
        }
    }
    // `--env-file` first, `-e` overrides it, as docker does
    env_file_settings.extend(settings);
    let image_name = image.as_ref().map(|(i, _)| i.clone());
    let name = name.unwrap_or_else(|| {
        image_name
            .as_deref()
            .map(|i| {
                let repo = i.split(['@']).next().unwrap_or(i);
                let last = repo.rsplit('/').next().unwrap_or(repo);
                last.split(':').next().unwrap_or(last).to_string()
            })
            .unwrap_or_else(|| "container".to_string())
    });
    let image = image.filter(|(i, _)| !i.contains('$'));
    Workload {
        project: project.to_string(),
        image,
        settings: env_file_settings,
        volumes: Some(volumes),
        command,
        ports,
        ..Workload::new(name, WorkloadKind::DockerRun, span(run.start.span.clone()))
    }
}

/// `-e NAME=value` or `-e NAME` as a setting.
fn env_setting(
    w: &Word,
    at: usize,
    vars: &Vars,
    span: &dyn Fn(std::ops::Range<usize>) -> Span,
) -> Setting {
    let text = w.text.get(at..).unwrap_or("");
    let Some((key, _)) = text.split_once('=') else {
        // `-e NAME`: the value of the variable of that name
        let key_span = span(w.source_range(at..w.text.len()));
        let via = Label::new(key_span, format!("`{text}` is passed through"));
        let unknown = format!("`{text}` is passed through from the environment docker runs in");
        return from_variable(text, key_span, Some(text), vars, via, unknown, key_span);
    };
    let key_span = span(w.source_range(at..at + key.len()));
    let vstart = at + key.len() + 1;
    let value_span = span(w.source_range(vstart..w.text.len()));
    let raw = w.text.get(vstart..).unwrap_or("");
    if !w.expands {
        return Setting::literal(key, key_span, raw.to_string(), value_span);
    }
    let var = shell::whole_reference(raw);
    let via = Label::new(
        value_span,
        format!("`{key}` is set from `{}`", var.unwrap_or(raw)),
    );
    let unknown = format!("`{key}` is set from the shell environment the script runs in");
    from_variable(key, key_span, var, vars, via, unknown, value_span)
}

/// Setting `key` from the script's variable `var`: its value where the
/// script assigns it (with `via` as the place it came through), else
/// unknown for `why`, at `at`.
fn from_variable(
    key: &str,
    key_span: Span,
    var: Option<&str>,
    vars: &Vars,
    via: Label,
    why: String,
    at: Span,
) -> Setting {
    match var.and_then(|r| vars.get(r).map(|v| (r, v))) {
        Some((r, (v, vspan))) => Setting {
            origin: Origin::Variable {
                name: r.to_string(),
            },
            via: vec![via],
            ..Setting::literal(key, key_span, v.clone(), *vspan)
        },
        None => Setting {
            value: Value::Unknown(why),
            ..Setting::literal(key, key_span, String::new(), at)
        },
    }
}

/// `-v source:target[:options]`, `-v target`: as compose's short syntax,
/// except that a target holding a variable is not known.
fn volume(text: &str, dir: &Path, span: Span) -> Option<Volume> {
    crate::model::compose::short_volume(text, dir, span)
        .filter(|v| !v.target.is_empty() && !v.target.contains('$'))
}

/// `--mount type=bind,source=./x,target=/y`.
fn mount(text: &str, dir: &Path, span: Span) -> Option<Volume> {
    let mut kind = "volume";
    let mut source = "";
    let mut target = None;
    for part in text.split(',') {
        match part.split_once('=') {
            Some(("type", v)) => kind = v,
            Some(("source" | "src", v)) => source = v,
            Some(("target" | "destination" | "dst", v)) => target = Some(v),
            _ => {}
        }
    }
    Some(crate::model::compose::long_volume(
        kind, source, target?, dir, span,
    ))
}
