//! YAML into a span tree, on top of granit-parser's event stream.
//!
//! Every key and value carries the byte range it was written at. Anchors
//! and aliases are resolved by copying the anchored node (spans stay those
//! of the definition: that is where a value is changed), under a budget of
//! nodes copied by aliases per document, so an alias bomb becomes an error
//! instead of eating memory. (Nodes written out are not counted: the size
//! of the file bounds them. A large multi-document manifest, `helm
//! template` output, is read whole.) A stream of more than
//! [`Limits::max_docs`] documents is one error and the rest is not read.
//! `<<` merge keys are applied (explicit keys win, earlier merged maps win
//! over later ones). Duplicate keys are kept and reported. Nesting is
//! bounded. A syntax error abandons its document and parsing resumes at the
//! next one.

use std::collections::HashMap;
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle as GStyle};

/// Bounds on what one stream may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Nodes that aliases may copy in one document.
    pub max_nodes: usize,
    /// Nesting depth of collections.
    pub max_depth: usize,
    /// Documents in one stream (empty ones included).
    pub max_docs: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_nodes: 250_000,
            max_depth: 256,
            max_docs: 100_000,
        }
    }
}

/// A parsed YAML stream.
#[derive(Debug, Default)]
pub struct Stream {
    /// One root node per document. Empty documents are left out.
    pub docs: Vec<Node>,
    pub errors: Vec<YamlError>,
    pub duplicate_keys: Vec<DuplicateKey>,
}

/// A problem in the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub span: Range<usize>,
    pub message: String,
}

/// The same key twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Range<usize>,
    pub second: Range<usize>,
}

/// A node with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: NodeKind,
    /// An explicit tag (`!!str`), as written, resolved.
    pub tag: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub value: Box<str>,
    pub style: ScalarStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
    /// Came in through a `<<` merge key.
    pub merged: bool,
}

impl Node {
    fn null_at(at: usize) -> Node {
        Node {
            span: at..at,
            kind: NodeKind::Scalar(Scalar {
                value: Box::default(),
                style: ScalarStyle::Plain,
            }),
            tag: None,
        }
    }

    /// The value of key `key` in a mapping (the last one, with duplicates).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()
            .iter()
            .rev()
            .find(|e| e.key.as_str() == Some(key))
    }

    /// The entries of a mapping; empty for other nodes.
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(e) => e,
            _ => &[],
        }
    }

    /// The items of a sequence; empty for other nodes.
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(i) => i,
            _ => &[],
        }
    }

    /// The text of a scalar, whatever its style.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) if !self.is_null() => Some(&s.value),
            _ => None,
        }
    }

    pub fn style(&self) -> Option<ScalarStyle> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s.style),
            _ => None,
        }
    }

    /// A plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        match &self.kind {
            NodeKind::Scalar(s) => {
                s.style == ScalarStyle::Plain
                    && self.tag.as_deref() != Some("tag:yaml.org,2002:str")
                    && matches!(&*s.value, "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.kind, NodeKind::Seq(_))
    }

    /// YAML 1.2 core schema booleans (plain scalars only).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Scalar(s) if s.style == ScalarStyle::Plain => match &*s.value {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// Plain integers.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.kind {
            NodeKind::Scalar(s) if s.style == ScalarStyle::Plain => s.value.parse().ok(),
            _ => None,
        }
    }

    /// For quoted scalars, the range inside the quotes; else the span.
    pub fn content_span(&self) -> Range<usize> {
        match self.style() {
            Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
                if self.span.end >= self.span.start + 2 =>
            {
                self.span.start + 1..self.span.end - 1
            }
            _ => self.span.clone(),
        }
    }

    fn count(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Scalar(_) => 0,
            NodeKind::Seq(items) => items.iter().map(Node::count).sum(),
            NodeKind::Map(entries) => entries
                .iter()
                .map(|e| e.key.count() + e.value.count())
                .sum(),
        }
    }
}

