//! Secret values that only look strong: demo JWTs whose payload gives them
//! away, and password hashes (htpasswd lines, Traefik basic-auth users)
//! whose password is a well-known word.
//!
//! Hashes are checked by hashing each candidate word with the stored salt:
//! Apache's `$apr1$` MD5, `{SHA}` and bcrypt (`$2y$`, `$2a$`, `$2b$`).
//! bcrypt is slow by design, so only a short list of the most common words
//! is tried, and only for costs up to [`BCRYPT_MAX_COST`].

use md5::{Digest, Md5};

/// bcrypt hashes with a higher cost are not checked (each try would take
/// more than ~70 ms).
pub const BCRYPT_MAX_COST: u32 = 10;

/// Words tried against bcrypt hashes, besides the user name.
const BCRYPT_WORDS: &[&str] = &[
    "admin", "password", "test", "changeme", "secret", "123456", "admin123", "root", "guest",
];

/// A JWT whose payload says it is a public demo token.
pub fn known_jwt(value: &str) -> Option<String> {
    let v = value.trim();
    if !v.starts_with("eyJ") || v.len() > 8192 {
        return None;
    }
    let mut parts = v.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = crate::syntax::base64::decode_base64(payload)?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let iss = json.get("iss")?.as_str()?;
    (iss == "supabase-demo").then(|| {
        "the Supabase demo JWT (its payload says `\"iss\": \"supabase-demo\"`), signed with the sample JWT secret".to_string()
    })
}

/// One `user:hash` entry.
struct HashEntry<'a> {
    user: &'a str,
    hash: &'a str,
}

/// `user:hash` entries of an htpasswd file or a Traefik `basicauth.users`
/// value (comma-separated). `None` when the value is not of that shape.
fn hash_entries(value: &str) -> Option<Vec<HashEntry<'_>>> {
    let mut out = Vec::new();
    for item in value.split([',', '\n']) {
        let item = item.trim();
        if item.is_empty() || item.starts_with('#') {
            continue;
        }
        let (user, hash) = item.split_once(':')?;
        let known = hash.starts_with("$apr1$")
            || hash.starts_with("{SHA}")
            || hash.starts_with("$2y$")
            || hash.starts_with("$2a$")
            || hash.starts_with("$2b$");
        if !known {
            return None;
        }
        out.push(HashEntry {
            user: user.trim(),
            hash: hash.trim(),
        });
    }
    (!out.is_empty()).then_some(out)
}

/// Does the value hold a password hash (or several) of a known word?
/// `words` are the weak values to try (placeholders, shipped secrets).
pub fn weak_hash<'w>(value: &str, words: impl Iterator<Item = &'w str> + Clone) -> Option<String> {
    let entries = hash_entries(value)?;
    for e in &entries {
        let user_words = [e.user.to_string(), format!("{}123", e.user)];
        let first = |list: &mut dyn Iterator<Item = &str>, ok: &dyn Fn(&str) -> bool| {
            for w in list {
                if ok(w) {
                    return Some(w.to_string());
                }
            }
            None
        };
        let try_all = |ok: &dyn Fn(&str) -> bool| {
            first(&mut user_words.iter().map(String::as_str), ok)
                .or_else(|| first(&mut words.clone(), ok))
        };
        let found = if let Some(salt_hash) = e.hash.strip_prefix("$apr1$") {
            let salt = salt_hash.split('$').next().unwrap_or("");
            try_all(&|w| apr1(w.as_bytes(), salt.as_bytes()) == e.hash)
        } else if let Some(b64) = e.hash.strip_prefix("{SHA}") {
            try_all(&|w| sha1_b64(w.as_bytes()) == b64)
        } else {
            let cost: u32 = e.hash.get(4..6).and_then(|c| c.parse().ok()).unwrap_or(99);
            if cost > BCRYPT_MAX_COST {
                None
            } else {
                let ok = |w: &str| bcrypt::verify(w, e.hash).unwrap_or(false);
                first(&mut user_words.iter().map(String::as_str), &ok)
                    .or_else(|| first(&mut BCRYPT_WORDS.iter().copied(), &ok))
            }
        };
        if let Some(word) = found {
            let what = if word == e.user {
                "the user name itself".to_string()
            } else {
                "a well-known password".to_string()
            };
            return Some(format!(
                "a password hash for user `{}` whose password is {what}",
                e.user
            ));
        }
    }
    None
}

