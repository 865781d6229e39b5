pub mod tighten;
