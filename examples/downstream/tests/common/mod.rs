//! What both test files expect of `docs/inkwell/`.

/// The tools `docs/inkwell/` describes, in registry order.
pub const INKWELL_TOOLS: [&str; 9] = [
    "list_all_inkwell_notebooks",
    "get_single_inkwell_notebook_by_id",
    "create_a_inkwell_notebook",
    "list_all_inkwell_notes",
    "get_single_inkwell_note_by_id",
    "create_a_inkwell_note",
    "update_a_inkwell_note_by_id",
    "delete_a_inkwell_note_by_id",
    "archive_inkwell_notes",
];
