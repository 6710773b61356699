//! Encoding and decoding of the models' JSON objects.
//!
//! `#[derive(Deserialize)]` also accepts a struct written as a JSON array and
//! builds a field-identifier type for every struct; over the thousand models
//! of SailPoint's whole v2024 spec that was a third of the crate's build time
//! (54.7 s against 36.7 s). The models
//! only ever arrive as JSON objects, so [`serde_object!`] implements
//! just that: each known property is decoded into its field, unknown ones
//! are skipped, a missing required one is an error, and a property repeated
//! in the object keeps its last value (as `serde_json::Value` does). One
//! generic visitor serves every model, which supplies only [`FromMap`].
//!
//! It encodes them too, through one generic function over a list of the
//! fields as `erased_serde` trait objects, rather than a derive's method
//! calls per field: the same output, for far less code to compile.
//!
//! # Error correction
//!
//! A response is decoded strictly first, at full speed. Only a body that
//! fails is decoded again *correcting* ([`correcting`]), as Smithy's "client
//! error correction" has clients do: the server, not the client, is the
//! authority on what it sends. Then a required property that is missing,
//! or `null` where the schema does not allow it, takes its type's
//! [`Zero`] and decoding goes on; each correction is recorded with the path
//! of property names it was found at. A value of the wrong type is still
//! an error. Decoding outside that pass (`serde_json::from_str` on a model,
//! request bodies) is strict.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;

/// A property name, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    fn as_str(&self) -> &str {
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

/// Implements `Serialize` and `Deserialize` for a model as a JSON object, one
/// line per field: `required` ones must be present; `nullable` ones (of type
/// `Option<T>`) are sent as `null` when `None` and may be absent or `null`;
/// `optional` ones (of type `Option<T>`) are left out when `None` and are
/// `None` when absent or `null`.
///
/// Its own generic parameters and types start with `__`: unlike local
/// variables, they are not hygienic and must not clash with a model's name.
///
/// ```text
/// serde_object!(Connector { required script_name: "scriptName", optional name: "name" });
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! serde_object {
    ($model:ident { $($kind:ident $field:ident: $wire:literal),* $(,)? }) => {
        impl $crate::__private::serde::Serialize for $model {
            fn serialize<__S: $crate::__private::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                $crate::__private::de::serialize_fields(serializer, stringify!($model), &[
                    $( ($wire, $crate::serde_object!(@encode $kind self.$field)), )*
                ])
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $model {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                $crate::__private::de::object(deserializer)
            }
        }

        impl<'de> $crate::__private::de::FromMap<'de> for $model {
            const EXPECTING: &'static str = concat!("a `", stringify!($model), "` object");

            #[allow(clippy::disallowed_names, reason = "a local per field, named as the spec names the field")]
            fn from_map<__A: $crate::__private::serde::de::MapAccess<'de>>(mut map: __A) -> ::std::result::Result<Self, __A::Error> {
                $( let mut $field = ::std::option::Option::None; )*
                // One call with every field's slot, not a `match` arm a field:
                // arms in a loop were most of what the compiler spent on models.
                $crate::__private::de::fill(&mut map, &mut [
                    $( ($wire, &mut $field as &mut dyn $crate::__private::de::Slot<'de, __A>), )*
                ])?;
                ::std::result::Result::Ok($model {
                    $( $field: $crate::serde_object!(@finish $kind $field $model $wire), )*
                })
            }
        }

        impl $crate::__private::de::Zero for $model {
            fn zero() -> ::std::option::Option<Self> {
                ::std::option::Option::Some($model {
                    $( $field: $crate::serde_object!(@zero $kind), )*
                })
            }
        }
    };
    (@zero required) => {
        $crate::__private::de::Zero::zero()?
    };
    (@zero $kind:ident) => {
        ::std::option::Option::None
    };
    (@encode optional $value:expr) => {
        $crate::__private::de::present(&$value)
    };
    (@encode $kind:ident $value:expr) => {
        $crate::__private::de::always(&$value)
    };
    (@finish required $field:ident $model:ident $wire:literal) => {
        $crate::__private::de::required($field, stringify!($model), $wire)?
    };
    // An absent optional or nullable field is `None`, like an explicit `null`.
    (@finish $kind:ident $field:ident $model:ident $wire:literal) => {
        $field.flatten()
    };
}

/// A model decoded from a JSON object, the half of `Deserialize` that
/// differs between models: the visitor around it is one generic type,
/// rather than a type and impl for every model.
pub trait FromMap<'de>: Sized {
    /// What a decoding error says was expected (``a `Connector` object``).
    const EXPECTING: &'static str;

    /// The model from the object's properties.
    fn from_map<A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a model from a JSON object.
pub fn object<'de, D: serde::Deserializer<'de>, T: FromMap<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: FromMap<'de>> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        if CORRECTING.get() {
            return from_map_correcting(map);
        }
        T::from_map(map)
    }
}

