//! The one error every command returns: `{ code, message, field }`. `code` is stable and is what the UI
//! branches on; `message` is for people; `field` names the form input a validation error belongs to,
//! so the UI can show it beside that field.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ApiError {
    /// One of: invalid_input, not_found, conflict, schema_too_new, io, database, tampered, internal.
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// For the mistakes a form can show in the user's language: a message key ("required",
    /// "date.no_such_day") and the value it quotes. `message` stays the full English text.
    pub key: Option<String>,
    pub value: Option<String>,
}

impl From<dossier_core::Error> for ApiError {
    fn from(e: dossier_core::Error) -> Self {
        let field = match &e {
            dossier_core::Error::Invalid { field, .. } | dossier_core::Error::Date { field, .. } => Some(field.clone()),
            _ => None,
        };
        let (key, value) = match &e {
            dossier_core::Error::Invalid { message, .. } if message == "is required" => {
                (Some("required".to_string()), None)
            }
            dossier_core::Error::Date { source, .. } => {
                let (key, value) = source.key();
                (Some(key.to_string()), Some(value))
            }
            _ => (None, None),
        };
        let message = match &e {
            // The field is carried separately, so the message beside it does not repeat it.
            dossier_core::Error::Invalid { message, .. } => message.clone(),
            dossier_core::Error::Date { source, .. } => source.to_string(),
            other => other.to_string(),
        };
        ApiError { code: e.code().to_string(), message, field, key, value }
    }
}

impl ApiError {
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError { code: "internal".into(), message: message.into(), field: None, key: None, value: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the JSON shape the UI depends on: five keys, stable codes.
    #[test]
    fn errors_serialize_as_code_message_field() {
        let cases: Vec<(dossier_core::Error, serde_json::Value)> = vec![
            (
                dossier_core::Error::invalid("title", "is required"),
                serde_json::json!({ "code": "invalid_input", "message": "is required", "field": "title", "key": "required", "value": null }),
            ),
            (
                dossier_core::Error::not_found("case", "nope"),
                serde_json::json!({ "code": "not_found", "message": "no case 'nope'", "field": null, "key": null, "value": null }),
            ),
            (
                dossier_core::Error::Conflict("cannot delete party 'X': still referred to by 1 letter".into()),
                serde_json::json!({ "code": "conflict", "message": "cannot delete party 'X': still referred to by 1 letter", "field": null, "key": null, "value": null }),
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
