//! stub
use std::ops::Range;
#[derive(Debug, Clone)]
pub enum Piece { Lit { text: String, span: Range<usize> }, Var(VarRef) }
#[derive(Debug, Clone)]
pub struct VarRef { pub name: String, pub span: Range<usize>, pub name_span: Range<usize>, pub braced: bool, pub op: Op, pub arg: Option<Arg> }
#[derive(Debug, Clone)]
pub struct Arg { pub raw: String, pub span: Range<usize>, pub pieces: Vec<Piece> }
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op { Plain, DefaultIfUnsetOrEmpty, DefaultIfUnset, ErrorIfUnsetOrEmpty, ErrorIfUnset, AltIfSetNonEmpty, AltIfSet }
#[derive(Debug, Clone)]
pub struct InterpError { pub span: Range<usize>, pub message: String }
pub fn parse_template(_s: &str) -> Result<Vec<Piece>, InterpError> { Ok(vec![]) }
pub struct Evaluated { pub value: String, pub unresolved: Vec<String>, pub defaults_used: Vec<VarRef>, pub errors: Vec<(VarRef, String)> }
pub fn evaluate(_p: &[Piece], _l: &dyn Fn(&str) -> Option<String>) -> Evaluated { Evaluated { value: String::new(), unresolved: vec![], defaults_used: vec![], errors: vec![] } }
