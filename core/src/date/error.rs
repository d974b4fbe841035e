//! Why a text is not a fuzzy date, said in English and as a stable key a front end words itself.

/// Why a text is not a fuzzy date. Every message quotes the text at fault (cut short if very long).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DateError {
    #[error("empty date")]
    Empty,
    #[error(
        "unrecognised date '{0}': expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM±HH:MM, \
         optionally prefixed with ~, < or >, or a range A..B; or in words, such as 18 May 2023, \
         vers avril 2023 or between January and April 2023"
    )]
    Unrecognised(String),
    #[error(
        "date '{input}' reads two ways: {day_first} (day first) or {month_first} (month first); \
         write the one you mean as YYYY-MM-DD or in words"
    )]
    Ambiguous { input: String, day_first: String, month_first: String },
    #[error("year '{0}' is outside 1 to 9999")]
    YearOutOfRange(String),
    #[error("month '{0}' does not exist")]
    NoSuchMonth(String),
    #[error("date '{0}' does not exist")]
    NoSuchDay(String),
    #[error("time '{time}' in '{input}' does not exist")]
    NoSuchTime { time: String, input: String },
    #[error("time '{0}' has no time zone: add Z or an offset such as +02:00")]
    MissingZone(String),
    #[error("time zone '{zone}' in '{input}' is not a valid offset: expected Z or ±HH:MM up to ±23:59")]
    BadZone { zone: String, input: String },
    #[error("date '{0}' has a qualifier but no date after it")]
    MissingPoint(String),
    #[error("date '{0}' is about a time of day: ~ applies to a year, month or day")]
    AboutInstant(String),
    #[error("date range '{0}' needs a start and an end: use <X or >X for an open-ended date")]
    RangeOpenEnd(String),
    #[error("date range '{0}' has more than two ends")]
    RangeTooManyEnds(String),
    #[error("date range '{0}' has a qualified end: the ends of A..B must be plain dates")]
    RangeQualifiedEnd(String),
    #[error("date range '{0}' ends before it starts")]
    RangeBackwards(String),
}

impl DateError {
    /// A stable name for the kind of mistake and the text it quotes, so a front end can say it in
    /// the user's language ("date.no_such_day", "2023-02-30").
    pub fn key(&self) -> (&'static str, String) {
        match self {
            DateError::Empty => ("date.empty", String::new()),
            DateError::Unrecognised(v) => ("date.unrecognised", v.clone()),
            DateError::Ambiguous { input, day_first, month_first } => {
                ("date.ambiguous", format!("{input}: {day_first} / {month_first}"))
            }
            DateError::YearOutOfRange(v) => ("date.year_out_of_range", v.clone()),
            DateError::NoSuchMonth(v) => ("date.no_such_month", v.clone()),
            DateError::NoSuchDay(v) => ("date.no_such_day", v.clone()),
            DateError::NoSuchTime { time, .. } => ("date.no_such_time", time.clone()),
            DateError::MissingZone(v) => ("date.missing_zone", v.clone()),
            DateError::BadZone { zone, .. } => ("date.bad_zone", zone.clone()),
            DateError::MissingPoint(v) => ("date.missing_point", v.clone()),
            DateError::AboutInstant(v) => ("date.about_instant", v.clone()),
            DateError::RangeOpenEnd(v) => ("date.range_open_end", v.clone()),
            DateError::RangeTooManyEnds(v) => ("date.range_too_many_ends", v.clone()),
            DateError::RangeQualifiedEnd(v) => ("date.range_qualified_end", v.clone()),
            DateError::RangeBackwards(v) => ("date.range_backwards", v.clone()),
        }
    }
}
