//! One module per input format. Each turns text into a tree whose keys and
//! values carry byte ranges into the text. Parsers never panic: problems are
//! returned as data with their range.

pub mod base64;
pub mod dokploy;
pub mod dotenv;
pub mod duration;
pub mod haproxy;
pub mod ini;
pub mod interp;
pub mod markdown;
pub mod nginx;
pub mod shell;
pub mod template;
pub mod words;
pub mod xml;
pub mod yaml;
