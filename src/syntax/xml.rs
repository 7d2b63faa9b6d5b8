//! XML with spans, for the descriptors of Java servlet containers
//! (`web.xml`, Tomcat's `context.xml` and `server.xml`).
//!
//! Elements, attributes, text, CDATA sections, comments, processing
//! instructions and a document type declaration are read; every element
//! keeps the span of its name, every attribute the span of its value, and
//! the text of an element the span of the text as written (without the
//! surrounding whitespace). Character references and the five predefined
//! entities are decoded. Nothing is ever fetched or expanded from a DTD:
//! an entity declared in the document type declaration is left
//! unexpanded and the text that uses it is marked (`unexpanded`), so an
//! external entity can neither read a file nor make the text grow.
//!
//! The first syntax error ends the reading; it is returned with its span,
//! and the elements read up to it are kept.

use std::ops::Range;

/// Bounds on what is read, against hostile input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Elements nested deeper than this are an error.
    pub max_depth: usize,
    /// More elements than this are an error.
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_elements: 200_000,
        }
    }
}

/// One attribute: `name="value"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: String,
    pub name_span: Range<usize>,
    /// The value with references decoded.
    pub value: String,
    /// The value between its quotes.
    pub value_span: Range<usize>,
}

/// One element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The name as written (with its namespace prefix, if any).
    pub name: String,
    pub name_span: Range<usize>,
    pub attrs: Vec<Attr>,
    pub children: Vec<Element>,
    /// The element's own text (text and CDATA directly inside it), with
    /// references decoded and surrounding whitespace trimmed.
    pub text: String,
    /// Where that text is written; an empty range after the start tag when
    /// the element has no text.
    pub text_span: Range<usize>,
    /// The entity the text uses that was not expanded, if any.
    pub unexpanded: Option<String>,
}

impl Element {
    /// The name without its namespace prefix.
    pub fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }
}

/// A syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub span: Range<usize>,
    pub message: String,
}

/// What was read.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub root: Option<Element>,
    pub errors: Vec<Error>,
}

/// Text pieces of an element being read.
struct Open {
    el: Element,
    /// (decoded text, span) of each piece of text.
    pieces: Vec<(String, Range<usize>)>,
    /// End of the start tag.
    after_start: usize,
}

impl Open {
    fn finish(mut self) -> Element {
        let mut text = String::new();
        for (t, _) in &self.pieces {
            text.push_str(t);
        }
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.el.text = String::new();
            self.el.text_span = self.after_start..self.after_start;
        } else {
            self.el.text = trimmed.to_string();
            let first = self
                .pieces
                .iter()
                .find(|(t, _)| !t.trim().is_empty())
                .map(|(_, s)| s.clone());
            let last = self
                .pieces
                .iter()
                .rev()
                .find(|(t, _)| !t.trim().is_empty())
                .map(|(_, s)| s.clone());
            if let (Some(f), Some(l)) = (first, last) {
                self.el.text_span = f.start..l.end;
            }
        }
        self.el
    }
}

/// The span of `raw` (which starts at `at`) without surrounding whitespace.
fn trimmed(raw: &str, at: usize) -> Range<usize> {
    let lead = raw.len() - raw.trim_start().len();
    at + lead..at + lead + raw.trim().len()
}

fn err(span: Range<usize>, message: impl Into<String>) -> Error {
    Error {
        span,
        message: message.into(),
    }
}

fn is_name_end(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'=' | b'<' | b'"' | b'\'')
}

