//! M1: nesting measured on what the parsers build, and rendering within a time budget.
