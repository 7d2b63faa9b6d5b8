#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint::syntax::xml::{self, Element};
use sessionlint_fuzz::{check_span, lint_files, text};

fn check_element(text: &str, e: &Element) {
    check_span(text, &e.name_span, "name");
    check_span(text, &e.text_span, "text");
    for a in &e.attrs {
        check_span(text, &a.name_span, "attribute name");
        check_span(text, &a.value_span, "attribute value");
    }
    for c in &e.children {
        check_element(text, c);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let doc = xml::parse(&text, &xml::Limits::default());
    if let Some(root) = &doc.root {
        check_element(&text, root);
    }
    for e in &doc.errors {
        check_span(&text, &e.span, "error");
    }
    lint_files(vec![(
        "WEB-INF/web.xml",
        sessionlint::source::FileKind::ServletXml,
        text,
    )]);
});