/// [`FromMap::from_map`] in a correcting pass. The `null` properties its
/// fill remembered were for its own required fields to tell `null` from
/// missing; they end with the object, or those of optional fields would
/// pile up over a page and make every lookup slower.
#[inline(never)]
fn from_map_correcting<'de, T: FromMap<'de>, A: serde::de::MapAccess<'de>>(map: A) -> Result<T, A::Error> {
    let outer = STATE.with_borrow(|state| state.nulls.len());
    let decoded = T::from_map(map);
    STATE.with_borrow_mut(|state| state.nulls.truncate(outer));
    decoded
}

/// A field's slot while its object is decoded.
pub trait Slot<'de, A: serde::de::MapAccess<'de>> {
    /// Decodes the value of the field's property (the last one wins).
    fn fill(&mut self, map: &mut A) -> Result<(), A::Error>;

    /// [`fill`](Self::fill) in a correcting pass (see the module docs),
    /// where `null` leaves the slot empty; whether it did. A method of its
    /// own, so that the strict one stays as small as it was.
    fn fill_correcting(&mut self, map: &mut A) -> Result<bool, A::Error>;
}

impl<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>> Slot<'de, A> for Option<T> {
    fn fill(&mut self, map: &mut A) -> Result<(), A::Error> {
        *self = Some(map.next_value()?);
        Ok(())
    }

    fn fill_correcting(&mut self, map: &mut A) -> Result<bool, A::Error> {
        *self = map.next_value::<Option<T>>()?;
        Ok(self.is_none())
    }
}

/// Decodes an object's properties into their fields' slots, by wire name;
/// properties the model does not have are skipped. While correcting, the
/// path of property names is kept, to say where a correction was made.
pub fn fill<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    slots: &mut [(&'static str, &mut dyn Slot<'de, A>)],
) -> Result<(), A::Error> {
    if CORRECTING.get() {
        return fill_correcting(map, slots);
    }
    while let Some(key) = map.next_key::<Key<'de>>()? {
        match slots.iter_mut().find(|(wire, _)| *wire == key.as_str()) {
            Some((_, slot)) => slot.fill(map)?,
            None => skip_value(map)?,
        }
    }
    Ok(())
}

/// [`fill`] in a correcting pass: each property's path kept, and where a
/// property was `null` remembered for [`absent`], which tells it from missing.
#[inline(never)]
fn fill_correcting<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    slots: &mut [(&'static str, &mut dyn Slot<'de, A>)],
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let Some((wire, slot)) = slots.iter_mut().find(|(wire, _)| *wire == key.as_str()) else {
            skip_value(map)?;
            continue;
        };
        STATE.with_borrow_mut(|state| state.path.push(wire));
        let filled = slot.fill_correcting(map);
        STATE.with_borrow_mut(|state| {
            state.path.pop();
            if let Ok(true) = filled {
                let at = state.at(wire);
                state.nulls.push(at);
            }
        });
        filled?;
    }
    Ok(())
}

/// Skips the value of a property the model does not have.
fn skip_value<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(drop)
}