enum Frame {
    Seq {
        start: usize,
        items: Vec<Node>,
        anchor_id: usize,
        tag: Option<Box<str>>,
    },
    Map {
        start: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
        anchor_id: usize,
        tag: Option<Box<str>>,
    },
}

struct Builder<'a> {
    text: &'a str,
    limits: Limits,
    /// Nodes copied by aliases in the current document.
    nodes: usize,
    /// Documents begun.
    docs: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    stream: Stream,
    last_end: usize,
    /// The current document has failed; skip to the next.
    abandon: bool,
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

impl Builder<'_> {
    fn range(&self, span: &granit_parser::Span) -> Range<usize> {
        let r = span.byte_range().unwrap_or_else(|| {
            let s = char_to_byte(self.text, span.start.index());
            let e = char_to_byte(self.text, span.end.index());
            s..e
        });
        let end = r.end.min(self.text.len());
        let start = r.start.min(end);
        start..end
    }

    fn error(&mut self, span: Range<usize>, message: String) {
        self.stream.errors.push(YamlError { span, message });
    }

    /// Attach a finished node to its parent, or make it a document root.
    fn attach(&mut self, node: Node) {
        self.last_end = self.last_end.max(node.span.end);
        match self.stack.last_mut() {
            None if node.is_null() => {}
            None => self.stream.docs.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                    merged: false,
                }),
            },
        }
    }

    fn remember(&mut self, anchor_id: usize, node: &mut Node) {
        if anchor_id != 0 {
            let n = node.count();
            self.anchors.insert(anchor_id, (node.clone(), n));
        }
    }

    /// Count `n` nodes copied by an alias; false (and the document
    /// abandoned, with one error) past the budget of a document.
    fn budget(&mut self, n: usize, at: Range<usize>) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            if !self.abandon {
                self.error(
                    at,
                    format!(
                        "alias expansion exceeds {} nodes in one document (possible alias bomb); the rest of the document was not read",
                        self.limits.max_nodes
                    ),
                );
            }
            self.abandon = true;
            return false;
        }
        true
    }

    fn event(&mut self, ev: Event<'_>, span: Range<usize>) {
        match ev {
            Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(..) => {
                self.docs += 1;
                self.nodes = 0;
            }
            Event::DocumentEnd => {
                self.stack.clear();
                self.anchors.clear();
                self.nodes = 0;
            }
            // neither comments nor anchor names are asked for: inline
            // ignores read the text, and aliases resolve by anchor id
            #[allow(unreachable_patterns)]
            Event::Comment(..) | Event::Anchor(..) => {}
            Event::Alias(id) => self.alias(id, span),
            Event::UnresolvedAlias(name) => {
                self.error(span.clone(), format!("alias `*{name}` refers to no anchor"));
                self.attach(Node::null_at(span.start));
            }
            Event::Scalar(value, style, anchor_id, tag) => {
                let style = match style {
                    GStyle::Plain => ScalarStyle::Plain,
                    GStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    GStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    GStyle::Literal => ScalarStyle::Literal,
                    _ => ScalarStyle::Folded,
                };
                let scalar = Scalar {
                    value: value.into_owned().into_boxed_str(),
                    style,
                };
                let tag = tag.map(|t| t.original().into_boxed_str());
                self.scalar(scalar, anchor_id, tag, span);
            }
            Event::SequenceStart(_, anchor_id, tag) => {
                let tag = tag.map(|t| t.original().into_boxed_str());
                self.start_collection(true, anchor_id, tag, span);
            }
            Event::MappingStart(_, anchor_id, tag) => {
                let tag = tag.map(|t| t.original().into_boxed_str());
                self.start_collection(false, anchor_id, tag, span);
            }
            Event::SequenceEnd | Event::MappingEnd => self.end_collection(span),
            _ => {}
        }
    }

    /// `*name`: the anchored node again, within the node budget.
    fn alias(&mut self, id: usize, span: Range<usize>) {
        let Some((node, n)) = self.anchors.get(&id).cloned() else {
            self.error(
                span.clone(),
                "alias to an anchor that is not defined (or not yet complete)".into(),
            );
            self.attach(Node::null_at(span.start));
            return;
        };
        if self.budget(n, span.clone()) {
            self.attach(node);
        } else {
            self.attach(Node::null_at(span.start));
        }
    }

    fn scalar(
        &mut self,
        scalar: Scalar,
        anchor_id: usize,
        tag: Option<Box<str>>,
        span: Range<usize>,
    ) {
        let mut node = Node {
            span,
            kind: NodeKind::Scalar(scalar),
            tag,
        };
        self.remember(anchor_id, &mut node);
        self.attach(node);
    }

    /// A sequence (`seq`) or mapping begins, within the depth limit.
    fn start_collection(
        &mut self,
        seq: bool,
        anchor_id: usize,
        tag: Option<Box<str>>,
        span: Range<usize>,
    ) {
        if self.stack.len() >= self.limits.max_depth {
            self.error(
                span,
                format!(
                    "nesting deeper than {} levels; the rest of the document was not read",
                    self.limits.max_depth
                ),
            );
            self.abandon = true;
            return;
        }
        self.stack.push(if seq {
            Frame::Seq {
                start: span.start,
                items: Vec::new(),
                anchor_id,
                tag,
            }
        } else {
            Frame::Map {
                start: span.start,
                entries: Vec::new(),
                key: None,
                anchor_id,
                tag,
            }
        });
    }

    /// A sequence or mapping ends: its node, with merges applied and
    /// duplicate keys reported.
    fn end_collection(&mut self, span: Range<usize>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let start = match &frame {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        };
        // a block collection ends with its last child; an empty or
        // flow one with its closing token
        let end = if self.last_end > start
            && !self
                .text
                .get(span.clone())
                .is_some_and(|t| t.ends_with(']') || t.ends_with('}'))
        {
            self.last_end
        } else {
            span.end.max(self.last_end)
        };
        let (mut node, anchor_id) = match frame {
            Frame::Seq {
                start,
                items,
                anchor_id,
                tag,
            } => (
                Node {
                    span: start..end.max(start),
                    kind: NodeKind::Seq(items),
                    tag,
                },
                anchor_id,
            ),
            Frame::Map {
                start,
                entries,
                anchor_id,
                tag,
                ..
            } => {
                let entries = self.merge(entries);
                self.duplicates(&entries);
                (
                    Node {
                        span: start..end.max(start),
                        kind: NodeKind::Map(entries),
                        tag,
                    },
                    anchor_id,
                )
            }
        };
        self.remember(anchor_id, &mut node);
        self.attach(node);
    }

    /// Apply `<<` merge keys.
    fn merge(&mut self, entries: Vec<Entry>) -> Vec<Entry> {
        let is_merge = |e: &Entry| {
            e.key.style() == Some(ScalarStyle::Plain)
                && matches!(&e.key.kind, NodeKind::Scalar(s) if &*s.value == "<<")
        };
        if !entries.iter().any(is_merge) {
            return entries;
        }
        let (merges, mut out): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(is_merge);
        let mut have: Vec<String> = out
            .iter()
            .filter_map(|e| e.key.as_str().map(str::to_string))
            .collect();
        for m in merges {
            let sources: Vec<Node> = match m.value.kind {
                NodeKind::Map(_) => vec![m.value],
                NodeKind::Seq(items) => items,
                _ => {
                    self.error(
                        m.value.span.clone(),
                        "`<<` must merge a mapping or a list of mappings".into(),
                    );
                    continue;
                }
            };
            for src in sources {
                let span = src.span.clone();
                let NodeKind::Map(src_entries) = src.kind else {
                    self.error(span, "`<<` must merge a mapping".into());
                    continue;
                };
                for e in src_entries {
                    let key = e.key.as_str().map(str::to_string);
                    if let Some(k) = &key {
                        if have.contains(k) {
                            continue;
                        }
                        have.push(k.clone());
                    }
                    out.push(Entry {
                        key: e.key,
                        value: e.value,
                        merged: true,
                    });
                }
            }
        }
        out
    }

    fn duplicates(&mut self, entries: &[Entry]) {
        let mut seen: HashMap<&str, &Range<usize>> = HashMap::new();
        for e in entries.iter().filter(|e| !e.merged) {
            if let Some(k) = e.key.as_str() {
                if let Some(first) = seen.get(k) {
                    self.stream.duplicate_keys.push(DuplicateKey {
                        key: k.to_string(),
                        first: (*first).clone(),
                        second: e.key.span.clone(),
                    });
                } else {
                    seen.insert(k, &e.key.span);
                }
            }
        }
    }
}

