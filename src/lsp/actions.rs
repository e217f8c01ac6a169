//! Code actions: quick fixes for diagnostics, as edits that change only the text involved.
