//! H1, L2, L7: no plaintext left beside an encrypted database, and nothing deleted that Dossier did not make.