/// Parse a YAML stream.
pub fn parse(text: &str, limits: &Limits) -> Stream {
    let mut options = granit_parser::Options::default();
    options.emit_comments = false;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut b = Builder {
        text,
        limits: *limits,
        nodes: 0,
        docs: 0,
        stack: Vec::new(),
        anchors: HashMap::new(),
        stream: Stream::default(),
        last_end: 0,
        abandon: false,
    };
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((ev, span))) => {
                let range = b.range(&span);
                if matches!(ev, Event::DocumentStart(..)) && b.docs >= b.limits.max_docs {
                    b.error(
                        range,
                        format!(
                            "more than {} documents in one file; the rest of the file was not read",
                            b.limits.max_docs
                        ),
                    );
                    break;
                }
                b.event(ev, range);
                if b.abandon {
                    b.abandon = false;
                    b.stack.clear();
                    b.anchors.clear();
                    match parser.proceed_next_document() {
                        Ok(true) => continue,
                        _ => break,
                    }
                }
            }
            Some(Err(e)) => {
                let m = e.marker();
                let at = m
                    .byte_offset()
                    .unwrap_or_else(|| char_to_byte(text, m.index()))
                    .min(text.len());
                let end = text
                    .get(at..)
                    .and_then(|r| r.chars().next())
                    .map_or(at, |c| at + c.len_utf8());
                b.error(at..end, e.info());
                b.stack.clear();
                b.anchors.clear();
                match parser.proceed_next_document() {
                    Ok(true) => continue,
                    _ => break,
                }
            }
        }
    }
    b.stream
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let s = parse(text, &Limits::default());
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        s.docs.into_iter().next().expect("a document")
    }

    fn slice<'a>(text: &'a str, n: &Node) -> &'a str {
        &text[n.span.clone()]
    }

    #[test]
    fn spans_of_keys_and_values() {
        let t =
            "é: 1\nservices:\n  web:\n    image: \"ng\\tinx\"\n    x: 'a''b'\n    y: plain text\n";
        let d = one(t);
        let web = d.get("services").and_then(|s| s.get("web")).expect("web");
        let img = web.get("image").expect("image");
        assert_eq!(img.as_str(), Some("ng\tinx"));
        assert_eq!(slice(t, img), "\"ng\\tinx\"");
        assert_eq!(&t[img.content_span()], "ng\\tinx");
        assert_eq!(slice(t, web.get("x").expect("x")), "'a''b'");
        assert_eq!(slice(t, web.get("y").expect("y")), "plain text");
        let key = &web.entry("y").expect("y").key;
        assert_eq!(slice(t, key), "y");
    }

    #[test]
    fn block_scalars_and_flow_collections() {
        let t = "a: |\n  line1\n  line2\nb: {c: 1, d: \"x\"}\ne: [1, two]\n";
        let d = one(t);
        assert_eq!(d.get("a").and_then(Node::as_str), Some("line1\nline2\n"));
        let b = d.get("b").expect("b");
        assert_eq!(slice(t, b.get("d").expect("d")), "\"x\"");
        assert_eq!(d.get("e").expect("e").items().len(), 2);
        assert!(slice(t, d.get("a").expect("a")).contains("line1"));
    }

    #[test]
    fn empty_values_are_null() {
        let d = one("a:\nb: ~\nc: ''\n");
        assert!(d.get("a").expect("a").is_null());
        assert!(d.get("b").expect("b").is_null());
        assert!(!d.get("c").expect("c").is_null());
        assert_eq!(d.get("c").and_then(Node::as_str), Some(""));
    }

    #[test]
    fn multi_document() {
        let s = parse("a: 1\n---\nb: 2\n---\n", &Limits::default());
        assert_eq!(s.docs.len(), 2, "{:?}", s.docs);
    }

    #[test]
    fn anchors_aliases_and_merges() {
        let t = "x: &base\n  A: 1\n  B: 2\ny:\n  <<: *base\n  B: 3\nz: *base\n";
        let d = one(t);
        let y = d.get("y").expect("y");
        assert_eq!(y.get("A").and_then(Node::as_str), Some("1"));
        assert_eq!(y.get("B").and_then(Node::as_str), Some("3"));
        assert!(y.entry("A").expect("A").merged);
        assert_eq!(y.entries().len(), 2);
        // an alias keeps the span of the definition
        let a = d.get("z").and_then(|z| z.get("A")).expect("A");
        assert_eq!(a.span, d.get("x").and_then(|x| x.get("A")).expect("A").span);
    }

    #[test]
    fn merge_lists_earlier_wins() {
        let d = one("a: &a {K: 1}\nb: &b {K: 2, L: 3}\nc:\n  <<: [*a, *b]\n");
        let c = d.get("c").expect("c");
        assert_eq!(c.get("K").and_then(Node::as_str), Some("1"));
        assert_eq!(c.get("L").and_then(Node::as_str), Some("3"));
    }

    #[test]
    fn duplicate_keys_are_kept_and_reported() {
        let s = parse("a: 1\na: 2\n", &Limits::default());
        assert_eq!(s.duplicate_keys.len(), 1);
        assert_eq!(s.duplicate_keys[0].key, "a");
        let d = &s.docs[0];
        assert_eq!(d.entries().len(), 2);
        assert_eq!(d.get("a").and_then(Node::as_str), Some("2"));
    }

    #[test]
    fn alias_bomb_is_an_error_not_an_oom() {
        let mut t = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names: Vec<char> = "abcdefghij".chars().collect();
        for w in names.windows(2) {
            let (p, n) = (w[0], w[1]);
            t.push_str(&format!(
                "{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
            ));
        }
        let s = parse(&t, &Limits::default());
        assert!(
            s.errors.iter().any(|e| e.message.contains("alias")),
            "{:?}",
            s.errors
        );
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let t = "[".repeat(100_000);
        let s = parse(&t, &Limits::default());
        assert!(!s.errors.is_empty());
    }

    #[test]
    fn syntax_error_keeps_other_documents() {
        let t = "ok: 1\n---\nbroken: [1, 2\n---\nfine: 3\n";
        let s = parse(t, &Limits::default());
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        let keys: Vec<&str> = s
            .docs
            .iter()
            .flat_map(|d| d.entries().iter().filter_map(|e| e.key.as_str()))
            .collect();
        assert!(keys.contains(&"ok") && keys.contains(&"fine"), "{keys:?}");
        let e = &s.errors[0];
        assert!(e.span.start > t.find("broken").expect("broken"), "{e:?}");
    }

    #[test]
    fn empty_and_comment_only_input() {
        assert!(parse("", &Limits::default()).docs.is_empty());
        let s = parse("# only a comment\n", &Limits::default());
        assert!(s.errors.is_empty());
        assert!(s.docs.is_empty());
    }

    #[test]
    fn undefined_alias_is_an_error() {
        let s = parse("a: *nope\n", &Limits::default());
        assert!(!s.errors.is_empty());
    }
}