/// Parse an XML document.
pub fn parse(text: &str, limits: &Limits) -> Document {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        stack: Vec::new(),
        root: None,
        elements: 0,
        limits: *limits,
        declared: Vec::new(),
    };
    let error = p.run().err();
    // keep what was read before an error: close every open element
    while let Some(open) = p.stack.pop() {
        let el = open.finish();
        match p.stack.last_mut() {
            Some(parent) => parent.el.children.push(el),
            None => p.root = Some(el),
        }
    }
    Document {
        root: p.root,
        errors: error.into_iter().collect(),
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    stack: Vec<Open>,
    root: Option<Element>,
    elements: usize,
    limits: Limits,
    /// Entities declared in the document type declaration.
    declared: Vec<String>,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn find(&self, needle: &str) -> Option<usize> {
        self.rest().find(needle).map(|i| self.pos + i)
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn skip_ws(&mut self) {
        while self.byte(self.pos).is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn run(&mut self) -> Result<(), Error> {
        // a byte order mark
        if self.rest().starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
        while self.pos < self.bytes.len() {
            let rest = self.rest();
            if rest.starts_with("<!--") {
                let start = self.pos;
                match self.text.get(start + 4..).and_then(|r| r.find("-->")) {
                    Some(i) => self.pos = start + 4 + i + 3,
                    None => return Err(err(start..start + 4, "comment is not closed (`-->`)")),
                }
            } else if rest.starts_with("<![CDATA[") {
                let start = self.pos;
                let inner = start + 9;
                let Some(i) = self.text.get(inner..).and_then(|r| r.find("]]>")) else {
                    return Err(err(start..inner, "CDATA section is not closed (`]]>`)"));
                };
                let content = self.text.get(inner..inner + i).unwrap_or("");
                let span = trimmed(content, inner);
                self.text_piece(content.to_string(), span, start..inner)?;
                self.pos = inner + i + 3;
            } else if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype") {
                self.doctype()?;
            } else if rest.starts_with("<?") {
                let start = self.pos;
                match self.find("?>") {
                    Some(i) => self.pos = i + 2,
                    None => {
                        return Err(err(
                            start..start + 2,
                            "processing instruction is not closed (`?>`)",
                        ));
                    }
                }
            } else if rest.starts_with("</") {
                self.end_tag()?;
            } else if rest.starts_with("<!") {
                let start = self.pos;
                return Err(err(start..start + 2, "unknown markup declaration"));
            } else if rest.starts_with('<') {
                self.start_tag()?;
            } else {
                let start = self.pos;
                let end = self.find("<").unwrap_or(self.bytes.len());
                let raw = self.text.get(start..end).unwrap_or("");
                let (decoded, unexpanded) = self.decode(raw, start)?;
                self.pos = end;
                if let Some(open) = self.stack.last_mut() {
                    if open.el.unexpanded.is_none() {
                        open.el.unexpanded = unexpanded;
                    }
                    open.pieces.push((decoded, trimmed(raw, start)));
                } else if !decoded.trim().is_empty() {
                    let lead = raw.len() - raw.trim_start().len();
                    let s = start + lead;
                    return Err(err(
                        s..s + raw.trim().len(),
                        "text outside the root element",
                    ));
                }
            }
        }
        if let Some(open) = self.stack.last() {
            return Err(err(
                open.el.name_span.clone(),
                format!("element `<{}>` is not closed", open.el.name),
            ));
        }
        if self.root.is_none() {
            return Err(err(self.pos..self.pos, "no root element"));
        }
        Ok(())
    }

    /// A piece of text or CDATA (`at` is where the construct starts).
    fn text_piece(
        &mut self,
        text: String,
        span: Range<usize>,
        at: Range<usize>,
    ) -> Result<(), Error> {
        match self.stack.last_mut() {
            Some(open) => {
                open.pieces.push((text, span));
                Ok(())
            }
            None => Err(err(at, "CDATA outside the root element")),
        }
    }

    /// `<!DOCTYPE name … [ internal subset ]>`: skipped, with the names of
    /// the entities it declares remembered.
    fn doctype(&mut self) -> Result<(), Error> {
        let start = self.pos;
        if self.root.is_some() || !self.stack.is_empty() {
            return Err(err(
                start..start + 9,
                "document type declaration after the root element",
            ));
        }
        let mut i = start + 9;
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        while let Some(b) = self.byte(i) {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None => match b {
                    b'"' | b'\'' => quote = Some(b),
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'<' if depth > 0 => {
                        let decl = self.text.get(i..).unwrap_or("");
                        if let Some(d) = decl.strip_prefix("<!ENTITY") {
                            let name = d
                                .trim_start()
                                .trim_start_matches('%')
                                .trim_start()
                                .split(|c: char| c.is_ascii_whitespace())
                                .next()
                                .unwrap_or("");
                            if !name.is_empty() {
                                self.declared.push(name.to_string());
                            }
                        } else if decl.starts_with("<!--") {
                            match decl.find("-->") {
                                Some(e) => {
                                    i += e + 3;
                                    continue;
                                }
                                None => {
                                    return Err(err(i..i + 4, "comment is not closed (`-->`)"));
                                }
                            }
                        }
                    }
                    b'>' if depth == 0 => {
                        self.pos = i + 1;
                        return Ok(());
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        Err(err(
            start..start + 9,
            "document type declaration is not closed (`>`)",
        ))
    }

    fn name(&mut self) -> Result<(String, Range<usize>), Error> {
        let start = self.pos;
        while self.byte(self.pos).is_some_and(|b| !is_name_end(b)) {
            self.pos += 1;
        }
        if self.pos == start {
            let end = (start + 1).min(self.bytes.len());
            return Err(err(start..end, "expected a name"));
        }
        let name = self.text.get(start..self.pos).unwrap_or("").to_string();
        Ok((name, start..self.pos))
    }

    fn start_tag(&mut self) -> Result<(), Error> {
        let lt = self.pos;
        self.pos += 1;
        let (name, name_span) = self.name()?;
        if self.root.is_some() && self.stack.is_empty() {
            return Err(err(name_span, "a second root element"));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(err(
                name_span,
                format!("elements nested deeper than {}", self.limits.max_depth),
            ));
        }
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(err(
                name_span,
                format!("more than {} elements", self.limits.max_elements),
            ));
        }
        let mut attrs: Vec<Attr> = Vec::new();
        loop {
            let before = self.pos;
            self.skip_ws();
            match self.byte(self.pos) {
                Some(b'>') => {
                    self.pos += 1;
                    self.open(name, name_span, attrs);
                    return Ok(());
                }
                Some(b'/') if self.byte(self.pos + 1) == Some(b'>') => {
                    self.pos += 2;
                    self.open(name, name_span, attrs);
                    self.close();
                    return Ok(());
                }
                None => {
                    return Err(err(
                        lt..name_span.end,
                        format!("start tag `<{name}` is not closed (`>`)"),
                    ));
                }
                Some(_) if self.pos == before => {
                    let end = (self.pos + 1).min(self.bytes.len());
                    return Err(err(
                        self.pos..end,
                        "expected whitespace, `>` or `/>` in a start tag",
                    ));
                }
                Some(_) => {
                    let attr = self.attribute()?;
                    if attrs.iter().any(|a| a.name == attr.name) {
                        return Err(err(
                            attr.name_span,
                            format!("attribute `{}` is given twice", attr.name),
                        ));
                    }
                    attrs.push(attr);
                }
            }
        }
    }

    fn attribute(&mut self) -> Result<Attr, Error> {
        let (name, name_span) = self.name()?;
        self.skip_ws();
        if self.byte(self.pos) != Some(b'=') {
            return Err(err(
                name_span,
                format!("attribute `{name}` has no value (`=\"…\"`)"),
            ));
        }
        self.pos += 1;
        self.skip_ws();
        let q = match self.byte(self.pos) {
            Some(q @ (b'"' | b'\'')) => q,
            _ => {
                return Err(err(
                    name_span,
                    format!("the value of attribute `{name}` is not quoted"),
                ));
            }
        };
        let vstart = self.pos + 1;
        let Some(len) = self
            .bytes
            .get(vstart..)
            .and_then(|r| r.iter().position(|&b| b == q))
        else {
            return Err(err(
                name_span,
                format!("the value of attribute `{name}` is not closed"),
            ));
        };
        let vend = vstart + len;
        let raw = self.text.get(vstart..vend).unwrap_or("");
        if let Some(i) = raw.find('<') {
            return Err(err(vstart + i..vstart + i + 1, "`<` in an attribute value"));
        }
        let (value, _) = self.decode(raw, vstart)?;
        self.pos = vend + 1;
        Ok(Attr {
            name,
            name_span,
            value,
            value_span: vstart..vend,
        })
    }

    fn open(&mut self, name: String, name_span: Range<usize>, attrs: Vec<Attr>) {
        self.stack.push(Open {
            el: Element {
                name,
                name_span,
                attrs,
                children: Vec::new(),
                text: String::new(),
                text_span: self.pos..self.pos,
                unexpanded: None,
            },
            pieces: Vec::new(),
            after_start: self.pos,
        });
    }

    fn close(&mut self) {
        if let Some(open) = self.stack.pop() {
            let el = open.finish();
            match self.stack.last_mut() {
                Some(parent) => parent.el.children.push(el),
                None => self.root = Some(el),
            }
        }
    }

    fn end_tag(&mut self) -> Result<(), Error> {
        let lt = self.pos;
        self.pos += 2;
        let (name, name_span) = self.name()?;
        self.skip_ws();
        if self.byte(self.pos) != Some(b'>') {
            return Err(err(
                lt..name_span.end,
                format!("end tag `</{name}` is not closed (`>`)"),
            ));
        }
        self.pos += 1;
        match self.stack.last() {
            Some(open) if open.el.name == name => {
                self.close();
                Ok(())
            }
            Some(open) => Err(err(
                name_span,
                format!(
                    "end tag `</{name}>` does not match the open element `<{}>`",
                    open.el.name
                ),
            )),
            None => Err(err(
                name_span,
                format!("end tag `</{name}>` without a start tag"),
            )),
        }
    }

    /// Decode references in `raw` (which starts at `at`). Returns the text
    /// and the first entity declared in the DTD it uses (left as written).
    fn decode(&self, raw: &str, at: usize) -> Result<(String, Option<String>), Error> {
        if !raw.contains('&') {
            return Ok((raw.to_string(), None));
        }
        let mut out = String::with_capacity(raw.len());
        let mut unexpanded = None;
        let mut rest = raw;
        let mut off = at;
        while let Some(i) = rest.find('&') {
            out.push_str(rest.get(..i).unwrap_or(""));
            let after = rest.get(i + 1..).unwrap_or("");
            let amp = off + i;
            let Some(semi) = after.find(';').filter(|&s| s <= 32) else {
                return Err(err(
                    amp..amp + 1,
                    "`&` that starts no reference (write `&amp;`)",
                ));
            };
            let name = after.get(..semi).unwrap_or("");
            let whole = amp..amp + semi + 2;
            match name {
                "lt" => out.push('<'),
                "gt" => out.push('>'),
                "amp" => out.push('&'),
                "quot" => out.push('"'),
                "apos" => out.push('\''),
                n if n.starts_with('#') => {
                    let digits = n.get(1..).unwrap_or("");
                    let code = match digits.strip_prefix('x') {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => digits.parse::<u32>().ok(),
                    };
                    match code.and_then(char::from_u32).filter(|&c| c != '\0') {
                        Some(c) => out.push(c),
                        None => {
                            return Err(err(whole, format!("invalid character reference `&{n};`")));
                        }
                    }
                }
                n if self.declared.iter().any(|d| d == n) => {
                    // declared in the DTD: never expanded
                    out.push('&');
                    out.push_str(n);
                    out.push(';');
                    if unexpanded.is_none() {
                        unexpanded = Some(n.to_string());
                    }
                }
                n => {
                    return Err(err(whole, format!("undefined entity `&{n};`")));
                }
            }
            rest = after.get(semi + 1..).unwrap_or("");
            off = amp + semi + 2;
        }
        out.push_str(rest);
        Ok((out, unexpanded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(t: &str) -> Document {
        parse(t, &Limits::default())
    }

    fn child<'a>(e: &'a Element, name: &str) -> &'a Element {
        e.children
            .iter()
            .find(|c| c.name == name)
            .expect("child element")
    }

    #[test]
    fn spans_of_names_text_and_attributes() {
        let t = "<?xml version=\"1.0\"?>\n<web-app>\n  <session-config>\n    <session-timeout> 30 </session-timeout>\n  </session-config>\n  <Manager pathname=\"\" className='x.Y'/>\n</web-app>\n";
        let d = doc(t);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let root = d.root.expect("root");
        assert_eq!(root.name, "web-app");
        let st = child(child(&root, "session-config"), "session-timeout");
        assert_eq!(st.text, "30");
        assert_eq!(&t[st.text_span.clone()], "30");
        assert_eq!(&t[st.name_span.clone()], "session-timeout");
        let m = child(&root, "Manager");
        assert_eq!(m.attrs.len(), 2);
        assert_eq!(m.attrs[0].name, "pathname");
        assert_eq!(m.attrs[0].value, "");
        assert_eq!(m.attrs[0].value_span, {
            let s = t.find("pathname=\"").expect("at") + 10;
            s..s
        });
        assert_eq!(&t[m.attrs[1].value_span.clone()], "x.Y");
    }

    #[test]
    fn comments_are_skipped() {
        let t =
            "<!-- <session-timeout>1</session-timeout> -->\n<a><!-- x --><b>2<!-- y --></b></a>";
        let d = doc(t);
        assert!(d.errors.is_empty());
        let root = d.root.expect("root");
        assert_eq!(root.children.len(), 1);
        assert_eq!(root.children[0].text, "2");
    }

    #[test]
    fn cdata_and_entities() {
        let t = "<a><b><![CDATA[ <x> & y ]]></b><c>&lt;&amp;&#65;&#x42;&quot;</c></a>";
        let d = doc(t);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let root = d.root.expect("root");
        let b = child(&root, "b");
        assert_eq!(b.text, "<x> & y");
        assert_eq!(&t[b.text_span.clone()], "<x> & y");
        assert_eq!(child(&root, "c").text, "<&AB\"");
    }

    #[test]
    fn dtd_entities_are_never_expanded() {
        let t = "<!DOCTYPE a [\n  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n  <!ENTITY big \"aaaaaaaa\">\n]>\n<a><b>&xxe;</b><c>&big;&big;</c></a>";
        let d = doc(t);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let root = d.root.expect("root");
        let b = child(&root, "b");
        assert_eq!(b.text, "&xxe;");
        assert_eq!(b.unexpanded.as_deref(), Some("xxe"));
        assert_eq!(child(&root, "c").text, "&big;&big;");
    }

    #[test]
    fn undefined_entity_is_an_error() {
        let t = "<a>\n<b>&nope;</b></a>";
        let d = doc(t);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(&t[d.errors[0].span.clone()], "&nope;");
    }

    #[test]
    fn malformed_documents_report_where() {
        let cases: &[(&str, &str)] = &[
            ("<a>\n  <b>1</c>\n</a>", "c"),
            ("<a>\n  <b>1</b>\n", "a"),
            ("<a x=1></a>", "x"),
            ("<a>\n<!-- open", "<!--"),
            ("<a></a><b></b>", "b"),
            ("<a x='1' x='2'/>", "x"),
            ("<a>&</a>", "&"),
            ("", ""),
            ("just text", "just text"),
            ("<a><![CDATA[ x</a>", "<![CDATA["),
            ("<a", "<a"),
        ];
        for (t, at) in cases {
            let d = doc(t);
            assert_eq!(d.errors.len(), 1, "{t:?}");
            assert_eq!(&t[d.errors[0].span.clone()], *at, "{t:?}");
        }
    }

    #[test]
    fn elements_before_an_error_are_kept() {
        let d = doc("<a><b>1</b><c>2</d></a>");
        assert_eq!(d.errors.len(), 1);
        let root = d.root.expect("root");
        assert_eq!(child(&root, "b").text, "1");
    }

    #[test]
    fn depth_and_count_are_bounded() {
        let deep = "<a>".repeat(10_000);
        let d = doc(&deep);
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].message.contains("deeper"));
        let many = format!("<a>{}</a>", "<b/>".repeat(300_000));
        let d = doc(&many);
        assert!(d.errors[0].message.contains("more than"));
    }

    fn spans_ok(t: &str, e: &Element) {
        for s in [&e.name_span, &e.text_span]
            .into_iter()
            .chain(e.attrs.iter().flat_map(|a| [&a.name_span, &a.value_span]))
        {
            assert!(s.start <= s.end && s.end <= t.len());
            assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
        }
        for c in &e.children {
            spans_ok(t, c);
        }
    }

    proptest::proptest! {
        #[test]
        fn spans_stay_in_the_text(t in "[<>/!?\\[\\]a-cé='\" &;#x0-9CDATA\n-]{0,80}") {
            let d = doc(&t);
            if let Some(r) = &d.root {
                spans_ok(&t, r);
            }
            for e in &d.errors {
                proptest::prop_assert!(e.span.end <= t.len() && t.is_char_boundary(e.span.start) && t.is_char_boundary(e.span.end));
            }
        }
    }

    #[test]
    fn never_panics_on_cut_input() {
        let t = "<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE x [<!ENTITY e 'v'>]>\n<x a=\"&amp;é\"><y><![CDATA[z]]>&e;&#233;</y><!-- c --><z/></x>";
        for i in 0..=t.len() {
            if t.is_char_boundary(i) {
                let _ = doc(&t[..i]);
            }
        }
    }
}