const ITOA64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn to64(out: &mut String, mut v: u32, n: usize) {
    for _ in 0..n {
        out.push(char::from(
            ITOA64.get((v & 0x3f) as usize).copied().unwrap_or(b'.'),
        ));
        v >>= 6;
    }
}

/// Apache's MD5-based crypt (`$apr1$salt$hash`).
pub fn apr1(pw: &[u8], salt: &[u8]) -> String {
    const MAGIC: &[u8] = b"$apr1$";
    let salt = salt.get(..salt.len().min(8)).unwrap_or(salt);
    let alt = Md5::new()
        .chain_update(pw)
        .chain_update(salt)
        .chain_update(pw)
        .finalize();
    let mut ctx = Md5::new();
    ctx.update(pw);
    ctx.update(MAGIC);
    ctx.update(salt);
    let mut left = pw.len();
    while left > 0 {
        let n = left.min(16);
        ctx.update(alt.get(..n).unwrap_or_default());
        left -= n;
    }
    let mut i = pw.len();
    while i > 0 {
        if i & 1 == 1 {
            ctx.update([0u8]);
        } else {
            ctx.update(pw.get(..1).unwrap_or_default());
        }
        i >>= 1;
    }
    let mut fin = ctx.finalize();
    for i in 0..1000 {
        let mut c = Md5::new();
        if i & 1 == 1 {
            c.update(pw);
        } else {
            c.update(fin);
        }
        if i % 3 != 0 {
            c.update(salt);
        }
        if i % 7 != 0 {
            c.update(pw);
        }
        if i & 1 == 1 {
            c.update(fin);
        } else {
            c.update(pw);
        }
        fin = c.finalize();
    }
    let f = |i: usize| u32::from(fin.get(i).copied().unwrap_or(0));
    let mut out = String::with_capacity(37);
    out.push_str("$apr1$");
    out.push_str(&String::from_utf8_lossy(salt));
    out.push('$');
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        to64(&mut out, (f(a) << 16) | (f(b) << 8) | f(c), 4);
    }
    to64(&mut out, f(11), 2);
    out
}

/// Base64 of the SHA-1 of a password (htpasswd `{SHA}`).
fn sha1_b64(pw: &[u8]) -> String {
    let d = sha1::Sha1::digest(pw);
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in d.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for k in 0..4 {
            if k <= chunk.len() {
                let c = B64.get(((n >> (18 - 6 * k)) & 0x3f) as usize);
                out.push(char::from(c.copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apr1_matches_openssl() {
        // `openssl passwd -apr1 -salt H6uskkkW test` (Traefik's docs user)
        assert_eq!(
            apr1(b"test", b"H6uskkkW"),
            "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"
        );
        assert_eq!(
            apr1(b"test2", b"d9hr9HBB"),
            "$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0"
        );
    }

    #[test]
    fn sha_matches_htpasswd() {
        // `htpasswd -nbs admin password`
        assert_eq!(sha1_b64(b"password"), "W6ph5Mm5Pz8GgiULbPgzG37mj9g=");
    }

    #[test]
    fn traefik_docs_users_are_weak() {
        let v = "test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/,test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0";
        let r = weak_hash(v, ["admin"].into_iter()).unwrap();
        assert!(r.contains("`test`"), "{r}");
        assert!(
            weak_hash(
                "alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/",
                ["admin"].into_iter()
            )
            .is_none()
        );
        assert!(weak_hash("not a hash", ["admin"].into_iter()).is_none());
    }

    #[test]
    fn bcrypt_with_low_cost_is_checked() {
        let h = bcrypt::hash_with_salt("admin", 4, [7u8; 16])
            .unwrap()
            .format_for_version(bcrypt::Version::TwoY);
        let r = weak_hash(&format!("ops:{h}"), std::iter::empty()).unwrap();
        assert!(r.contains("well-known"), "{r}");
        let strong = bcrypt::hash_with_salt("Zq8vN3xR7tY2", 4, [7u8; 16])
            .unwrap()
            .format_for_version(bcrypt::Version::TwoY);
        assert!(weak_hash(&format!("ops:{strong}"), std::iter::empty()).is_none());
    }

    #[test]
    fn supabase_demo_jwt() {
        let anon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlLWRlbW8iLCJpYXQiOjE2NDE3NjkyMDAsImV4cCI6MTc5OTUzNTYwMH0.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE";
        assert!(known_jwt(anon).is_some());
        // a JWT with another issuer is not judged
        let other = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhY21lIn0.x";
        assert!(known_jwt(other).is_none());
        assert!(known_jwt("eyJ.not-base64!.x").is_none());
    }
}
