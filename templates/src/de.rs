//! Decoding of the models' JSON objects.
//!
//! `#[derive(Deserialize)]` also accepts a struct written as a JSON array and
//! builds a field-identifier type for every struct; over the thousand models
//! of SailPoint's whole v2024 spec that was a third of the crate's build time
//! (54.7 s against 36.7 s). The models
//! only ever arrive as JSON objects, so [`deserialize_object!`] implements
//! just that: each known property is decoded into its field, unknown ones
//! are skipped, a missing required one is an error, and a property repeated
//! in the object keeps its last value (as `serde_json::Value` does).

use std::borrow::Cow;
use std::fmt;

/// A property name, borrowed from the input when it has no escapes.
#[allow(dead_code, reason = "used only by specs with object models")]
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    #[allow(dead_code, reason = "used only by specs with object models")]
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }

            fn visit_str<E>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Implements `Deserialize` for a model from a JSON object, one line per
/// field: `optional` fields (of type `Option<T>`) are `None` when absent,
/// `required` ones must be present.
///
/// Its own generic parameters and types start with `__`: unlike local
/// variables, they are not hygienic and must not clash with a model's name.
///
/// ```text
/// deserialize_object!(Connector { required script_name: "scriptName", optional name: "name" });
/// ```
#[allow(unused_macros, reason = "used only by specs with object models")]
macro_rules! deserialize_object {
    ($model:ident { $($kind:ident $field:ident: $wire:literal),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $model {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for __ObjectVisitor {
                    type Value = $model;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a `", stringify!($model), "` object"))
                    }

                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::std::result::Result<$model, __A::Error> {
                        $( let mut $field = ::std::option::Option::None; )*
                        while let ::std::option::Option::Some(key) = map.next_key::<$crate::de::Key<'de>>()? {
                            match key.as_str() {
                                $( $wire => $field = ::std::option::Option::Some(map.next_value()?), )*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::std::result::Result::Ok($model {
                            $( $field: $crate::de::deserialize_object!(@finish $kind $field $wire), )*
                        })
                    }
                }

                deserializer.deserialize_map(__ObjectVisitor)
            }
        }
    };
    // An absent optional field is `None`, like an explicit `null`.
    (@finish optional $field:ident $wire:literal) => {
        $field.flatten()
    };
    (@finish required $field:ident $wire:literal) => {
        $field.ok_or_else(|| <__A::Error as ::serde::de::Error>::missing_field($wire))?
    };
}

#[allow(unused_imports, reason = "used only by specs with object models")]
pub(crate) use deserialize_object;
