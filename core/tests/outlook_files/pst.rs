pub fn pst() {}