/// A required property's value; when it is missing (or `null` while
/// correcting), its zero value in the correcting pass, else the error.
#[inline]
pub fn required<T: Zero, E: serde::de::Error>(
    value: Option<T>,
    model: &'static str,
    wire: &'static str,
) -> Result<T, E> {
    match value {
        Some(value) => Ok(value),
        None => absent(model, wire),
    }
}

/// A required property that is missing, or `null` in a correcting pass:
/// see [`required`].
#[cold]
#[inline(never)]
fn absent<T: Zero, E: serde::de::Error>(model: &'static str, wire: &'static str) -> Result<T, E> {
    if !CORRECTING.get() {
        return Err(E::missing_field(wire));
    }
    let null = STATE.with_borrow_mut(|state| {
        let at = state.at(wire);
        let found = state.nulls.iter().rposition(|null| *null == at);
        found.map(|index| state.nulls.swap_remove(index)).is_some()
    });
    if null {
        if let Some(value) = T::null() {
            // `null` is a value of this type (any JSON value): nothing to correct.
            return Ok(value);
        }
    }
    match T::zero() {
        Some(zero) => {
            STATE.with_borrow_mut(|state| state.record(model, wire, null));
            Ok(zero)
        }
        None if null => Err(E::custom(format_args!("null for the required field `{wire}`"))),
        None => Err(E::missing_field(wire)),
    }
}

/// What a required field missing from a response, or `null` in it, is
/// decoded as while correcting: the empty string, 0, `false`, an empty
/// list or map, `null` for any JSON value, a model with its required fields
/// zero and the others absent, an enum's `Unknown("")`, a union's first
/// variant that has one. `None` when there is none: a type that contains
/// itself through required fields has no finite zero.
pub trait Zero: Sized {
    /// The zero value, if the type has one.
    fn zero() -> Option<Self>;

    /// What `null` decodes as, for the types that hold it.
    fn null() -> Option<Self> {
        None
    }
}

macro_rules! zero_is {
    ($($ty:ty => $zero:expr),* $(,)?) => {
        $(impl Zero for $ty {
            fn zero() -> Option<Self> {
                Some($zero)
            }
        })*
    };
}

zero_is!(String => String::new(), bool => false, i32 => 0, i64 => 0, f64 => 0.0);

impl<T> Zero for Vec<T> {
    fn zero() -> Option<Self> {
        Some(Vec::new())
    }
}

impl<K: Ord, V> Zero for BTreeMap<K, V> {
    fn zero() -> Option<Self> {
        Some(BTreeMap::new())
    }
}

impl<T> Zero for Option<T> {
    fn zero() -> Option<Self> {
        Some(None)
    }

    fn null() -> Option<Self> {
        Some(None)
    }
}

impl Zero for serde_json::Value {
    fn zero() -> Option<Self> {
        Some(serde_json::Value::Null)
    }

    fn null() -> Option<Self> {
        Some(serde_json::Value::Null)
    }
}

/// Boxes hold the fields through which a model contains itself: the zero
/// of a type met again while its own zero is being made is `None`, which
/// ends the recursion.
impl<T: Zero + 'static> Zero for Box<T> {
    fn zero() -> Option<Self> {
        let id = std::any::TypeId::of::<T>();
        if ZEROING.with_borrow(|open| open.contains(&id)) {
            return None;
        }
        ZEROING.with_borrow_mut(|open| open.push(id));
        let zero = T::zero();
        ZEROING.with_borrow_mut(|open| open.pop());
        zero.map(Box::new)
    }
}

thread_local! {
    /// Whether this thread is in a correcting pass.
    static CORRECTING: Cell<bool> = const { Cell::new(false) };
    /// The correcting pass's path and corrections.
    static STATE: RefCell<Corrections> = const { RefCell::new(Corrections::new()) };
    /// The boxed types whose zero is being made.
    static ZEROING: RefCell<Vec<std::any::TypeId>> = const { RefCell::new(Vec::new()) };
}

struct Corrections {
    /// The property names from the body's root to the object being decoded.
    path: Vec<&'static str>,
    /// Where a property was `null`, until its object ends.
    nulls: Vec<String>,
    found: Vec<Correction>,
}

