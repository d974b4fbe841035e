//! M5, L9: publishing shows only the public, and quotes are verbatim or say so.
