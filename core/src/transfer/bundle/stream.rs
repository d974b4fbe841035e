//! Reading a bundle as a stream: its items are handed out one at a time as the file is read, so a
//! bundle of any size is read in the memory of one record. An import reads the file more than once
//! (its header, then every value checked, then the missing records written), each time through
//! [`read`], asking only for the sections it needs; the others are skipped unread.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::schema::*;
use crate::error::{Error, Result};

/// What [`read`] found besides the items it handed out.
#[derive(Debug, Default)]
pub(super) struct Outline {
    pub(super) format: Option<serde_json::Value>,
    pub(super) version: Option<serde_json::Value>,
    pub(super) anchor: Option<String>,
    /// The sections present, in the order of the file.
    pub(super) order: Vec<Section>,
}

/// How far [`read`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Until {
    /// Through the whole file.
    End,
    /// Until both the format and the version were read.
    Header,
    /// Until the case was read.
    Case,
}

/// Reads the bundle from `input`, handing each item of the sections in `wanted` to `each` in the order
/// of the file, and tells `read` how many bytes it has read so far. An error of `each` stops the
/// reading and is returned as it is; a file that is not JSON, or not a bundle's shape, is refused
/// naming the line and column.
pub(super) fn read(
    input: impl Read,
    wanted: &[Section],
    until: Until,
    bytes: &Cell<u64>,
    each: &mut dyn FnMut(Item) -> Result<()>,
) -> Result<Outline> {
    let mut walk = Walk { wanted, until, each, failed: None, outline: Outline::default(), stopped: false };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(
        1 << 14,
        Counted { inner: input, bytes },
    ));
    let read = (&mut walk).deserialize(&mut de);
    if let Some(e) = walk.failed {
        return Err(e);
    }
    if walk.stopped {
        return Ok(walk.outline);
    }
    read.and_then(|()| de.end()).map_err(|e| match (until, e.classify()) {
        // Any value is read for the format and the version: a shape refused before them is no bundle's.
        (Until::Header, serde_json::error::Category::Data) => {
            Error::rule("bundle", "not_a_bundle", None, format!("the file is not a Dossier bundle: {e}"))
        }
        _ => json_error(e),
    })?;
    Ok(walk.outline)
}

/// A reader that counts the bytes read through it.
struct Counted<'a, R> {
    inner: R,
    bytes: &'a Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
}

/// The walk through the top-level object.
struct Walk<'a> {
    wanted: &'a [Section],
    until: Until,
    each: &'a mut dyn FnMut(Item) -> Result<()>,
    /// The error of `each` that stopped the walk.
    failed: Option<Error>,
    outline: Outline,
    /// Stopped before the end, having read what it was asked to ([`Until`]).
    stopped: bool,
}

/// What `Walk` tells serde when `each` failed or it read all it was asked to: the real error, if any,
/// is kept in `failed`.
const STOPPED: &str = "the bundle was not read to its end";

impl Walk<'_> {
    fn hand<E: de::Error>(&mut self, item: Item) -> std::result::Result<(), E> {
        match (self.each)(item) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.failed = Some(e);
                Err(E::custom(STOPPED))
            }
        }
    }

    fn section<'de, A: MapAccess<'de>, T: DeserializeOwned>(
        &mut self,
        map: &mut A,
        section: Section,
        wrap: fn(T) -> Item,
    ) -> std::result::Result<(), A::Error> {
        if !self.wanted.contains(&section) {
            map.next_value::<IgnoredAny>()?;
            return Ok(());
        }
        if section == Section::Case {
            let item = wrap(map.next_value()?);
            return self.hand(item);
        }
        map.next_value_seed(Each { walk: self, wrap })
    }
}

impl<'de> DeserializeSeed<'de> for &mut Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Dossier bundle (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::duplicate_field(FIELDS.iter().find(|f| **f == key).copied().unwrap_or("field")));
            }
            match key.as_str() {
                "format" => self.outline.format = Some(map.next_value()?),
                "version" => self.outline.version = Some(map.next_value()?),
                "anchor" => self.outline.anchor = map.next_value()?,
                other => {
                    let section = Section::of_key(other).ok_or_else(|| de::Error::unknown_field(other, FIELDS))?;
                    self.outline.order.push(section);
                    match section {
                        Section::Case => self.section(&mut map, section, Item::Case)?,
                        Section::Parties => self.section(&mut map, section, Item::Party)?,
                        Section::Agreements => self.section(&mut map, section, Item::Agreement)?,
                        Section::Letters => self.section(&mut map, section, Item::Letter)?,
                        Section::Events => self.section(&mut map, section, Item::Event)?,
                        Section::Allegations => self.section(&mut map, section, Item::Allegation)?,
                        Section::Responses => self.section(&mut map, section, Item::Response)?,
                        Section::Evidence => self.section(&mut map, section, Item::Evidence)?,
                        Section::Links => self.section(&mut map, section, Item::Link)?,
                        Section::Private => self.section(&mut map, section, Item::Private)?,
                        Section::Privileged => self.section(&mut map, section, Item::Privileged)?,
                        Section::History => self.section(&mut map, section, Item::History)?,
                    }
                }
            }
            let done = match self.until {
                Until::End => false,
                Until::Header => self.outline.format.is_some() && self.outline.version.is_some(),
                Until::Case => self.outline.order.contains(&Section::Case),
            };
            if done {
                self.stopped = true;
                return Err(de::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}

/// The items of one section's list, handed out one at a time.
struct Each<'w, 'a, T> {
    walk: &'w mut Walk<'a>,
    wrap: fn(T) -> Item,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Each<'_, '_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Each<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(value) = seq.next_element::<T>()? {
            self.walk.hand((self.wrap)(value))?;
        }
        Ok(())
    }
}

/// A JSON error as the import tells it: where in the file, and what.
pub(super) fn json_error(e: serde_json::Error) -> Error {
    use serde_json::error::Category;
    let (key, message) = match e.classify() {
        Category::Eof => ("cut_short", format!("the file is cut short: {e}")),
        Category::Syntax => ("not_json", format!("not valid JSON: {e}")),
        Category::Io => ("unreadable", format!("the bundle could not be read: {e}")),
        Category::Data => ("bad_bundle", e.to_string()),
    };
    Error::rule("bundle", key, None, message)
}