impl Corrections {
    const fn new() -> Self {
        Self { path: Vec::new(), nulls: Vec::new(), found: Vec::new() }
    }

    /// The path of `field` in the object being decoded.
    fn at(&self, field: &str) -> String {
        let mut path = self.path.join(".");
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field);
        path
    }

    fn record(&mut self, model: &'static str, field: &'static str, null: bool) {
        let path = self.at(field);
        self.add(Correction { path, model, field, null, count: 1 });
    }

    /// Adds `correction` to the one of the same field, path and kind, if any.
    fn add(&mut self, correction: Correction) {
        let same = |found: &&mut Correction| {
            found.path == correction.path && found.model == correction.model && found.null == correction.null
        };
        match self.found.iter_mut().find(same) {
            Some(found) => found.count += correction.count,
            None => self.found.push(correction),
        }
    }
}

/// Required fields of one model at one path that a correcting pass filled
/// with their zero value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The property names from the body's root to the field, joined by `.`
    /// (list positions left out: one correction covers every item).
    pub path: String,
    /// The model the field belongs to.
    pub model: &'static str,
    /// The field's property name.
    pub field: &'static str,
    /// Whether the property was `null` rather than missing.
    pub null: bool,
    /// In how many objects.
    pub count: usize,
}

/// Runs `decode` as a correcting pass on this thread: what it returns, and
/// the corrections made, one per field, path and kind.
pub fn correcting<T>(decode: impl FnOnce() -> T) -> (T, Vec<Correction>) {
    let outer = CORRECTING.replace(true);
    let saved = STATE.with_borrow_mut(|state| std::mem::replace(state, Corrections::new()));
    let decoded = decode();
    let state = STATE.with_borrow_mut(|state| std::mem::replace(state, saved));
    CORRECTING.set(outer);
    (decoded, state.found)
}

/// A union's variant read from `value`, if it is of the JSON kind the
/// variant is read from (`is_kind`) and fits.
#[inline]
pub fn fit<'a, T: serde::Deserialize<'a>, U>(
    value: &'a serde_json::Value,
    is_kind: fn(&serde_json::Value) -> bool,
    variant: fn(T) -> U,
) -> Option<U> {
    if !is_kind(value) {
        return None;
    }
    T::deserialize(value).ok().map(variant)
}

/// The kind test of a variant that may be read from any JSON value.
pub fn any_kind(_: &serde_json::Value) -> bool {
    true
}

/// A union's variant holding its zero value, if it has one.
pub fn zero_of<T: Zero, U>(variant: fn(T) -> U) -> Option<U> {
    T::zero().map(variant)
}

/// Decodes an untagged union: the first variant that fits the value as
/// sent; in a correcting pass, when none does, the first that fits with
/// corrections (tried strictly first, or every union would be its first
/// variant with zero-valued fields).
pub fn first_fit<T, E: serde::de::Error>(
    value: &serde_json::Value,
    union: &'static str,
    variants: &[fn(&serde_json::Value) -> Option<T>],
) -> Result<T, E> {
    // Strictly first: outside a correcting pass that is all there is.
    if !CORRECTING.get() {
        return variants.iter().find_map(|variant| variant(value)).ok_or_else(|| no_fit(union));
    }
    CORRECTING.set(false);
    let strict = variants.iter().find_map(|variant| variant(value));
    CORRECTING.set(true);
    if let Some(found) = strict {
        return Ok(found);
    }
    for variant in variants {
        // Each variant's corrections are kept apart, to drop with it if it
        // does not fit.
        let outer = STATE.with_borrow_mut(|state| std::mem::take(&mut state.found));
        let fitted = variant(value);
        STATE.with_borrow_mut(|state| {
            let tried = std::mem::replace(&mut state.found, outer);
            if fitted.is_some() {
                tried.into_iter().for_each(|correction| state.add(correction));
            }
        });
        if let Some(fitted) = fitted {
            return Ok(fitted);
        }
    }
    Err(no_fit(union))
}

