//! Code blocks of a Markdown document, with the byte ranges of their lines.
//!
//! READMEs, issue reports and blog posts carry configuration in code blocks.
//! pulldown-cmark (CommonMark) finds the blocks, fenced and indented, inside
//! lists and quotes too, and gives the byte range of every piece of their
//! content; [`blank_outside`] turns a document into a text of the same
//! length and lines in which only one block is left, so that any other
//! parser reads the block with positions that are the document's own.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// One code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The info string's first word, lower case (`yaml`, `sh`, …); empty
    /// for an indented block or a bare fence.
    pub lang: String,
    /// The byte ranges of its content, in order (one per line or less).
    pub content: Vec<Range<usize>>,
    /// The byte range of the whole block, fences included.
    pub span: Range<usize>,
}

impl Block {
    /// The content as one string (the pieces joined).
    pub fn text(&self, doc: &str) -> String {
        let mut s = String::new();
        for r in &self.content {
            s.push_str(doc.get(r.clone()).unwrap_or(""));
        }
        s
    }
}

/// The code blocks of `doc`, at most `max` of them.
pub fn code_blocks(doc: &str, max: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur: Option<Block> = None;
    for (event, range) in Parser::new_ext(doc, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                cur = Some(Block {
                    lang,
                    content: Vec::new(),
                    span: range,
                });
            }
            Event::Text(_) => {
                if let Some(b) = cur.as_mut() {
                    b.content.push(range);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = cur.take() {
                    out.push(b);
                    if out.len() >= max {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `doc` with every byte outside `keep` turned into a space, line breaks
/// kept: the same length, the same lines, the same columns.
pub fn blank_outside(doc: &str, keep: &[Range<usize>]) -> String {
    let mut bytes: Vec<u8> = doc
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    for r in keep {
        if let (Some(src), Some(dst)) = (doc.as_bytes().get(r.clone()), bytes.get_mut(r.clone())) {
            dst.copy_from_slice(src);
        }
    }
    // kept ranges start and end on character boundaries (they come from the
    // parser); every other byte is ASCII
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fenced_blocks_in_lists_and_quotes() {
        let doc = "# Title\n\n```yaml\nservices:\n  a: {}\n```\n\n- item\n\n  ```sh\n  docker run x\n  ```\n\n> ```env\n> A=1\n> ```\n";
        let b = code_blocks(doc, 10);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].lang, "yaml");
        assert_eq!(b[0].text(doc), "services:\n  a: {}\n");
        assert_eq!(b[1].lang, "sh");
        assert_eq!(b[1].text(doc), "docker run x\n");
        assert_eq!(b[2].lang, "env");
        assert_eq!(b[2].text(doc), "A=1\n");
        let blank = blank_outside(doc, &b[2].content);
        assert_eq!(blank.len(), doc.len());
        assert_eq!(blank.lines().count(), doc.lines().count());
        assert_eq!(blank.trim(), "A=1");
        let line = blank.lines().nth(14).unwrap();
        assert_eq!(line, "  A=1");
    }

    #[test]
    fn keeps_non_ascii_text_valid() {
        let doc = "é ü\n```\nK=é\n```\n";
        let b = code_blocks(doc, 10);
        let blank = blank_outside(doc, &b[0].content);
        assert_eq!(blank.len(), doc.len());
        assert!(blank.contains("K=é"));
    }

    #[test]
    fn stops_at_the_limit() {
        let doc = "```\na\n```\n".repeat(20);
        assert_eq!(code_blocks(&doc, 5).len(), 5);
    }
}
