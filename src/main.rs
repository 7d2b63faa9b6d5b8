use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    sessionlint::cli::run(sessionlint::cli::Cli::parse())
}