/// The error of an untagged union no variant fits, worded as serde's.
fn no_fit<E: serde::de::Error>(union: &str) -> E {
    E::custom(format_args!("data did not match any variant of untagged enum {union}"))
}

#[allow(unused_imports, reason = "used only by specs with object models")]
/// A body decoded as JSON of type `T`, if it is one (an error body that does
/// not match its declared model is kept raw).
pub fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// A field as the encoder sees it: `None` is left out.
type Encoded<'a> = Option<&'a dyn erased_serde::Serialize>;

/// A field that is always sent.
pub fn always<T: serde::Serialize>(value: &T) -> Encoded<'_> {
    Some(value)
}

/// An optional field, sent only when it holds a value.
pub fn present<T: serde::Serialize>(value: &Option<T>) -> Encoded<'_> {
    value.as_ref().map(|value| value as &dyn erased_serde::Serialize)
}

/// A model as a struct of the fields it sends, in order.
pub fn serialize_fields<S: serde::Serializer>(
    serializer: S,
    name: &'static str,
    fields: &[(&'static str, Encoded<'_>)],
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut state = serializer.serialize_struct(name, fields.iter().filter(|(_, value)| value.is_some()).count())?;
    for (wire, value) in fields {
        match value {
            Some(value) => state.serialize_field(wire, value)?,
            None => state.skip_field(wire)?,
        }
    }
    state.end()
}

