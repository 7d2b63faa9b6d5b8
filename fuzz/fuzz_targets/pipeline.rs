#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint::source::FileKind;

// A small repository: the input is split on NUL bytes into the texts of a
// compose file, its .env, a Kubernetes manifest, a values.yaml, an nginx
// file and app configs, so the cross-file model (interpolation, env_file,
// Services, routes) sees related files.
fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0).map(sessionlint_fuzz::text);
    let mut next = || parts.next().unwrap_or_default();
    sessionlint_fuzz::lint_files(vec![
        ("app/compose.yaml", FileKind::Compose, next()),
        ("app/.env", FileKind::Dotenv, next()),
        ("app/.env.example", FileKind::DotenvExample, next()),
        ("k8s/app.yaml", FileKind::Kubernetes, next()),
        ("chart/values.yaml", FileKind::HelmValues, next()),
        ("app/nginx/default.conf", FileKind::Nginx, next()),
        ("app/php/php.ini", FileKind::Ini, next()),
        ("app/redis.conf", FileKind::RedisConf, next()),
        ("app/application.properties", FileKind::Properties, next()),
    ]);
});
