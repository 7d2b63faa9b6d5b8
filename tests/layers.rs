//! The layer rule of `docs/architecture.md`: every module imports only from
//! its own layer or the layers below it, and no two files import each other
//! through any chain. The imports are read from the source text (`crate::…`
//! paths in code, comments left out), so a new upward import fails here
//! with the file, the line and the path it names.

#![allow(clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. Layers of the same rank are peers and may not
/// import each other.
const LAYERS: &[(&str, u32)] = &[
    ("source", 0),
    ("syntax", 1),
    ("model", 2),
    ("rules", 3),
    ("lint", 4),
    ("report", 5),
    ("sessions", 5),
    ("cli", 6),
];

fn rank(layer: &str) -> Option<u32> {
    LAYERS.iter().find(|(l, _)| *l == layer).map(|(_, r)| *r)
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The layer a file belongs to: its first folder (or file stem) under `src/`.
fn layer_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::a::b…` path in the code of `text` (comments and string
/// literals left out), with its line number.
fn crate_paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = strip_comment_and_strings(line);
        let mut rest = code.as_str();
        while let Some(i) = rest.find("crate::") {
            let before = rest.get(..i).unwrap_or("");
            let after = rest.get(i + "crate::".len()..).unwrap_or("");
            // `$crate::` and `foo_crate::` are not ours
            let ours = !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if ours {
                let segs: Vec<String> = path
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                if after.starts_with('{') {
                    out.push((n + 1, vec!["{".to_string()]));
                } else if !segs.is_empty() {
                    out.push((n + 1, segs));
                }
            }
            rest = after;
        }
    }
    out
}

fn strip_comment_and_strings(line: &str) -> String {
    let mut out = String::new();
    let mut in_str = false;
    let mut prev = '\0';
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_str {
            if c == '"' && prev != '\\' {
                in_str = false;
            }
            prev = if prev == '\\' && c == '\\' { '\0' } else { c };
            continue;
        }
        if c == '/' && chars.peek() == Some(&'/') {
            break;
        }
        if c == '"' {
            in_str = true;
        }
        out.push(c);
        prev = c;
    }
    out
}

/// The file a `crate::` path names: the longest prefix that is a module file.
fn resolve(segs: &[String]) -> Option<PathBuf> {
    for n in (1..=segs.len()).rev() {
        let rel: PathBuf = segs.iter().take(n).collect();
        for cand in [rel.with_extension("rs"), rel.join("mod.rs")] {
            if src().join(&cand).is_file() {
                return Some(cand);
            }
        }
    }
    None
}

struct Graph {
    /// file → (file it imports, line of the first such import)
    edges: BTreeMap<PathBuf, BTreeMap<PathBuf, usize>>,
    violations: Vec<String>,
}

fn read_graph() -> Graph {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut g = Graph {
        edges: BTreeMap::new(),
        violations: Vec::new(),
    };
    for f in files {
        let rel = f.strip_prefix(src()).unwrap_or(&f).to_path_buf();
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let layer = layer_of(&rel);
        let own = rank(&layer);
        let root = rel == Path::new("lib.rs") || rel == Path::new("main.rs");
        if own.is_none() && !root {
            g.violations.push(format!(
                "src/{}: not in a layer (known: {})",
                rel.display(),
                LAYERS
                    .iter()
                    .map(|(l, _)| *l)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        }
        for (line, segs) in crate_paths(&text) {
            let at = format!("src/{}:{line}", rel.display());
            let Some(first) = segs.first() else { continue };
            if first == "{" {
                g.violations.push(format!(
                    "{at}: `use crate::{{…}}` hides which layers are imported; name each path"
                ));
                continue;
            }
            let Some(theirs) = rank(first) else {
                if !root {
                    g.violations.push(format!(
                        "{at}: `crate::{}` is not a layer; import through the layer that defines it",
                        segs.join("::")
                    ));
                }
                continue;
            };
            if let Some(own) = own
                && (theirs > own || (theirs == own && *first != layer))
            {
                g.violations.push(format!(
                    "{at}: layer `{layer}` imports `crate::{}` from layer `{first}`, which is {}",
                    segs.join("::"),
                    if theirs > own { "above it" } else { "a peer" }
                ));
            }
            if let Some(target) = resolve(&segs)
                && target != rel
            {
                g.edges
                    .entry(rel.clone())
                    .or_default()
                    .entry(target)
                    .or_insert(line);
            }
        }
    }
    g
}

#[test]
fn every_module_imports_only_from_its_layer_or_below() {
    let g = read_graph();
    assert!(
        g.violations.is_empty(),
        "layer rule broken:\n{}",
        g.violations.join("\n")
    );
}

/// A module's own `mod.rs` is the parent of its files; an import of a
/// parent from a child (`crate::lint::bind` naming `crate::lint`) and of a
/// child from its parent are both allowed in Rust, but a chain back to the
/// start is a cycle. Strongly connected components, found with Tarjan's
/// algorithm.
#[test]
fn no_import_cycles_between_files() {
    let g = read_graph();
    let nodes: BTreeSet<&PathBuf> = g
        .edges
        .keys()
        .chain(g.edges.values().flat_map(|m| m.keys()))
        .collect();
    let nodes: Vec<&PathBuf> = nodes.into_iter().collect();
    let index_of: BTreeMap<&PathBuf, usize> =
        nodes.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let succ: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            g.edges
                .get(*n)
                .map(|m| m.keys().filter_map(|t| index_of.get(t).copied()).collect())
                .unwrap_or_default()
        })
        .collect();
    let sccs = tarjan(&succ);
    let cycles: Vec<String> = sccs
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let members: BTreeSet<usize> = c.iter().copied().collect();
            let mut lines = Vec::new();
            for &i in &members {
                for &j in succ.get(i).into_iter().flatten() {
                    if members.contains(&j) {
                        let from = nodes[i];
                        let to = nodes[j];
                        let line = g.edges[from][to];
                        lines.push(format!(
                            "  src/{}:{line} -> src/{}",
                            from.display(),
                            to.display()
                        ));
                    }
                }
            }
            lines.join("\n")
        })
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n\n"));
}

fn tarjan(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct St<'a> {
        succ: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut St<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on[v] = true;
        for &w in &s.succ[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(comp);
        }
    }
    let n = succ.len();
    let mut s = St {
        succ,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

/// The rule itself can fail: an upward import and a cycle in a made-up
/// text are found.
#[test]
fn the_reader_of_imports_sees_paths_and_skips_comments() {
    let text = "use crate::lint::engine::Binding; // crate::cli\n\
                let x = crate::report::docs::check_page(\"crate::sessions\");\n\
                // use crate::cli::Args;\n\
                use crate::{a, b};\n";
    let paths = crate_paths(text);
    assert_eq!(
        paths,
        vec![
            (1, vec!["lint".into(), "engine".into(), "Binding".into()]),
            (2, vec!["report".into(), "docs".into(), "check_page".into()]),
            (4, vec!["{".into()]),
        ]
    );
    let cyc = tarjan(&[vec![1], vec![2], vec![0], vec![]]);
    assert!(cyc.iter().any(|c| c.len() == 3));
}
