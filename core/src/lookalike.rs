//! Names compared as a reader sees them. A party is recognised by its name on the screen, so two
//! names that look the same are the same name to the person reading the timeline, whatever their
//! code points: `Microsoft` with a zero-width space after it, with a Cyrillic `М`, or in full-width
//! letters. This module says when two names look alike, so that no one (a sender of an e-mail, a
//! slip of the keyboard) can make a party that passes for another.
//!
//! Two names look alike when, once their invisible characters are removed (Unicode's format
//! characters, category Cf: U+200B, U+00AD, U+2060, U+FEFF, the bidirectional marks…, and the other
//! invisible fillers listed in [`is_invisible`]), normalised by NFKC (full-width and styled letters
//! become plain ones) and their white space collapsed, they have the same confusables skeleton of
//! Unicode's Technical Standard #39 (`unicode-security`: `rn` and `m`, Cyrillic `о` and Latin `o`,
//! Greek `ν` and `v` give the same skeleton), either
//!
//! - as written (`PaypaI` with a capital I is `Paypal`), or
//! - ignoring case: lower-cased, with each Cyrillic or Greek letter whose capital looks like a Latin
//!   capital read as that Latin letter (`мICROSOFT` is `Microsoft`, since `М` looks like `M`).
//!   The skeleton alone misses these: it is case-sensitive, and maps the lower-case `м` to `ʍ`.
//!
//! The two ways are kept apart rather than mixed, because case and look-alikes do not commute: a
//! capital `I` looks like a lower-case `l`, so one key that both ignored case and mapped look-alikes
//! would call `Ian` and `Lan` the same name.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a format character (Unicode general category Cf, as of Unicode 15.1): characters
/// that are not drawn but change how the text around them is shown or joined. The table is written
/// out because neither the standard library nor the crates already in the tree give the general
/// category; it changes rarely (Unicode 15 added U+13439..U+1343F).
pub fn is_format(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// Whether `c` is drawn as nothing: a format character, or one of the invisible letters and marks
/// outside Cf (the combining grapheme joiner, the Hangul fillers, the variation selectors, the Khmer
/// inherent vowels). Only for comparing: these are not removed from stored text.
pub fn is_invisible(c: char) -> bool {
    is_format(c)
        || matches!(
            c as u32,
            0x034F
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180B..=0x180D
                | 0x180F
                | 0x3164
                | 0xFE00..=0xFE0F
                | 0xFFA0
                | 0xE0100..=0xE01EF
        )
}

/// `text` without its format characters: for names read from files made elsewhere (e-mail display
/// names), where refusing would refuse the whole message.
pub fn without_format(text: &str) -> String {
    text.chars().filter(|c| !is_format(*c)).collect()
}

/// How a name looks, in the two forms names are compared in (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Looks {
    /// The skeleton of the name as written.
    written: String,
    /// The skeleton of the name with case ignored.
    folded: String,
}

impl Looks {
    pub fn of(name: &str) -> Looks {
        let visible: String = name.chars().filter(|c| !is_invisible(*c)).nfkc().collect();
        let plain = visible.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower: String = plain.to_lowercase().chars().map(latin_of_capital).collect();
        Looks {
            written: unicode_security::skeleton(&plain).collect(),
            folded: unicode_security::skeleton(&lower).collect(),
        }
    }

    /// Whether the two names look alike (an empty name looks like nothing).
    pub fn alike(&self, other: &Looks) -> bool {
        !self.written.is_empty() && (self.written == other.written || self.folded == other.folded)
    }
}

/// Whether the names `a` and `b` look alike.
pub fn alike(a: &str, b: &str) -> bool {
    Looks::of(a).alike(&Looks::of(b))
}

/// The Latin lower-case letter a lower-case Cyrillic or Greek letter stands for when its capital looks
/// like a Latin capital (`м` for `М`, which looks like `M`); any other character as it is. Written
/// out because UTS #39 compares capitals with capitals only.
fn latin_of_capital(c: char) -> char {
    match c {
        // Cyrillic: А В Е Ѕ І Ј К М Н О Р С Т У Х Ӏ Ԛ Ԝ Ү Һ
        'а' => 'a',
        'в' => 'b',
        'е' => 'e',
        'ѕ' => 's',
        'і' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' | 'ү' => 'y',
        'х' => 'x',
        'ӏ' => 'i',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'һ' => 'h',
        // Greek: Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ζ' => 'z',
        'η' => 'h',
        'ι' => 'i',
        'κ' => 'k',
        'μ' => 'm',
        'ν' => 'n',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'y',
        'χ' => 'x',
        other => other,
    }
}
