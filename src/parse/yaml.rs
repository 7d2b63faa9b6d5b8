//! stub
use std::ops::Range;
#[derive(Debug, Clone)]
pub struct Limits { pub max_nodes: usize, pub max_depth: usize }
impl Default for Limits { fn default() -> Self { Limits { max_nodes: 1, max_depth: 1 } } }
pub struct Stream { pub docs: Vec<Node>, pub errors: Vec<YamlError>, pub duplicate_keys: Vec<DuplicateKey>, pub comments: Vec<Range<usize>> }
pub struct YamlError { pub span: Range<usize>, pub message: String }
pub struct DuplicateKey { pub key: String, pub first: Range<usize>, pub second: Range<usize> }
pub struct Node { pub span: Range<usize>, pub kind: NodeKind, pub tag: Option<String>, pub anchor: Option<String> }
pub enum NodeKind { Scalar(Scalar), Seq(Vec<Node>), Map(Vec<Entry>) }
pub struct Scalar { pub value: String }
pub struct Entry { pub key: Node, pub value: Node, pub merged: bool }
pub fn parse(_t: &str, _l: &Limits) -> Stream { Stream { docs: vec![], errors: vec![], duplicate_keys: vec![], comments: vec![] } }
impl Node {
    pub fn get(&self, _k: &str) -> Option<&Node> { None }
    pub fn entries(&self) -> &[Entry] { &[] }
    pub fn items(&self) -> &[Node] { &[] }
    pub fn as_str(&self) -> Option<&str> { None }
    pub fn is_null(&self) -> bool { false }
    pub fn is_map(&self) -> bool { false }
    pub fn is_seq(&self) -> bool { false }
    pub fn as_bool(&self) -> Option<bool> { None }
    pub fn content_span(&self) -> Range<usize> { self.span.clone() }
}
