//! L3, L4: the key file's parameters, and what a sealed file's length tells.
