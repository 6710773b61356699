//! The runtime every generated API client crate shares.
//!
//! A generated crate holds what its spec declares (operations, models, the
//! server, security schemes and environment variable names) and hands
//! those facts to this crate as data ([`__private::Api`]); everything that
//! does not vary with a spec lives here: HTTP, credentials for every
//! scheme, the token cache, retries, paging, errors and decoding.
//!
//! A [`Session`] holds the settings of one tenant or account and owns the
//! connection pool, the token caches (one per token URL and client id) and
//! the pause a 429 puts on every request. The clients of any number of
//! generated crates are made from one session, so a program that uses
//! three APIs of one vendor sends one token request, keeps one pool and
//! honours one rate limit:
//!
//! ```text
//! let session = Session::builder().server_variable("tenant", "acme").client_credentials(id, secret).build()?;
//! let sources = sailpoint_sources::Client::with_session(&session)?;
//! let accounts = sailpoint_accounts::Client::with_session(&session)?;
//! ```
//!
//! The feature `sailpoint` adds SailPoint's conventions (its configuration
//! files, tracking ids, the experimental header, `X-Total-Count`); only the
//! crates generated from SailPoint's specs enable it.
//!
//! Generated code reaches the runtime only through [`__private`], which is
//! not part of the API a user programs against.

#![deny(missing_docs)]

mod api;
mod auth;
mod client;
mod config;
mod de;
mod error;
mod paginate;
mod request;
mod response;
mod retry;
#[cfg(feature = "sailpoint")]
mod sailpoint;
mod session;

pub use api::{ServerVariable, VariablePlace};
pub use auth::{AccessToken, TokenFuture, TokenSource};
pub use auth::{ApiKeyLocation, SchemeKind, SecurityScheme, TokenUrl};
pub use config::{ConfigFiles, EnvNames, Lookup, Settings};
pub use error::{ApiError, AuthError, DecodeError, Error, ErrorDetails};
pub use futures_util::{Stream, StreamExt, TryStreamExt};
pub use paginate::Items;
pub use request::{FilePart, Upload};
/// The HTTP client the runtime sends with, for [`SessionBuilder::http_client`].
pub use reqwest;
pub use response::{Response, ResponseFuture};
pub use retry::RetryPolicy;
pub use session::{Session, SessionBuilder};
pub use session::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REFRESH_MARGIN, DEFAULT_TIMEOUT};

/// What generated crates call: the spec's facts as data ([`Api`](__private::Api)),
/// the per-API client handle, request building, response decoding, paging
/// and the model macros. Not for use by hand: it changes with the generator.
#[doc(hidden)]
pub mod __private {
    pub use crate::api::Api;
    pub use crate::auth::Requirement;
    pub use crate::client::Handle;

    /// Requests: building them and their parameters.
    pub mod request {
        pub use crate::request::{json_text, path_segment, simple_text, Form, Request, Style};
        pub use reqwest::Method;
    }

    /// Responses as received, before an operation decodes them.
    pub mod response {
        pub use crate::response::{ErrorDecoder, RawResponse, SuccessBody};
    }

    /// Paging: pages, their futures and the stream over their items.
    pub mod paginate {
        pub use crate::paginate::{
            items, next_link, page, sort_sent, sorted_page, token_in_url, Fetched, Page, PageFuture,
        };
    }

    /// Model encoding and decoding, through `serde_object!` and `string_enum!`;
    /// `correcting` too, for the benchmarks of a generated crate.
    pub mod de {
        pub use crate::de::{
            always, any_kind, correcting, fill, first_fit, fit, json, object, present, required, serialize_fields,
            zero_of, Correction, FromMap, Slot, Zero,
        };
        pub use crate::{serde_object, string_enum};
    }

    /// SailPoint's configuration files, for the crates of its APIs.
    #[cfg(feature = "sailpoint")]
    pub mod sailpoint {
        pub use crate::sailpoint::{IDENTITY_SECURITY_CLOUD, NON_EMPLOYEE_RISK_MANAGEMENT};
    }

    pub use serde;
}