/// A string enum: its variants, an `Unknown` variant for values the spec
/// does not list, and the impls every one has (`as_str`, comparisons,
/// ordering and hashing by wire text, `Display`, `From<&str>`, `FromStr`,
/// serialisation), from one line per variant. Attributes before the docs
/// (the model's `cfg`) apply to each item.
///
/// ```text
/// string_enum! {
///     /// Release status of the connector.
///     pub enum Status {
///         /// `RELEASED`
///         Released = "RELEASED",
///     }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    (
        $(#[cfg($($gate:tt)*)])*
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[doc = $variant_doc:literal])* $variant:ident = $wire:literal ),* $(,)?
        }
    ) => {
        $(#[cfg($($gate)*)])*
        $(#[doc = $doc])*
        ///
        /// Values this client does not know decode as `Unknown`, so a value
        /// the server adds later never breaks decoding. Values compare, order
        /// and hash by their wire text. A value the spec adds later becomes a
        /// variant of its own, so a `match` needs a wildcard arm.
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $variant_doc])* $variant, )*
            /// A value not in the spec, kept as sent.
            Unknown(::std::string::String),
        }

        $(#[cfg($($gate)*)])*
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        // Comparisons go through `as_str` rather than derives: the same
        // behaviour for `Unknown` holding a known value, and far less code
        // for the compiler in a spec with hundreds of enums.
        $(#[cfg($($gate)*)])*
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        $(#[cfg($($gate)*)])*
        impl ::std::cmp::Eq for $name {}

        $(#[cfg($($gate)*)])*
        impl $crate::__private::de::Zero for $name {
            fn zero() -> ::std::option::Option<Self> {
                ::std::option::Option::Some(Self::Unknown(::std::string::String::new()))
            }
        }

        $(#[cfg($($gate)*)])*
        impl ::std::hash::Hash for $name {
            fn hash<__H: ::std::hash::Hasher>(&self, state: &mut __H) {
                self.as_str().hash(state);
            }
        }

        $(#[cfg($($gate)*)])*
        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        $(#[cfg($($gate)*)])*
        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        $(#[cfg($($gate)*)])*
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $(#[cfg($($gate)*)])*
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        $(#[cfg($($gate)*)])*
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        $(#[cfg($($gate)*)])*
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<__S: $crate::__private::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        $(#[cfg($($gate)*)])*
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Model {
        script_name: String,
        owner: Option<String>,
        r#type: Option<String>,
    }

    crate::serde_object!(Model { required script_name: "scriptName", nullable owner: "owner", optional r#type: "type" });

    #[test]
    fn objects_encode_required_and_nullable_fields_and_leave_out_absent_optional_ones() {
        let model = Model { script_name: "a".into(), owner: None, r#type: None };
        assert_eq!(serde_json::to_value(&model).unwrap(), json!({ "scriptName": "a", "owner": null }));
        let model = Model { script_name: "a".into(), owner: Some("o".into()), r#type: Some("t".into()) };
        assert_eq!(serde_json::to_string(&model).unwrap(), r#"{"scriptName":"a","owner":"o","type":"t"}"#);
    }

    #[test]
    fn objects_decode_by_wire_name_skip_unknown_properties_and_need_the_required_ones() {
        let decoded: Model = serde_json::from_value(json!({ "type": "t", "extra": [1], "scriptName": "a" })).unwrap();
        assert_eq!(decoded, Model { script_name: "a".into(), owner: None, r#type: Some("t".into()) });
        let decoded: Model = serde_json::from_str(r#"{"scriptName":"a","scriptName":"b","owner":null}"#).unwrap();
        assert_eq!(decoded.script_name, "b", "a repeated property keeps its last value");
        let missing = serde_json::from_value::<Model>(json!({ "owner": "o" })).unwrap_err();
        assert!(missing.to_string().contains("missing field `scriptName`"), "{missing}");
    }

    /// A model whose required field contains the model itself.
    #[derive(Debug, PartialEq)]
    struct Node {
        name: String,
        parent: Box<Node>,
    }

    crate::serde_object!(Node { required name: "name", required parent: "parent" });

    #[test]
    fn a_correcting_pass_fills_missing_and_null_required_fields_and_lists_them_once_per_path() {
        let text = r#"[{"owner":"o"},{"scriptName":null},{"scriptName":"c"}]"#;
        let (decoded, corrections) = super::correcting(|| serde_json::from_str::<Vec<Model>>(text));
        let names: Vec<String> = decoded.unwrap().into_iter().map(|model| model.script_name).collect();
        assert_eq!(names, ["", "", "c"]);
        let found: Vec<(&str, bool, usize)> = corrections.iter().map(|c| (c.path.as_str(), c.null, c.count)).collect();
        assert_eq!(found, [("scriptName", false, 1), ("scriptName", true, 1)]);
        // Outside the pass, decoding is strict again and nothing is left over.
        assert!(serde_json::from_str::<Model>(r#"{"owner":"o"}"#).is_err());
        let (_, corrections) = super::correcting(|| serde_json::from_str::<Model>(r#"{"scriptName":"a"}"#));
        assert!(corrections.is_empty());
    }

    #[test]
    fn a_correcting_pass_forgets_the_nulls_of_an_object_when_it_ends() {
        // Optional `type` is null in every item: remembered while its object
        // is decoded, then dropped, so a page does not pile them up.
        let text = r#"[{"type":null},{"type":null,"scriptName":null},{"owner":null,"type":null}]"#;
        let ((decoded, left), corrections) = super::correcting(|| {
            let decoded = serde_json::from_str::<Vec<Model>>(text);
            (decoded, super::STATE.with_borrow(|state| state.nulls.len()))
        });
        assert_eq!(decoded.unwrap().len(), 3);
        assert_eq!(left, 0);
        let found: Vec<(&str, bool, usize)> = corrections.iter().map(|c| (c.path.as_str(), c.null, c.count)).collect();
        assert_eq!(found, [("scriptName", false, 2), ("scriptName", true, 1)]);
    }

    #[test]
    fn a_type_that_contains_itself_through_required_fields_has_no_zero() {
        use super::Zero;
        assert_eq!(Node::zero(), None);
        assert_eq!(<Box<Node>>::zero(), None);
        let (decoded, _) = super::correcting(|| serde_json::from_str::<Node>(r#"{"name":"leaf"}"#));
        assert!(decoded.unwrap_err().to_string().starts_with("missing field `parent`"));
        assert_eq!(Model::zero(), Some(Model { script_name: String::new(), owner: None, r#type: None }));
    }
}
