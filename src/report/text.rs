//! stub
pub struct TextOptions { pub color: bool }
pub fn render(_i: &super::ReportInput<'_>, _o: &TextOptions) -> String { String::new() }
