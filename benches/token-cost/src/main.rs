//! `cargo run -p mcpgen-token-cost`: prints, for each integration and exposure mode, what its
//! tools cost a model's context (see the library's docs and docs/discovery.md).

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match mcpgen_token_cost::measure_all().await {
        Ok(costs) => {
            print!("{}", mcpgen_token_cost::table(&costs));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
