//! M6, L5, L6 and exports to a device: reading documents within a budget, and files written where named.
