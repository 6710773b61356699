//! Lists every connector of a tenant, page by page, as a table or as JSON lines.
//!
//! ```text
//! cargo run -p sailpoint-connectors --example list_connectors -- [--filter EXPR] [--locale LOCALE] [--json]
//! ```
//!
//! The tenant and credentials come from `SAIL_BASE_URL` with `SAIL_CLIENT_ID`
//! and `SAIL_CLIENT_SECRET` (or `SAIL_ACCESS_TOKEN`), or from the SailPoint
//! CLI's `~/.sailpoint/config.yaml`. For example:
//!
//! ```text
//! cargo run -p sailpoint-connectors --example list_connectors -- --filter 'type eq "custom"' --json
//! ```
//!
//! Connectors are printed as they arrive, so the first lines show up before
//! the last page is fetched; `| head` stops the listing early without an
//! error. The exit status is 0 on success and 2 on any failure, which is
//! printed to standard error.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use sailpoint_connectors::{Client, TryStreamExt, V3ConnectorDto};

/// Lists the tenant's connectors.
#[derive(Debug, Parser)]
#[command(about = "Lists every connector of a SailPoint tenant.")]
pub struct Args {
    /// Filter expression, e.g. `type eq "custom"` or `name sw "Active"`.
    #[arg(long)]
    pub filter: Option<String>,
    /// Locale of the names and descriptions, e.g. `de`.
    #[arg(long)]
    pub locale: Option<String>,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime starts");
    let result = runtime.block_on(async {
        let client = Client::from_env()?;
        run(&client, &args, &mut std::io::stdout().lock()).await
    });
    let code = exit_code(&result);
    match &result {
        Err(failure) if code != ExitCode::SUCCESS => eprintln!("list_connectors: {failure}"),
        _ => {}
    }
    code
}

/// The exit status for how the listing ended: 0 done, 2 failed.
pub fn exit_code(result: &Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): it has all it wanted.
        Err(Failure::Output(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

/// Why the listing stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The tenant or the client failed.
    #[error(transparent)]
    Api(#[from] sailpoint_connectors::Error),
    /// The listing could not be written.
    #[error("cannot write the listing: {0}")]
    Output(#[from] std::io::Error),
}

/// Streams the connectors matching `args` to `out`, one line each.
pub async fn run(client: &Client, args: &Args, out: &mut impl Write) -> Result<(), Failure> {
    let mut request = client.get_connector_list();
    if let Some(filter) = &args.filter {
        request = request.filters(filter);
    }
    if let Some(locale) = &args.locale {
        request = request.locale(locale.as_str().into());
    }
    let mut connectors = request.items();
    if !args.json {
        writeln!(out, "{:<32} {:<32} {:<24} {:<6} STATUS", "NAME", "SCRIPT NAME", "TYPE", "DIRECT")?;
    }
    while let Some(connector) = connectors.try_next().await? {
        if args.json {
            serde_json::to_writer(&mut *out, &connector).map_err(std::io::Error::from)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", table_row(&connector))?;
        }
    }
    Ok(out.flush()?)
}

/// A connector as one row of the table; missing values show as `-`.
pub fn table_row(connector: &V3ConnectorDto) -> String {
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
    let direct = match connector.direct_connect {
        Some(true) => "yes",
        Some(false) => "no",
        None => "-",
    };
    let status = connector.status.as_ref().map_or("-", |status| status.as_str());
    format!(
        "{:<32} {:<32} {:<24} {:<6} {}",
        text(&connector.name),
        text(&connector.script_name),
        text(&connector.r#type),
        direct,
        status
    )
}
