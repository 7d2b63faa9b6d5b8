#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = sessionlint_fuzz::text(data);
    let path = std::path::Path::new(".sessionlint.toml");
    if let Ok(config) = sessionlint::lint::config::Config::parse(&text, path) {
        let mut rules = sessionlint_fuzz::rules().clone();
        let _ = config.apply_to_rules(&mut rules);
        let _ = config.wants(std::path::Path::new("deploy/.env"));
    }
});
