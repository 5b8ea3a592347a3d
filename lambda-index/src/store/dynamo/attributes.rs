//! DynamoDB's attribute values in serde: each module here is a
//! `#[serde(with = "…")]` for one attribute type, so an item is a plain struct of
//! Rust values whose JSON is DynamoDB's own (`{"S": "…"}`, `{"N": "3"}`,
//! `{"BOOL": true}`, `{"SS": […]}`), read from and written to the wire with
//! `serde_json` alone.
//!
//! Written here rather than taken from `serde_dynamo`: these five types are all
//! the table uses, and that crate's generic attribute map (and its own copy of
//! `base64`) made the Lambda's zip 40 kB larger for nothing else.

use serde::{Deserialize, Deserializer, Serializer, ser::SerializeMap};

fn one<S: Serializer, V: serde::Serialize + ?Sized>(
    serializer: S,
    tag: &'static str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(tag, value)?;
    map.end()
}

/// `String` as `{"S": "…"}`.
pub mod string {
    use super::*;

    pub fn serialize<S: Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        one(serializer, "S", value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        #[derive(Deserialize)]
        struct Attribute {
            #[serde(rename = "S")]
            value: String,
        }
        Ok(Attribute::deserialize(deserializer)?.value)
    }
}

/// `Option<String>`, absent when `None`: use with `#[serde(default,
/// skip_serializing_if = "Option::is_none")]`.
pub mod optional_string {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => string::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        string::deserialize(deserializer).map(Some)
    }
}

/// `i64` as `{"N": "…"}` (DynamoDB sends numbers as text).
pub mod number {
    use super::*;

    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        one(serializer, "N", &value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        #[derive(Deserialize)]
        struct Attribute {
            #[serde(rename = "N")]
            value: String,
        }
        let text = Attribute::deserialize(deserializer)?.value;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a whole number")))
    }
}

/// `bool` as `{"BOOL": …}`.
pub mod boolean {
    use super::*;

    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        one(serializer, "BOOL", value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        #[derive(Deserialize)]
        struct Attribute {
            #[serde(rename = "BOOL")]
            value: bool,
        }
        Ok(Attribute::deserialize(deserializer)?.value)
    }
}

/// `Vec<String>` as a string set, `{"SS": […]}`. DynamoDB refuses an empty
/// set: use with `#[serde(default, skip_serializing_if = "Vec::is_empty")]`.
pub mod string_set {
    use super::*;

    pub fn serialize<S: Serializer>(value: &[String], serializer: S) -> Result<S::Ok, S::Error> {
        one(serializer, "SS", value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<String>, D::Error> {
        #[derive(Deserialize)]
        struct Attribute {
            #[serde(rename = "SS")]
            value: Vec<String>,
        }
        Ok(Attribute::deserialize(deserializer)?.value)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Item {
        #[serde(with = "string")]
        name: String,
        #[serde(with = "number")]
        n: i64,
        #[serde(with = "boolean")]
        flag: bool,
        #[serde(
            default,
            with = "optional_string",
            skip_serializing_if = "Option::is_none"
        )]
        maybe: Option<String>,
        #[serde(default, with = "string_set", skip_serializing_if = "Vec::is_empty")]
        set: Vec<String>,
    }

    #[test]
    fn items_are_dynamodb_json_both_ways() {
        let item = Item {
            name: "a".into(),
            n: -12,
            flag: true,
            maybe: Some("b".into()),
            set: vec!["x".into(), "y".into()],
        };
        let wire = json!({
            "name": {"S": "a"}, "n": {"N": "-12"}, "flag": {"BOOL": true},
            "maybe": {"S": "b"}, "set": {"SS": ["x", "y"]}
        });
        assert_eq!(serde_json::to_value(&item).expect("json"), wire);
        assert_eq!(Item::deserialize(&wire).expect("reads"), item);
    }

    #[test]
    fn absent_optional_attributes_read_as_none_and_are_not_written() {
        let wire = json!({"name": {"S": "a"}, "n": {"N": "0"}, "flag": {"BOOL": false}});
        let item = Item::deserialize(&wire).expect("reads");
        assert_eq!((item.maybe.as_ref(), item.set.len()), (None, 0));
        assert_eq!(serde_json::to_value(&item).expect("json"), wire);
    }

    #[test]
    fn a_wrong_type_or_number_is_an_error() {
        for wire in [
            json!({"name": {"N": "1"}, "n": {"N": "0"}, "flag": {"BOOL": false}}),
            json!({"name": {"S": "a"}, "n": {"N": "1.5"}, "flag": {"BOOL": false}}),
            json!({"name": {"S": "a"}, "n": {"N": "0"}, "flag": {"S": "true"}}),
            json!({"name": {"S": "a"}, "flag": {"BOOL": false}}),
        ] {
            assert!(Item::deserialize(&wire).is_err(), "{wire}");
        }
    }
}
