//! Terminal colour: plain ANSI SGR codes, on only when they will be seen.

use std::io::IsTerminal;

use trustwalk_core::scenario::Outcome;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                // https://no-color.org: any non-empty value turns colour off.
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                !no_color && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Paints text when colour is on; otherwise leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub enabled: bool,
}

const RESET: &str = "\x1b[0m";
pub const BOLD: &str = "\x1b[1m";
pub const DIM: &str = "\x1b[2m";
pub const RED: &str = "\x1b[1;31m";
pub const GREEN: &str = "\x1b[1;32m";
pub const YELLOW: &str = "\x1b[1;33m";
pub const MAGENTA: &str = "\x1b[1;35m";
pub const CYAN: &str = "\x1b[36m";

impl Painter {
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    pub fn outcome(&self, outcome: Outcome) -> String {
        let code = match outcome {
            Outcome::Allowed => GREEN,
            Outcome::ExplicitDeny | Outcome::Denied => RED,
            Outcome::ImplicitDeny => YELLOW,
            Outcome::Skipped => CYAN,
            Outcome::Invalid => MAGENTA,
        };
        self.paint(code, outcome.label())
    }
}
