//! The one error every command returns: `{ code, message, field, key, value }`. `code` is the core's
//! [`ErrorCode`] (exported to the UI's bindings), stable, and what the UI branches on; `message` is
//! for people (English); `field` names the form input a validation error belongs to, so the UI can
//! show it beside that field; `key` and `value` let the UI word a mistake in the user's language. All
//! of it comes from the core's error as it is: nothing here reads message text.

use dossier_core::ErrorCode;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    /// For the mistakes a form can show in the user's language: a message key ("required",
    /// "date.no_such_day") and the value it quotes. `message` stays the full English text.
    pub key: Option<String>,
    pub value: Option<String>,
}

impl From<dossier_core::Error> for ApiError {
    fn from(e: dossier_core::Error) -> Self {
        use dossier_core::Error;
        let (field, message) = match &e {
            // The field is carried separately, so the message beside it does not repeat it.
            Error::Invalid { field, reason } => (Some(field.clone()), reason.to_string()),
            Error::Date { field, source } => (Some(field.clone()), source.to_string()),
            other => (None, other.to_string()),
        };
        let (key, value) = match e.key() {
            Some((key, value)) => (Some(key.to_string()), value),
            None => (None, None),
        };
        ApiError { code: e.code(), message, field, key, value }
    }
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), field: None, key: None, value: None }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::Internal, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the JSON shape the UI depends on: five keys, stable codes.
    #[test]
    fn errors_serialize_as_code_message_field_key_value() {
        let cases: Vec<(dossier_core::Error, serde_json::Value)> = vec![
            (
                dossier_core::Error::required("title"),
                serde_json::json!({ "code": "invalid_input", "message": "is required", "field": "title", "key": "required", "value": null }),
            ),
            (
                dossier_core::input::line("subject", &"x".repeat(1_001)).expect_err("too long"),
                serde_json::json!({
                    "code": "invalid_input", "message": "is longer than 1000 characters", "field": "subject",
                    "key": "too_long", "value": "1000"
                }),
            ),
            (
                dossier_core::Error::not_found("case", "nope"),
                serde_json::json!({ "code": "not_found", "message": "no case 'nope'", "field": null, "key": null, "value": null }),
            ),
            (
                dossier_core::Error::Conflict("cannot delete party 'X': still referred to by 1 letter".into()),
                serde_json::json!({ "code": "conflict", "message": "cannot delete party 'X': still referred to by 1 letter", "field": null, "key": null, "value": null }),
            ),
            (
                dossier_core::Error::internal("the CSV writer failed"),
                serde_json::json!({ "code": "internal", "message": "internal error: the CSV writer failed", "field": null, "key": null, "value": null }),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(serde_json::to_value(ApiError::from(error)).expect("serialize"), expected);
        }
        let date = dossier_core::input::date("date", "2023-02-30").expect_err("impossible date");
        let json = serde_json::to_value(ApiError::from(date)).expect("serialize");
        assert_eq!(json["code"], "invalid_input");
        assert_eq!(json["field"], "date");
        assert!(json["message"].as_str().is_some_and(|m| m.contains("2023-02-30")), "{json}");
        assert_eq!((json["key"].as_str(), json["value"].as_str()), (Some("date.no_such_day"), Some("2023-02-30")));
    }
}
