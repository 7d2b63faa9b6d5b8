//! The command line.

pub mod examples;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::report::{self, ReportInput};
use crate::rules::RuleSet;
use crate::source::finding::Severity;

const ABOUT: &str = "Find what logs your users out, loses their sessions, weakens their cookies \
or ships a weak secret, in .env, compose, Kubernetes, Helm, proxy and app config files, before you deploy.";

const AFTER_HELP: &str = "\
Examples:
  sessionlint check                      lint the current directory
  sessionlint check deploy/ .env         lint a directory and a file
  sessionlint check --format json .      machine-readable findings
  sessionlint check --format sarif -o sessionlint.sarif .   for code scanning
  sessionlint rules                      list every rule
  sessionlint explain weak-secret        what a rule checks and why

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 the tool could not run.";

#[derive(Debug, Parser)]
#[command(name = "sessionlint", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories (default: the current directory).
    Check(Box<CheckArgs>),
    /// How long a login really lasts, per service, and which layer decides
    /// it: the app's lifetimes, the cookie, the store, the route, the keys.
    Sessions(Box<SessionsArgs>),
    /// List every rule with its category, severity and summary, and every
    /// app profile with the number of its settings and sources.
    Rules {
        /// Extra rule directory (repeatable).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// `text` (a table of checks, then one of app profiles) or `json`.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Show what a rule checks, why it matters, and examples; or, given an
    /// app profile id (`grafana`), the settings that profile reads.
    Explain {
        /// A rule id (`weak-secret`) or an app profile id (`grafana`).
        id: String,
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Run the examples of the built-in rules and of the given rule
    /// directories: every `# expect:` marker must be reported, and nothing
    /// else. Exit 1 when an example fails, 2 when the rules do not load.
    TestRules {
        /// Rule directories (as given to `--rules`).
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
    /// Write a commented starter `.sessionlint.toml` in the current directory.
    Init,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff).
    Man,
    /// Write the rule documentation pages and the JSON Schemas of rule
    /// files.
    #[command(hide = true)]
    Docs {
        /// Output directory.
        #[arg(long, default_value = "docs/rules")]
        out: PathBuf,
        /// Output directory of the JSON Schemas.
        #[arg(long, default_value = "schemas/rules")]
        schemas: PathBuf,
        /// Fail if the pages on disk differ instead of writing them.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with source excerpts, for people.
    Text,
    /// A versioned JSON document, for tools.
    Json,
    /// SARIF 2.1.0, for code scanning and editors.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// What to read: paths, overlays, rules and configuration.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Files or directories to lint; `-` reads standard input (for example
    /// `helm template . | sessionlint check -`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Name shown for standard input (and used to classify it).
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: PathBuf,
    /// Helm values overlay applied over each chart's values.yaml
    /// (repeatable, in order).
    #[arg(long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Render this chart with `helm template` (helm must be on PATH) and
    /// lint the rendered manifests too.
    #[arg(long, value_name = "CHART")]
    pub helm_render: Option<PathBuf>,
    /// Load extra rule files (app profiles, checks) from a directory.
    /// Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// A file of known secret values (one per line, `#` comments), such as
    /// your organisation's list of leaked keys: a secret equal to one of
    /// them is reported. Repeatable; adds to `extra-secret-list` in the
    /// configuration file.
    #[arg(long = "extra-secret-list", value_name = "FILE")]
    pub extra_secret_list: Vec<PathBuf>,
    /// Configuration file (default: `.sessionlint.toml` found upward from
    /// the first PATH).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Files larger than this many bytes are reported and not read
    /// (default 8388608, 8 MiB, at most 4294967295; overrides
    /// `max-file-size` in the configuration file). Standard input over the
    /// limit is an error.
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Print secret values (and values read from Kubernetes Secrets) in
    /// excerpts and messages instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
    /// Colour in text output (auto: only on a terminal, never with NO_COLOR).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Ignore `# sessionlint: ignore[…]` comments (for audits).
    #[arg(long)]
    pub no_inline_ignores: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// List the files that were read and the kind each was read as (files
    /// that others name, like an `env_file` or an nginx `include`, too),
    /// instead of the findings; exit 0.
    #[arg(long, conflicts_with_all = ["write_baseline", "baseline"])]
    pub show_files: bool,
    /// List the services found (compose services, Kubernetes workloads,
    /// charts, standalone config files), the app profile each was
    /// recognised as and by what (image, config file, variable), instead
    /// of the findings (a JSON list with `--format json`); exit 0.
    #[arg(long, conflicts_with_all = ["write_baseline", "baseline", "show_files"])]
    pub show_services: bool,
}

/// Output formats of `sessionlint sessions` and `sessionlint rules`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct SessionsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Only this service (compose service, Kubernetes workload, chart or
    /// file name).
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn load_rules(dirs: &[PathBuf]) -> Result<RuleSet, ExitCode> {
    RuleSet::load(dirs).map_err(|errors| {
        eprint!("{}", rule_errors(&errors));
        ExitCode::from(2)
    })
}

/// The text of a rule file: a built-in one, or one on disk.
fn rule_text(builtin: &[(PathBuf, String)], p: &std::path::Path) -> Option<String> {
    builtin
        .iter()
        .find(|(b, _)| b == p)
        .map(|(_, t)| t.clone())
        .or_else(|| {
            crate::source::read::read_file(p, crate::source::read::Limit::TOOL_INPUT)
                .and_then(|t| t.strict(p))
                .ok()
        })
}

/// `sessionlint test-rules [DIR…]`.
fn test_rules(dirs: &[PathBuf]) -> ExitCode {
    let rules = match load_rules(dirs) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let builtin = crate::rules::builtin_files();
    let (total, failures) = examples::test_rules(&rules, &|p| rule_text(&builtin, p));
    let mut out = String::new();
    for f in &failures {
        out.push_str(&format!("FAIL {f}\n"));
    }
    let files = rules.checks.len() + rules.apps.len();
    let failed = failures
        .iter()
        .map(|f| (&f.source, &f.failure.check, f.failure.example))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    out.push_str(&if failed == 0 {
        format!("all {total} examples passed ({files} checks and app profiles)\n")
    } else {
        format!("{failed} of {total} examples failed ({files} checks and app profiles)\n")
    });
    let code = write_out(&out);
    if code != ExitCode::SUCCESS {
        code
    } else if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Errors in rule files as excerpts of the files.
fn rule_errors(errors: &[crate::rules::RuleError]) -> String {
    let builtin = crate::rules::builtin_files();
    let text_of = |p: &std::path::Path| rule_text(&builtin, p);
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    report::text::render_rule_errors(errors, &text_of, &report::text::TextOptions { color })
}

/// `--show-files`: one line per file read, `kind  path`, sorted by path.
fn files_table(
    sources: &crate::source::SourceMap,
    not_read: &[(std::path::PathBuf, String)],
) -> String {
    let mut rows: Vec<(String, String)> = sources
        .iter()
        .map(|(_, f)| {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let kind = match &f.embedded {
                Some(lang) => format!("{kind} block ({lang})"),
                None => kind,
            };
            (f.display_path(), kind)
        })
        .collect();
    rows.sort();
    rows.dedup();
    let files = {
        let mut paths: Vec<&String> = rows.iter().map(|(p, _)| p).collect();
        paths.dedup();
        paths.len()
    };
    let width = rows.iter().map(|(_, k)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (path, kind) in &rows {
        out.push_str(&format!("{kind:<width$}  {path}\n"));
    }
    let n = files;
    out.push_str(&format!("{n} file{} read\n", if n == 1 { "" } else { "s" }));
    if !not_read.is_empty() {
        out.push('\n');
        for (path, why) in not_read {
            out.push_str(&format!(
                "skipped  {}  ({why})\n",
                crate::source::display_path(path)
            ));
        }
        let n = not_read.len();
        out.push_str(&format!(
            "{n} path{} skipped\n",
            if n == 1 { "" } else { "s" }
        ));
    }
    out
}

/// `--show-services`: one line per workload, `app  kind  name  location
/// (by …)`, in model order, then how many were recognised.
/// One service of `--show-services`.
#[derive(serde::Serialize)]
struct ServiceRow {
    /// The app profile it was recognised as; `None`: not recognised.
    app: Option<String>,
    kind: &'static str,
    name: String,
    /// `path:line` where it is defined.
    location: String,
    /// What recognised it (`image redis:7`, `variable GF_SECURITY_SECRET_KEY`).
    recognised_by: Option<String>,
}

fn service_rows(
    model: &crate::model::Model,
    sources: &crate::source::SourceMap,
) -> Vec<ServiceRow> {
    model
        .workloads
        .iter()
        .map(|w| ServiceRow {
            app: w.app.clone(),
            kind: crate::sessions::kind_name(w.kind),
            name: w.name.clone(),
            location: sources
                .get(w.span.file)
                .map(|f| format!("{}:{}", f.display_path(), f.line_col(w.span.start).0))
                .unwrap_or_default(),
            recognised_by: w.recognised_by.clone(),
        })
        .collect()
}

fn services_table(rows: &[ServiceRow]) -> String {
    let rows: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            let by = r
                .recognised_by
                .as_deref()
                .map_or_else(|| "not recognised".to_string(), |b| format!("by {b}"));
            [
                r.app.clone().unwrap_or_else(|| "-".to_string()),
                r.kind.to_string(),
                r.name.clone(),
                format!("{}  ({by})", r.location),
            ]
        })
        .collect();
    let width = |i: usize| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut out = String::new();
    for [app, kind, name, rest] in &rows {
        out.push_str(&format!("{app:<w0$}  {kind:<w1$}  {name:<w2$}  {rest}\n"));
    }
    let n = rows.len();
    let known = rows.iter().filter(|r| r[0] != "-").count();
    out.push_str(&format!(
        "{known} of {n} service{} recognised\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

fn write_out(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // a closed pipe (`| head`) is not an error of ours
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Sessions(args) => sessions(*args),
        Command::Rules { rules, format } => match load_rules(&rules) {
            Ok(set) => write_out(&match format {
                TextOrJson::Text => rules_table(&set),
                TextOrJson::Json => rules_json(&set),
            }),
            Err(code) => code,
        },
        Command::Explain { id, rules } => match load_rules(&rules) {
            Ok(set) => match (set.check(&id), set.app(&id)) {
                (Some(c), _) => write_out(&crate::report::docs::check_page(c)),
                (None, Some(a)) => write_out(&crate::report::docs::app_page(a)),
                (None, None) => {
                    eprintln!(
                        "error: no rule or app profile `{id}`; `sessionlint rules` lists them all"
                    );
                    ExitCode::from(2)
                }
            },
            Err(code) => code,
        },
        Command::TestRules { dirs } => test_rules(&dirs),
        Command::Docs {
            out,
            schemas,
            check,
        } => docs(&out, &schemas, check),
        Command::Init => init(),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "sessionlint", &mut buf);
            write_out(&String::from_utf8_lossy(&buf))
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut buf) {
                Ok(()) => write_out(&String::from_utf8_lossy(&buf)),
                Err(e) => {
                    eprintln!("error: cannot render the man page: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// `helm template CHART [--values …]`.
fn render_chart(chart: &std::path::Path, values: &[PathBuf]) -> Result<String, String> {
    let mut cmd = std::process::Command::new("helm");
    cmd.arg("template").arg(chart);
    for v in values {
        cmd.arg("--values").arg(v);
    }
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "the `helm` binary is not on PATH, so the chart cannot be rendered. Install helm, or render \
             the chart yourself and pipe it in: `helm template CHART | sessionlint check -`. \
             (Without rendering, sessionlint still reads the chart's values.yaml.)"
                .to_string()
        } else {
            format!("cannot run helm: {e}")
        }
    })?;
    if !out.status.success() {
        return Err(format!(
            "helm template failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn init() -> ExitCode {
    let path = std::path::Path::new(crate::lint::config::FILE_NAME);
    if path.exists() {
        eprintln!("error: {} already exists; not overwritten", path.display());
        return ExitCode::from(2);
    }
    match std::fs::write(path, crate::lint::config::STARTER) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// Files given as text: `(name, kind or None to classify, text)`.
type ExtraFiles = Vec<(PathBuf, Option<crate::source::FileKind>, String)>;

/// Rules, configuration, paths to walk and extra files of a run.
type Prepared = (
    RuleSet,
    crate::lint::config::Config,
    Vec<PathBuf>,
    ExtraFiles,
);

/// Read the configuration, rules and inputs shared by `check` and
/// `sessions`.
fn prepare(args: &InputArgs) -> Result<Prepared, ExitCode> {
    let config = if args.no_config {
        None
    } else {
        match &args.config {
            Some(p) => Some(p.clone()),
            None => args
                .paths
                .first()
                .and_then(|p| crate::lint::config::Config::find(p)),
        }
    };
    let config = match config
        .map(|p| crate::lint::config::Config::load(&p))
        .transpose()
    {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            eprintln!("error: invalid configuration: {e}");
            return Err(ExitCode::from(2));
        }
    };
    if let Err(e) = config.check_confined() {
        eprintln!("error: invalid configuration: {e}");
        return Err(ExitCode::from(2));
    }
    let mut dirs = args.rules.clone();
    dirs.extend(config.rule_dirs());
    let mut rules = load_rules(&dirs)?;
    if let Err(e) = config.apply_to_rules(&mut rules) {
        eprintln!("error: invalid configuration: {e}");
        return Err(ExitCode::from(2));
    }
    for list in &args.extra_secret_list {
        if let Err(e) = rules.secrets.add_list(list) {
            eprintln!("error: --extra-secret-list: {e}");
            return Err(ExitCode::from(2));
        }
    }
    let mut extra_files = Vec::new();
    let mut paths = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            let max = limits(args, &config).files.max_file_size;
            let name = std::path::Path::new("standard input");
            let limit = crate::source::read::Limit::linted(max);
            let text = match crate::source::read::read_stream(std::io::stdin(), name, limit)
                .and_then(|t| t.strict(name))
            {
                Ok(text) => text,
                Err(crate::source::read::ReadError::TooLarge { .. }) => {
                    eprintln!(
                        "error: standard input is over the limit of {max} bytes (--max-file-size)"
                    );
                    return Err(ExitCode::from(2));
                }
                Err(e) => {
                    eprintln!("error: cannot read standard input: {}", e.cause());
                    return Err(ExitCode::from(2));
                }
            };
            let kind = match crate::model::discover::classify_name(&args.stdin_filename) {
                crate::model::discover::NameKind::Known(k) => Some(k),
                _ => None,
            };
            extra_files.push((args.stdin_filename.clone(), kind, text));
        } else if !p.exists() {
            eprintln!("error: {}: no such file or directory", p.display());
            return Err(ExitCode::from(2));
        } else if let Some(what) = std::fs::metadata(p)
            .ok()
            .filter(|m| !m.is_dir())
            .and_then(|m| crate::source::read::kind_of(m.file_type()))
        {
            // a FIFO, socket or device named on the command line: never
            // opened (opening a FIFO waits for a writer), and not a silent
            // "no problems"
            eprintln!(
                "error: {}: {what}, not a regular file or a folder; it was not read",
                p.display()
            );
            return Err(ExitCode::from(2));
        } else {
            paths.push(p.clone());
        }
    }
    for v in &args.values {
        let limit = crate::source::read::Limit::linted(limits(args, &config).files.max_file_size);
        match crate::source::read::read_file(v, limit).and_then(|t| t.strict(v)) {
            Ok(text) => extra_files.push((
                crate::source::paths::normalize(v),
                Some(crate::source::FileKind::HelmValues),
                text,
            )),
            Err(e) => {
                eprintln!("error: --values {}: {}", v.display(), e.cause());
                return Err(ExitCode::from(2));
            }
        }
    }
    if let Some(chart) = &args.helm_render {
        match render_chart(chart, &args.values) {
            Ok(text) => extra_files.push((
                chart.join("(helm template)"),
                Some(crate::source::FileKind::Kubernetes),
                text,
            )),
            Err(e) => {
                eprintln!("error: --helm-render {}: {e}", chart.display());
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok((rules, config, paths, extra_files))
}

/// Limits from `--max-file-size` or the configuration.
fn limits(args: &InputArgs, config: &crate::lint::config::Config) -> crate::lint::pipeline::Limits {
    let mut limits = crate::lint::pipeline::Limits::default();
    if let Some(max) = args.max_file_size.or(config.max_file_size) {
        // byte offsets into a file are kept in 32 bits
        limits.files.max_file_size = max.min(crate::source::MAX_FILE_SIZE);
    }
    limits
}

fn sessions(args: SessionsArgs) -> ExitCode {
    let (rules, config, paths, extra_files) = match prepare(&args.input) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let options = crate::lint::pipeline::Options {
        limits: limits(&args.input, &config),
        inline_ignores: true,
        reveal: crate::source::secret::Reveal::Masked,
        config,
        baseline: None,
        extra_files,
    };
    let mut outcome = crate::lint::pipeline::lint(&paths, &rules, &options);
    // every figure shows its place: all texts back
    outcome.sources.restore(|_, _| true);
    let mut reports =
        crate::sessions::reports(&outcome.model, &rules, &outcome.sources, &outcome.findings);
    if let Some(name) = &args.service {
        reports.retain(|r| r.service == *name);
        if reports.is_empty() {
            eprintln!("error: no service `{name}` that keeps logins was found");
            return ExitCode::from(2);
        }
    }
    let text = match args.format {
        TextOrJson::Text => crate::sessions::render_text(&reports),
        TextOrJson::Json => crate::sessions::render_json(&reports),
    };
    match &args.output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => write_out(&text),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let (rules, config, paths, extra_files) = match prepare(&args.input) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let baseline = match &args.baseline {
        Some(p) => match crate::lint::filter::Baseline::read(p) {
            Ok(b) => Some((b, crate::source::display_path(p))),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let options = crate::lint::pipeline::Options {
        limits: limits(&args.input, &config),
        inline_ignores: !args.no_inline_ignores,
        reveal: crate::source::secret::Reveal::from_flag(args.show_secrets),
        config,
        baseline,
        extra_files,
    };
    let outcome = crate::lint::pipeline::lint(&paths, &rules, &options);
    for p in &outcome.skipped {
        eprintln!(
            "sessionlint: skipped {}: not a file of a kind sessionlint reads (.env, compose, Kubernetes, Helm, nginx, HAProxy, htpasswd, app config files)",
            crate::source::display_path(p)
        );
    }
    if args.show_files {
        return write_out(&files_table(&outcome.sources, &outcome.not_read));
    }
    if args.show_services {
        let rows = service_rows(&outcome.model, &outcome.sources);
        return write_out(&match args.format {
            Format::Json => serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n",
            _ => services_table(&rows),
        });
    }
    if let Some(path) = &args.write_baseline {
        return write_baseline(path, &outcome);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| {
        outcome
            .findings
            .iter()
            .any(|f| !f.is_suppressed() && f.severity >= t)
    });
    let input = ReportInput {
        sources: &outcome.sources,
        findings: &outcome.findings,
        masks: &outcome.masks,
        show_secrets: args.show_secrets,
        files_checked: outcome
            .sources
            .iter()
            .filter(|(_, f)| f.embedded.is_none())
            .count(),
    };
    let text = render(&args, &input, &rules, &outcome.fingerprints, failed);
    let written = match &args.output {
        Some(path) => match std::fs::write(path, &text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => write_out(&text),
    };
    if written != ExitCode::SUCCESS {
        return written;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--write-baseline FILE`: every finding of the run, by fingerprint.
fn write_baseline(path: &std::path::Path, outcome: &crate::lint::pipeline::Outcome) -> ExitCode {
    let b = crate::lint::filter::Baseline::of(
        &outcome.findings,
        &outcome.fingerprints,
        &outcome.sources,
    );
    let text = serde_json::to_string_pretty(&b).unwrap_or_default() + "\n";
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("error: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {} findings to the baseline {}",
        b.findings.len(),
        path.display()
    );
    ExitCode::SUCCESS
}

/// The findings in the format asked for.
fn render(
    args: &CheckArgs,
    input: &ReportInput<'_>,
    rules: &RuleSet,
    fingerprints: &[String],
    failed: bool,
) -> String {
    match args.format {
        Format::Text => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            report::text::render(input, &report::text::TextOptions { color })
        }
        Format::Json => report::json::render(input),
        Format::Sarif => report::sarif::render(input, rules, fingerprints, i32::from(failed)),
        Format::Github => report::github::render(input),
    }
}

/// `sessionlint rules`: one line per rule.
pub fn rules_table(rules: &RuleSet) -> String {
    let mut checks: Vec<_> = rules.checks.iter().collect();
    checks.sort_by_key(|c| (rules.category_rank(c.category.value), c.id()));
    let w = checks.iter().map(|c| c.id().len()).max().unwrap_or(2);
    let mut s = format!(
        "{:<w$}  {:<19}  {:<8}  SUMMARY\n",
        "ID", "CATEGORY", "SEVERITY"
    );
    for c in checks {
        s.push_str(&format!(
            "{:<w$}  {:<19}  {:<8}  {}\n",
            c.id(),
            c.category.value.as_str(),
            c.severity.as_str(),
            c.summary
        ));
    }
    let apps: Vec<_> = rules.apps.iter().filter(|a| !a.heuristic).collect();
    let aw = apps.iter().map(|a| a.app.len()).max().unwrap_or(3).max(3);
    let nw = apps.iter().map(|a| a.name.len()).max().unwrap_or(4).max(4);
    s.push_str(&format!(
        "\n{:<aw$}  {:<nw$}  SETTINGS  SOURCES\n",
        "APP", "NAME"
    ));
    for a in &apps {
        s.push_str(&format!(
            "{:<aw$}  {:<nw$}  {:<8}  {}\n",
            a.app,
            a.name,
            a.settings.len(),
            a.citations.len()
        ));
    }
    s.push_str(
        "\n`sessionlint explain <ID>` shows what a rule checks and why, or the settings an app profile reads and their sources.\n",
    );
    s
}

/// `sessionlint rules --format json`: every check and every app profile.
pub fn rules_json(rules: &RuleSet) -> String {
    let checks: Vec<serde_json::Value> = rules
        .checks
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id(),
                "category": c.category.value.as_str(),
                "severity": c.severity.as_str(),
                "summary": c.summary,
            })
        })
        .collect();
    let apps: Vec<serde_json::Value> = rules
        .apps
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.app,
                "name": a.name,
                "heuristic": a.heuristic,
                "images": a.detect.images,
                "settings": a.settings.iter().filter_map(|s| s.name()).collect::<Vec<_>>(),
                "sources": a.citations.iter().map(|c| c.url()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = serde_json::json!({"version": 1, "checks": checks, "apps": apps});
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// Write `text` to `path` unless the file holds it already; with `check`,
/// only note the file as stale.
fn sync_file(
    path: &std::path::Path,
    text: &str,
    check: bool,
    stale: &mut Vec<String>,
) -> Result<(), ExitCode> {
    let current = crate::source::read::read_file(path, crate::source::read::Limit::TOOL_INPUT)
        .map(|t| t.text)
        .unwrap_or_default();
    if current == text {
        return Ok(());
    }
    if check {
        stale.push(path.display().to_string());
        return Ok(());
    }
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(path, text))
        .map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(2)
        })
}

fn docs(out: &std::path::Path, schemas: &std::path::Path, check: bool) -> ExitCode {
    let rules = match load_rules(&[]) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let pages = crate::report::docs::pages(&rules);
    let mut stale = Vec::new();
    let generated = crate::rules::schema::schemas()
        .into_iter()
        .map(|(name, text)| (schemas.join(name), text))
        .chain(
            pages
                .iter()
                .map(|(name, text)| (out.join(name), text.clone())),
        );
    for (path, text) in generated {
        if let Err(code) = sync_file(&path, &text, check, &mut stale) {
            return code;
        }
    }
    for sub in ["", "apps"] {
        let Ok(entries) = std::fs::read_dir(out.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let rel = if sub.is_empty() {
                name.clone()
            } else {
                format!("{sub}/{name}")
            };
            if name.ends_with(".md") && !pages.iter().any(|(n, _)| *n == rel) {
                if check {
                    stale.push(format!("{} (no such rule)", e.path().display()));
                } else {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    if stale.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: rule docs or schemas are stale; run `cargo run -- docs`:\n  {}",
            stale.join("\n  ")
        );
        ExitCode::from(1)
    }
}
