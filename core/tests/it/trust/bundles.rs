//! L1, L8: what an e-mail and a bundle bring in and carry out.
