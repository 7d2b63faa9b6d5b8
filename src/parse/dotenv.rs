//! stub
use std::ops::Range;
pub struct DotenvFile { pub entries: Vec<Entry>, pub comments: Vec<Range<usize>>, pub errors: Vec<DotenvError> }
pub struct Entry { pub key: String, pub key_span: Range<usize>, pub value: String, pub value_span: Range<usize>, pub refs: Vec<DotenvRef>, pub export: bool, pub line: usize }
pub struct DotenvRef { pub var: crate::parse::interp::VarRef, pub span: Range<usize>, pub resolved: bool }
pub struct DotenvError { pub span: Range<usize>, pub message: String }
pub fn parse(_t: &str) -> DotenvFile { DotenvFile { entries: vec![], comments: vec![], errors: vec![] } }
