//! The typed client that comes with the generated tools: the Inkwell API from plain Rust, no MCP.
//!
//! ```text
//! INKWELL_API_KEY=... cargo run -p inkwell-mcp --example typed_client
//! ```
//!
//! `INKWELL_BASE_URL` replaces `https://api.inkwell.app/v1` (a self-hosted server, or the fake
//! upstream the end-to-end test runs; HTTPS comes from the default `rustls` feature). It
//! walks every notebook page by page, files a note in the first notebook (creating an `Inbox`
//! when there is none), finds it again by tag and archives it.

use std::error::Error;
use std::process::ExitCode;

use inkwell_mcp::inkwell::{INTEGRATION, InkwellClient, notebooks, notes};
use mcpgen_runtime::{Credentials, UpstreamClient, UpstreamConfig};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let config = UpstreamConfig {
        base_url: std::env::var("INKWELL_BASE_URL").ok(),
        ..UpstreamConfig::default()
    };
    // `INKWELL_API_KEY`: credentials come from `<INTEGRATION>_<CREDENTIAL>` variables.
    let credentials = Credentials::from_env(&INTEGRATION);
    let upstream = UpstreamClient::new(&INTEGRATION, credentials, config)?;
    let client = InkwellClient::new(upstream);

    let notebooks = all_notebooks(&client).await?;
    for notebook in &notebooks {
        println!(
            "notebook {}: {} ({} notes)",
            notebook.id.as_deref().unwrap_or("?"),
            notebook.name.as_deref().unwrap_or(""),
            notebook.note_count.unwrap_or(0)
        );
    }
    let notebook_id = match notebooks.into_iter().find_map(|notebook| notebook.id) {
        Some(id) => id,
        None => {
            let input = notebooks::CreateAInkwellNotebookInput {
                name: "Inbox".to_owned(),
                description: Some("Created by the typed-client example.".to_owned()),
            };
            let created = client.create_notebook(&input).await?;
            created.id.ok_or("the created notebook has no id")?
        }
    };

    let input = notes::CreateAInkwellNoteInput {
        notebook_id,
        title: "Call the typed client".to_owned(),
        body: Some("No MCP involved: `InkwellClient::create_note`.".to_owned()),
        tags: Some(vec!["typed-client".to_owned()]),
        pinned: None,
    };
    let note = client.create_note(&input).await?;
    let note_id = note.id.ok_or("the created note has no id")?;
    println!("created {note_id} in {}", input.notebook_id);

    let tagged = notes::ListAllInkwellNotesInput {
        tag: Some("typed-client".to_owned()),
        ..Default::default()
    };
    let page = client.list_notes(&tagged).await?;
    println!(
        "{} note(s) tagged typed-client on the first page",
        page.result.len()
    );

    // A custom method without a `response_schema` returns the upstream's JSON as it is; this one
    // is a note.
    let reply = client
        .archive_notes(&notes::ArchiveInkwellNotesInput {
            id: note_id.clone(),
        })
        .await?;
    let archived: notes::Note = serde_json::from_value(reply)?;
    println!("archived {note_id}: {}", archived.archived == Some(true));
    Ok(())
}

/// Every notebook: list tools and client methods return one page and a cursor to pass back.
async fn all_notebooks(
    client: &InkwellClient,
) -> Result<Vec<notebooks::Notebook>, mcpgen_runtime::UpstreamError> {
    let mut all = Vec::new();
    let mut input = notebooks::ListAllInkwellNotebooksInput {
        // Small pages, to show the cursor at work.
        limit: Some(2),
        next_cursor: None,
    };
    loop {
        let page = client.list_notebooks(&input).await?;
        all.extend(page.result);
        match page.next_cursor {
            Some(cursor) => input.next_cursor = Some(cursor),
            None => return Ok(all),
        }
    }
}
